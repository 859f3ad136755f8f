import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMixedEvents } from '@engagement-db/corpus';
import { runProgram } from '../../test/run-program';
import { ExitStatus } from '../cli-error';

const countEvents = 'SELECT count(*) AS n FROM "engagementdb-events-table"';

describe('engagement-db adopt, and the files queries leave out', () => {
  let work: string;
  let lake: string;
  let copy: string;
  beforeEach(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-adopt-'));
    lake = path.join(work, 'lake');
    const input = path.join(work, 'events.jsonl');
    fs.writeFileSync(input, loadMixedEvents().join('\n'));
    // A lake of one ingest, and a second lake made by copying its Parquet files in by hand.
    expect((await runProgram(['ingest', '--lake', path.join(work, 'source'), input])).status).toBe(0);
    expect((await runProgram(['ingest', '--lake', lake, input])).status).toBe(0);
    copy = path.join(work, 'copied');
    fs.cpSync(path.join(work, 'source', 'events'), path.join(copy, 'events'), { recursive: true });
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('queries a lake of copied files only once they are adopted, naming them in a note until then', async () => {
    const rows = JSON.parse((await runProgram(['query', '--lake', lake, countEvents])).stdout) as {
      n: number;
    };
    const files = fs
      .readdirSync(path.join(copy, 'events'), { recursive: true })
      .filter((f) => String(f).endsWith('.parquet'));

    const before = await runProgram(['query', '--lake', copy, countEvents]);
    const views = await runProgram(['views', '--lake', copy, 'email_message_status']);
    const adopted = await runProgram(['adopt', '--lake', copy]);
    const after = await runProgram(['query', '--lake', copy, countEvents]);
    const again = await runProgram(['adopt', '--lake', copy]);

    expect(before.stdout).toBe('{"n":0}\n');
    const note = new RegExp(
      `^engagement-db: note: ${files.length} Parquet files in ${copy} are in no committed ingest, so queries do not read them \\(events/\\d{4}/\\d\\d/\\d\\d/\\d\\d/part-\\S+\\.parquet, .+\\); run \`engagement-db adopt --lake ${copy}\` to add them\\.\\n$`,
    );
    expect(before.stderr).toMatch(note);
    expect(views.stderr).toMatch(note);
    expect(adopted).toMatchObject({
      status: ExitStatus.ok,
      stdout: new RegExp(
        `^adopted ${files.length} files with ${rows.n} rows into events \\(ingest \\S+\\)\\n$`,
      ),
      stderr: '',
    });
    expect(after).toMatchObject({ stdout: `{"n":${rows.n}}\n`, stderr: '' });
    expect(again.stdout).toBe(`nothing to adopt: every data file in ${copy} belongs to a committed ingest\n`);
  });

  it('refuses a file that is not Parquet with the reason, exit status 1, and leaves it out', async () => {
    const hour = path.join(copy, 'events', '2025', '01', '08', '23');
    fs.mkdirSync(hour, { recursive: true });
    fs.writeFileSync(path.join(hour, 'notes.parquet'), 'not parquet');

    const run = await runProgram(['adopt', '--lake', copy]);
    const query = await runProgram(['query', '--lake', copy, countEvents]);

    expect(run.status).toBe(ExitStatus.recordsFailed);
    expect(run.stderr).toMatch(
      /^events\/2025\/01\/08\/23\/notes\.parquet: not adopted: DuckDB cannot read it as Parquet \(.+\)\nengagement-db: 1 file was not adopted \(listed above\); queries do not read them\n$/,
    );
    expect(query.stderr).toMatch(
      /^engagement-db: note: 1 Parquet file in .+ is in no committed ingest, so queries do not read it \(events\/2025\/01\/08\/23\/notes\.parquet\); run/,
    );
  });

  it('says there is no lake at a path that does not exist, with exit status 2', async () => {
    const run = await runProgram(['adopt', '--lake', path.join(work, 'missing')]);

    expect(run.status).toBe(ExitStatus.unusable);
    expect(run.stderr).toBe(
      `engagement-db: no lake at ${path.join(work, 'missing')}: the folder does not exist; pass the lake folder with --lake.\n`,
    );
  });
});
