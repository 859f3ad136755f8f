import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultTemplateSources } from '@engagement-db/mapper';
import { corpusDirectory } from '@engagement-db/corpus';
import { ExitStatus } from '../cli-error';

// A template folder written to hang or exhaust the process: the built command must report each
// record it cannot render within budget, still write the good ones, and exit with 1. It runs as a
// child process with a kill timer, so that a hang fails this test instead of stopping the suite.
const appRoot = path.join(__dirname, '..', '..');
const killAfterMillis = 60_000;

const hostileTemplates: Record<string, string> = {
  ses: '#foreach($i in [1..100000000])#set($x = $i)#end{"channel": "email", "timestamp": 1}',
  messaging: '#macro(down $n)#down($n)#end#down(1){"channel": "text", "timestamp": 1}',
  'whatsapp-status':
    '#set($s = "0123456789")#foreach($i in [1..40])#set($s = "$s$s")#end{"channel": "whatsapp", "timestamp": 1}',
};

describe('engagement-db map with a hostile template folder', () => {
  let folder: string;

  beforeAll(() => {
    execFileSync(process.execPath, ['build.mjs'], { cwd: appRoot, stdio: 'pipe' });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-hostile-templates-'));
    for (const [name, source] of Object.entries({ ...defaultTemplateSources(), ...hostileTemplates }))
      fs.writeFileSync(path.join(folder, `${name}.vm`), source);
  });

  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('reports every record beyond its render budget, writes the good ones and exits with 1', () => {
    const input = path.join(folder, 'events.jsonl');
    const files = [
      'ses/send.json',
      'sms/text-delivered.json',
      'whatsapp/status-read.json',
      'whatsapp/inbound-text.json',
    ];
    fs.writeFileSync(
      input,
      files
        .map((file) => JSON.stringify(JSON.parse(fs.readFileSync(path.join(corpusDirectory, file), 'utf8'))))
        .join('\n'),
    );

    const run = spawnSync(
      process.execPath,
      [path.join(appRoot, 'bin', 'engagement-db.js'), 'map', '--templates', folder, input],
      { encoding: 'utf8', timeout: killAfterMillis, env: { ...process.env, NODE_OPTIONS: '' } },
    );

    expect(run.signal).toBeNull();
    expect(run.status).toBe(ExitStatus.recordsFailed);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      // The #macro template runs interpreted; the others are compiled, and end the same way.
      `engagement-db: template messaging (${path.join(folder, 'messaging.vm')}) is interpreted, not compiled: #macro (line 1, column 1)`,
      expect.stringMatching(
        new RegExp(`^${input}:1: render-budget: template ses: render budget exceeded: more than \\d+ steps`),
      ),
      expect.stringMatching(
        new RegExp(
          `^${input}:2: render-budget: template messaging: render budget exceeded: macro #down nested more than 64 levels deep`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^${input}:3: render-budget: template whatsapp-status: render budget exceeded: more than \\d+ characters`,
        ),
      ),
      'engagement-db: map: 3 of 4 records failed',
    ]);
    expect(
      run.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { type: string }),
    ).toEqual([expect.objectContaining({ type: 'message', status: 'text' })]);
  });
});
