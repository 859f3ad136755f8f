import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { TemplateEngine, TemplateName, defaultTemplateSources } from '@engagement-db/mapper';
import { loadCorpus, mixedEventsPath } from '@engagement-db/corpus';
import { templatesDirectory } from '@engagement-db/templates';
import { ExitStatus } from '../cli-error';
import { type TemplateTally, templateCheckReport, templatesCommand } from './templates';

interface Run {
  readonly stdout: string;
  readonly error?: { name?: string; message?: string; exitStatus?: number };
}

async function runTemplates(args: string[], stdinText = ''): Promise<Run> {
  const stdin = new PassThrough();
  stdin.end(stdinText);
  let stdout = '';
  const command = templatesCommand({
    stdin,
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: { write: () => true },
    env: {},
  });
  let error: Run['error'];
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (caught) {
    error = caught as Run['error'];
  }
  return { stdout, error };
}

/** The report line of a template: how it runs and how many records agreed. */
function lineOf(stdout: string, name: TemplateName): string {
  return stdout.split('\n').find((line) => line.startsWith(`  ${name} `)) ?? '';
}

describe('templates check', () => {
  let folder: string;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-templates-'));
    for (const [name, source] of Object.entries(defaultTemplateSources()))
      fs.writeFileSync(path.join(folder, `${name}.vm`), source);
  });

  afterEach(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('finds the bundled templates compiled, agreeing with the interpreter on sample events of every channel', async () => {
    const run = await runTemplates(['check', templatesDirectory, '--samples', '500']);

    expect(run.error).toBeUndefined();
    expect(run.stdout.split('\n')[0]).toBe(`templates in ${path.resolve(templatesDirectory)}`);
    for (const name of Object.values(TemplateName)) {
      const [, records, compiled] =
        / compiled: agree on ([\d,]+) records? \(([\d,]+) mapped by the compiled code, 0 left to the interpreter\)$/.exec(
          lineOf(run.stdout, name),
        ) ?? [];
      expect({ name, records: Number(records) > 0, compiled }).toEqual({
        name,
        records: true,
        compiled: records,
      });
    }
    expect(run.stdout).toContain('checked with 500 sample events\n');
  });

  it('says which template is interpreted and why, and still checks it', async () => {
    fs.writeFileSync(
      path.join(folder, 'ses.vm'),
      `#macro(quoted $v)"$v"#end\n{"channel": "email", "timestamp": 1, "status": #quoted($eventType)}`,
    );

    const run = await runTemplates(['check', folder, '--samples', '300']);

    expect(run.error).toBeUndefined();
    expect(lineOf(run.stdout, TemplateName.ses)).toMatch(
      /^ {2}ses +interpreted \(#macro \(line 1, column 1\)\): agree on [1-9][\d,]* records$/,
    );
    expect(lineOf(run.stdout, TemplateName.messaging)).toMatch(/ compiled: agree on /);
  });

  it('checks the raw events of the files given and of stdin too, and counts those that reach no template', async () => {
    const conversation = loadCorpus().find((c) => c.table === 'conversations')!;
    const events = fs.readFileSync(mixedEventsPath, 'utf8').split('\n').filter(Boolean);

    const run = await runTemplates(
      ['check', folder, mixedEventsPath, '-', '--samples', '0'],
      `${conversation.rawText.trim()}\n`,
    );

    expect(run.error).toBeUndefined();
    expect(run.stdout).toContain(
      `checked with 0 sample events and ${events.length + 1} records from files; 1 record reached no template`,
    );
    const rendered = Object.values(TemplateName).map((name) =>
      Number(/agree on ([\d,]+) record/.exec(lineOf(run.stdout, name))?.[1]),
    );
    expect(rendered.every((records) => records > 0)).toBe(true);
  });

  it.each([
    [
      'a folder without templates',
      () => path.join(folder, 'missing'),
      /^templates check .*missing: Cannot load template /,
    ],
    [
      'a template that is not Velocity',
      () => (fs.writeFileSync(path.join(folder, 'whatsapp-status.vm'), '#if($a\n'), folder),
      /^templates check .*: Cannot compile template whatsapp-status \(.*whatsapp-status\.vm\), line 1, column 7: /s,
    ],
  ])('refuses %s with exit status 2, naming the file', async (_what, dirOf, message) => {
    const run = await runTemplates(['check', dirOf()]);

    expect(run.error).toMatchObject({
      name: 'CliError',
      exitStatus: ExitStatus.unusable,
      message: expect.stringMatching(message),
    });
  });

  it('refuses a sample count that is no whole number with exit status 2', async () => {
    const run = await runTemplates(['check', folder, '--samples', 'many']);

    expect(run.error).toMatchObject({
      name: 'CliError',
      exitStatus: ExitStatus.unusable,
      message: '--samples is "many"; expected a whole number from 0 to 1000000, e.g. --samples 2000',
    });
  });
});

describe('templateCheckReport', () => {
  const tally = (name: TemplateName, disagreements: string[]): TemplateTally => ({
    name,
    file: `${name}.vm`,
    engine: TemplateEngine.compiled,
    records: 10,
    compiled: 9,
    disagreements,
  });

  it('shows the first disagreements of each template and counts them all', () => {
    const differences = Array.from({ length: 7 }, (_, i) => `sample ${i + 1}: compiled "a", interpreted "b"`);

    const report = templateCheckReport(
      '/t',
      [tally(TemplateName.ses, differences), tally(TemplateName.messaging, [])],
      {
        samples: 20,
        fileRecords: 0,
        untemplated: 0,
      },
    );

    expect(report).toEqual({
      disagreements: 7,
      lines: [
        'templates in /t',
        '  ses        compiled: DISAGREE on 7 of 10 records (9 mapped by the compiled code, 1 left to the interpreter)',
        '  messaging  compiled: agree on 10 records (9 mapped by the compiled code, 1 left to the interpreter)',
        ...differences.slice(0, 5).map((difference) => `  ses: ${difference}`),
        '  ses: and 2 more',
        'checked with 20 sample events',
      ],
    });
  });
});
