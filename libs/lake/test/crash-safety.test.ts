import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMapper } from '@engagement-db/mapper';
import { ingest } from '../src/ingest';
import { readJsonLines } from '../src/raw-record';
import { recoverLake } from '../src/recover-lake';
import { countRows, duckdbRows, filesUnder, mixedEventLines, temporaryFolder } from './lake-test-kit';

const chunkRows = 20;
const child = path.join(__dirname, 'ingest-child.ts');

interface Run {
  readonly killed: boolean;
  readonly exitCode: number | null;
}

/** Starts a child ingest and SIGKILLs it as soon as `moment` holds; resolves once it has exited. */
function runAndKill(lake: string, input: string, moment: () => boolean): Promise<Run> {
  const process_: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@engagement-db/source', '--import', 'tsx', child, lake, input, String(chunkRows)],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let killed = false;
  const poll = setInterval(() => {
    if (!killed && moment()) {
      killed = process_.kill('SIGKILL');
    }
  }, 1);
  return new Promise((resolve) => {
    process_.on('exit', (exitCode, signal) => {
      clearInterval(poll);
      resolve({ killed: signal === 'SIGKILL', exitCode });
    });
  });
}

function stagingHas(lake: string, test: (stagingDir: string) => boolean): boolean {
  const staging = path.join(lake, '_staging');
  if (!fs.existsSync(staging)) return false;
  return fs.readdirSync(staging).some((id) => test(path.join(staging, id)));
}

describe('ingest after SIGKILL', () => {
  let work: ReturnType<typeof temporaryFolder>;
  let input: string;
  let expectedRows: number;
  beforeAll(() => {
    work = temporaryFolder('engagement-crash-');
    const lines = Array.from({ length: 30 }, () => mixedEventLines()).flat();
    input = path.join(work.path, 'input.jsonl');
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const mapper = createMapper();
    expectedRows = lines.reduce((sum, line) => {
      const result = mapper.map('events', line);
      return sum + (result.ok ? result.value.length : 0);
    }, 0);
  });
  afterAll(() => work.remove());

  // The staged ingest has about 250 files to move, so each kill lands well inside its phase.
  it.each([
    [
      'while mapping and converting chunks',
      'unchanged',
      (lake: string) => stagingHas(lake, (dir) => fs.existsSync(path.join(dir, '_spool', 'chunk-8'))),
    ],
    [
      'right after the commit intent is written',
      'complete',
      (lake: string) => stagingHas(lake, (dir) => fs.existsSync(path.join(dir, '_commit.json'))),
    ],
    [
      'while files are being moved into place',
      'complete',
      (lake: string) => fs.existsSync(path.join(lake, 'events')),
    ],
  ])(
    'when killed %s, leaves the lake %s after repair and a rerun ingests exactly once',
    async (_moment, outcome, moment) => {
      const lake = path.join(work.path, `lake-${Math.random().toString(36).slice(2)}`);
      fs.mkdirSync(lake);

      const run = await runAndKill(lake, input, () => moment(lake));

      // Whatever was visible before repair is whole Parquet: every file reads.
      const visible = filesUnder(path.join(lake, 'events'));
      expect(
        visible.every((file) => file.endsWith('.parquet') && !path.posix.basename(file).startsWith('.')),
      ).toBe(true);
      if (visible.length > 0) {
        await expect(
          duckdbRows(`SELECT count(*) FROM read_parquet('${lake}/events/*/*/*/*/*.parquet')`),
        ).resolves.toHaveLength(1);
      }
      const recovery = recoverLake(lake);
      const afterRepair = await countRows(lake, 'events');

      expect(run.killed).toBe(true);
      expect(afterRepair).toBe(outcome === 'unchanged' ? 0 : expectedRows);
      expect(outcome === 'unchanged' ? recovery.rolledBack : recovery.rolledForward).toHaveLength(1);
      expect(fs.readdirSync(path.join(lake, '_staging'))).toEqual([]);

      const rerun = await ingest({
        lake,
        table: 'events',
        mapper: createMapper(),
        records: readJsonLines(fs.createReadStream(input), input),
      });

      expect(await countRows(lake, 'events')).toBe(expectedRows);
      expect(rerun.skippedAsDuplicateOf !== undefined).toBe(afterRepair === expectedRows);
      expect(fs.readdirSync(path.join(lake, '_ingests'))).toHaveLength(1);
    },
  );
});
