import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { partitionHourOf } from '@engagement-db/canonical-model';
import { loadCorpus } from '@engagement-db/corpus';
import { decodedRows, firehoseEvent } from '../test/firehose-event';
import { overriddenOrganizationId, overriddenSesTemplate } from '../test/template-edits';

const run = promisify(execFile);
const projectRoot = join(__dirname, '..');
const corpus = loadCorpus();

// Requires the bundle with plain Node, as the Lambda runtime does, and calls its handler once per event.
const lambdaRuntime = `
const { readFileSync, writeFileSync } = require('node:fs');
const [bundle, eventsFile, resultsFile] = process.argv.slice(1);
const { handler } = require(bundle);
(async () => {
  const results = [];
  for (const event of JSON.parse(readFileSync(eventsFile, 'utf8'))) results.push(await handler(event));
  writeFileSync(resultsFile, JSON.stringify(results));
})();
`;

describe('the bundled handler (dist-lambda/index.js)', () => {
  let outdir: string;

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'firehose-transformer-bundle-'));
    await run(process.execPath, ['bundle.cjs', join(outdir, 'dist-lambda')], { cwd: projectRoot });
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  /** Runs the bundle in a new Node process with no AWS environment and no configuration. */
  async function invokeBundle(
    events: FirehoseTransformationEvent[],
  ): Promise<{ results: FirehoseTransformationResult[]; stdout: string }> {
    const eventsFile = join(outdir, 'events.json');
    const resultsFile = join(outdir, 'results.json');
    writeFileSync(eventsFile, JSON.stringify(events));
    const { stdout } = await run(
      process.execPath,
      ['-e', lambdaRuntime, join(outdir, 'dist-lambda', 'index.js'), eventsFile, resultsFile],
      {
        env: { PATH: process.env.PATH ?? '' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return {
      results: JSON.parse(readFileSync(resultsFile, 'utf8')) as FirehoseTransformationResult[],
      stdout,
    };
  }

  it('maps the whole fixture corpus to the expected rows, results and partition keys', async () => {
    const eventCases = corpus.filter((c) => c.table === 'events');
    const conversationCases = corpus.filter((c) => c.table === 'conversations');
    const events = [
      firehoseEvent(eventCases.map((c) => c.rawText)),
      firehoseEvent(
        conversationCases.map((c) => c.rawText),
        'conversations',
      ),
    ];

    const { results, stdout } = await invokeBundle(events);

    [eventCases, conversationCases].forEach((cases, batch) => {
      expect(results[batch].records.map((r) => r.recordId)).toEqual(
        events[batch].records.map((r) => r.recordId),
      );
      cases.forEach((fixture, index) => {
        const record = results[batch].records[index];
        if (fixture.expected === null) {
          expect({ fixture: fixture.name, record }).toEqual({
            fixture: fixture.name,
            record: {
              recordId: events[batch].records[index].recordId,
              result: 'ProcessingFailed',
              data: events[batch].records[index].data,
            },
          });
          return;
        }
        expect({
          fixture: fixture.name,
          result: record.result,
          rows: decodedRows(record),
          keys: record.metadata?.partitionKeys,
        }).toEqual({
          fixture: fixture.name,
          result: 'Ok',
          rows: fixture.expected,
          keys: { ...partitionHourOf(fixture.expected[0].timestamp) },
        });
      });
    });
    const summaries = stdout
      .split('\n')
      .filter((line) => line.includes('"batch transformed"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(summaries.map((s) => s.recordsIn)).toEqual([eventCases.length, conversationCases.length]);
  });

  it('maps with the templates copied beside index.js', async () => {
    writeFileSync(join(outdir, 'dist-lambda', 'templates', 'ses.vm'), overriddenSesTemplate());
    const ses = corpus.find((c) => c.group === 'ses' && c.expected !== null)!;

    const { results } = await invokeBundle([firehoseEvent([ses.rawText])]);

    expect(decodedRows(results[0].records[0])).toEqual([
      expect.objectContaining({ organizationId: overriddenOrganizationId }),
    ]);
  });
});
