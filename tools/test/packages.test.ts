import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusDirectory } from '@engagement-db/corpus';
import { sourceCondition, stagePackage } from '../src/stage-package';
import { workspaceRoot } from './workspace';

// The published packages, as someone outside the workspace gets them: each is staged and packed as
// `nx release publish` would, then installed from its tarball with plain npm into a scratch project,
// where CommonJS, ESM and TypeScript consumers use the mapper and the command runs.

const published = {
  'canonical-model': 'libs/canonical-model',
  'channel-detectors': 'libs/channel-detectors',
  templates: 'templates',
  mapper: 'libs/mapper',
  'firehose-transformer': 'libs/firehose-transformer',
  lake: 'libs/lake',
  sql: 'libs/sql',
  cli: 'apps/cli',
} as const;
type Published = keyof typeof published;

// A tarball is expected well under this: compiled code, declarations and a README, nothing else. The cli also
// ships the dashboard's page, Apache ECharts bundled in it (about 200 KiB compressed).
const largestTarballBytes = 200 * 1024;
const largestCliTarballBytes = 512 * 1024;

interface Tarball {
  readonly file: string;
  readonly bytes: number;
  readonly files: string[];
  readonly manifest: Record<string, unknown>;
}

const workspaceVersion = (name: string): string =>
  (
    JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/** Runs a command; its stdout, or an error carrying everything it printed. */
function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

function pack(project: Published, destination: string): Tarball {
  const staged = stagePackage(published[project]);
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', destination], staged)) as {
    filename: string;
    size: number;
    files: { path: string }[];
  }[];
  return {
    file: path.join(destination, packed.filename),
    bytes: packed.size,
    files: packed.files.map((file) => file.path).sort(),
    manifest: JSON.parse(fs.readFileSync(path.join(staged, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >,
  };
}

/** Every file an `exports`, `main`, `types` or `bin` entry of a manifest names. */
function namedFiles(manifest: Record<string, unknown>): string[] {
  const named: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') named.push(value.replace(/^\.\//, ''));
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  visit([manifest.exports, manifest.main, manifest.types, manifest.bin]);
  return named;
}

describe('the published packages', () => {
  let scratch: string;
  let consumer: string;
  const tarballs = {} as Record<Published, Tarball>;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-packages-'));
    for (const project of Object.keys(published) as Published[]) tarballs[project] = pack(project, scratch);
    process.stdout.write(
      `published tarball sizes: ${Object.entries(tarballs)
        .map(([name, tarball]) => `${name} ${(tarball.bytes / 1024).toFixed(1)} KiB`)
        .join(', ')}\n`,
    );

    consumer = path.join(scratch, 'consumer');
    fs.mkdirSync(consumer);
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...Object.values(tarballs).map((tarball) => tarball.file),
        `typescript@${workspaceVersion('typescript')}`,
        `@types/node@${workspaceVersion('@types/node')}`,
      ],
      consumer,
    );
    for (const fixture of ['ses/bounce.json', 'whatsapp/two-statuses.json'])
      fs.copyFileSync(path.join(corpusDirectory, fixture), path.join(consumer, path.basename(fixture)));
  });

  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it.each(Object.keys(published) as Published[])(
    '%s ships what its manifest names, and no sources, tests or maps',
    (project) => {
      const { files, manifest, bytes } = tarballs[project];

      for (const file of namedFiles(manifest)) expect(files).toContain(file);
      expect(files.filter((file) => /(^|\/)(src|test)\/|\.test\.|\.map$|\.tsbuildinfo$/.test(file))).toEqual(
        [],
      );
      expect(JSON.stringify(manifest)).not.toContain(sourceCondition);
      expect(manifest).not.toHaveProperty('devDependencies');
      expect(manifest).not.toHaveProperty('private');
      expect(bytes).toBeLessThan(project === 'cli' ? largestCliTarballBytes : largestTarballBytes);
    },
  );

  it('maps a SES bounce and a WhatsApp entry from CommonJS', () => {
    fs.writeFileSync(
      path.join(consumer, 'consumer.cjs'),
      `const { readFileSync } = require('node:fs');
       const { createMapper } = require('@engagement-db/mapper');
       const mapper = createMapper();
       const rows = (file) => {
         const result = mapper.map('events', readFileSync(file, 'utf8'));
         if (!result.ok) throw new Error(result.error.message);
         return result.value.map((row) => row.channel + ':' + row.status);
       };
       console.log(JSON.stringify([rows('bounce.json'), rows('two-statuses.json')]));`,
    );

    const printed = run('node', ['consumer.cjs'], consumer);

    expect(JSON.parse(printed)).toEqual([['email:Bounce'], ['whatsapp:delivered', 'whatsapp:read']]);
  });

  it('maps the same events from an ES module', () => {
    fs.writeFileSync(
      path.join(consumer, 'consumer.mjs'),
      `import { readFileSync } from 'node:fs';
       import { createMapper } from '@engagement-db/mapper';
       import { TableName } from '@engagement-db/canonical-model';
       const mapper = createMapper({ accountId: '111122223333' });
       const result = mapper.map(TableName.events, readFileSync('bounce.json', 'utf8'));
       console.log(JSON.stringify(result.ok ? result.value.map((row) => row.statusCode) : result.error));`,
    );

    const printed = run('node', ['consumer.mjs'], consumer);

    expect(JSON.parse(printed)).toEqual(['Permanent']);
  });

  it('type-checks a TypeScript consumer against the published declarations, and refuses a wrong one', () => {
    const tsconfig = {
      compilerOptions: {
        strict: true,
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files: ['consumer.ts'],
    };
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    const consumerSource = (statusLine: string): string =>
      `import { type CanonicalEvent, TableName } from '@engagement-db/canonical-model';
       import { type MappingResult, createMapper } from '@engagement-db/mapper';
       const result: MappingResult<'events'> = createMapper().map(TableName.events, '{}');
       const rows: CanonicalEvent[] = result.ok ? result.value : [];
       ${statusLine}
       export const statuses = rows.map((row) => row.status);`;
    const tsc = path.join(consumer, 'node_modules', '.bin', 'tsc');

    fs.writeFileSync(
      path.join(consumer, 'consumer.ts'),
      consumerSource('const kind: string = result.ok ? "" : result.error.kind;'),
    );
    run(tsc, ['-p', 'tsconfig.json'], consumer);

    fs.writeFileSync(
      path.join(consumer, 'consumer.ts'),
      consumerSource('const wrong: number = rows[0].status;'),
    );
    expect(() => run(tsc, ['-p', 'tsconfig.json'], consumer)).toThrow(/TS2322/);
  });

  it("maps with a user's own template folder", () => {
    const templates = path.join(consumer, 'my-templates');
    fs.cpSync(path.join(consumer, 'node_modules', '@engagement-db', 'templates'), templates, {
      recursive: true,
    });
    const ses = path.join(templates, 'ses.vm');
    fs.writeFileSync(
      ses,
      fs.readFileSync(ses, 'utf8').replace('"subject":', '"team": "growth",\n    "subject":'),
    );
    fs.writeFileSync(
      path.join(consumer, 'own-templates.cjs'),
      `const { readFileSync } = require('node:fs');
       const { compileTemplates, createMapper, loadTemplateDirectory } = require('@engagement-db/mapper');
       const mapper = createMapper({ templates: compileTemplates(loadTemplateDirectory('my-templates')) });
       const result = mapper.map('events', readFileSync('bounce.json', 'utf8'));
       console.log(JSON.stringify(result.ok ? result.value[0].channelData : result.error));`,
    );

    const printed = run('node', ['own-templates.cjs'], consumer);

    expect(JSON.parse(printed)).toMatchObject({ team: 'growth' });
  });

  it('runs engagement-db map, ingest and query from the installed command', () => {
    const command = path.join(consumer, 'node_modules', '.bin', 'engagement-db');
    const lake = path.join(scratch, 'lake');

    const mapped = run(command, ['map', 'bounce.json'], consumer);
    run(command, ['ingest', '--lake', lake, 'bounce.json', 'two-statuses.json'], consumer);
    const answer = run(
      command,
      [
        'query',
        '--lake',
        lake,
        '--format',
        'json',
        'SELECT channel, count(*) AS n FROM "engagementdb-events-table" GROUP BY 1 ORDER BY 1',
      ],
      consumer,
    );

    expect(JSON.parse(mapped)).toMatchObject({ channel: 'email', status: 'Bounce' });
    expect(
      answer
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { channel: 'email', n: 1 },
      { channel: 'whatsapp', n: 2 },
    ]);
  });
});
