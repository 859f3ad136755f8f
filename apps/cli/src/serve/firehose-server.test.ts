import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
} from '@aws-sdk/client-firehose';
import { DuckDBInstance } from '@duckdb/node-api';
import { canonicalTables } from '@engagement-db/canonical-model';
import { createMapper } from '@engagement-db/mapper';
import { loadCorpus } from '@engagement-db/corpus';
import { linesOfRecord } from './record-lines';
import { startFirehoseServer, type FirehoseServer, type FirehoseServerOptions } from './firehose-server';

// The "Testing Conversational Events" example of the solution's README, byte for byte.
const readmeConversationEvent = `{
  "accountId": "123456",
  "organizationId": "40511560934972",
  "messageId": "wamid.HBgLMTMxNzM3MzkyNTMVAgARGBI1RTU0RTdEMEFFQUZBRUUxOTEA",
  "sendingAddress": "+13175550441",
  "destinationAddress": "+13155539253",
  "channel": "whatsapp",
  "direction": "inbound",
  "knowledgeBaseId": "123456",
  "sessionId": "123456",
  "source": "bedrockkb",
  "timestamp": 1731523485968,
  "tags": {
    "account": "123456", 
    "environment": "dev"
  },
  "message": "Hello"
}
`;

const corpus = loadCorpus();
const eventCases = corpus.filter((c) => c.table === 'events' && c.expected !== null);
const malformedEventCases = corpus.filter((c) => c.table === 'events' && c.expected === null);
const mapper = createMapper();
const events = canonicalTables.events.deliveryStreamName;
const conversations = canonicalTables.conversations.deliveryStreamName;

interface ExpectedEvent {
  readonly eventId: string;
  readonly channel: string;
  readonly status: string | null;
  readonly timestamp: number;
}

function expectedEventsOf(cases: typeof eventCases): ExpectedEvent[] {
  return summariesOf(cases.flatMap((c) => c.expected as unknown as ExpectedEvent[]));
}

function summariesOf(rows: readonly ExpectedEvent[]): ExpectedEvent[] {
  return rows
    .map(({ eventId, channel, status, timestamp }) => ({ eventId, channel, status, timestamp }))
    .sort((a, b) => a.eventId.localeCompare(b.eventId));
}

async function queryLake(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function eventsInLake(lake: string): Promise<ExpectedEvent[]> {
  const rows = await queryLake(
    `SELECT eventid, channel, status, timestamp FROM read_parquet('${lake}/events/**/*.parquet') ORDER BY eventid`,
  );
  return rows.map((row) => ({
    eventId: row['eventid'] as string,
    channel: row['channel'] as string,
    status: row['status'] as string | null,
    timestamp: Number(row['timestamp']),
  }));
}

function errorRecordsIn(lake: string): Record<string, unknown>[] {
  const files = readdirSync(join(lake, 'errors'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.jsonl'),
  );
  return files.flatMap((file) =>
    readFileSync(join(lake, 'errors', file), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  );
}

function hasFolder(lake: string, name: string): boolean {
  return readdirSync(lake).includes(name);
}

describe('startFirehoseServer', () => {
  let lake: string;
  let server: FirehoseServer | undefined;
  let client: FirehoseClient;
  let logLines: string[];
  let onLog: (line: string) => void;

  async function start(
    options: Partial<FirehoseServerOptions> = {},
    region = 'us-east-1',
  ): Promise<FirehoseServer> {
    server = await startFirehoseServer({
      lake,
      mapper,
      port: 0,
      log: (line) => {
        logLines.push(line);
        onLog(line);
      },
      ...options,
    });
    client = new FirehoseClient({
      endpoint: server.url,
      region,
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
      maxAttempts: 1,
    });
    return server;
  }

  function nextLogLine(matching: RegExp): Promise<string> {
    return new Promise((resolve) => {
      onLog = (line) => {
        if (matching.test(line)) resolve(line);
      };
    });
  }

  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'engagement-db-serve-'));
    logLines = [];
    onLog = () => undefined;
    server = undefined;
  });

  afterEach(async () => {
    await server?.close();
    client?.destroy();
    rmSync(lake, { recursive: true, force: true });
  });

  describe('PutRecord and PutRecordBatch', () => {
    it('answers PutRecord with a RecordId and delivers the record when closed', async () => {
      const bounce = eventCases.find((c) => c.name === join('ses', 'bounce')) ?? eventCases[0];
      const running = await start();

      const answer = await client.send(
        new PutRecordCommand({ DeliveryStreamName: events, Record: { Data: Buffer.from(bounce.rawText) } }),
      );
      const beforeClose = hasFolder(lake, 'events');
      await running.close();

      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(answer.RecordId).toMatch(/^[0-9a-f]{36}$/);
      expect(answer.Encrypted).toBe(false);
      expect(beforeClose).toBe(false);
      expect(await eventsInLake(lake)).toEqual(expectedEventsOf([bounce]));
    });

    it('lands every fixture event as its expected rows through PutRecordBatch', async () => {
      const running = await start();

      const answer = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: events,
          Records: eventCases.map((c) => ({ Data: Buffer.from(c.rawText) })),
        }),
      );
      await running.flush();

      const recordIds = answer.RequestResponses?.map((entry) => entry.RecordId) ?? [];
      expect(answer.FailedPutCount).toBe(0);
      expect(recordIds).toHaveLength(eventCases.length);
      expect(new Set(recordIds).size).toBe(eventCases.length);
      expect(await eventsInLake(lake)).toEqual(expectedEventsOf(eventCases));
    });

    it('accepts records the mapper cannot read, as Firehose does, and files them under errors/', async () => {
      const good = eventCases.slice(0, 2);
      const running = await start();

      const answer = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: events,
          Records: [...good, ...malformedEventCases].map((c) => ({ Data: Buffer.from(c.rawText) })),
        }),
      );
      await running.flush();

      expect(answer.FailedPutCount).toBe(0);
      expect(
        answer.RequestResponses?.every((entry) => entry.RecordId !== undefined && !entry.ErrorCode),
      ).toBe(true);
      expect(await eventsInLake(lake)).toEqual(expectedEventsOf(good));
      const failed = errorRecordsIn(lake);
      expect(failed.map((r) => Buffer.from(r['rawData'] as string, 'base64').toString()).sort()).toEqual(
        malformedEventCases.flatMap((c) => linesOfRecord(Buffer.from(c.rawText)).map(String)).sort(),
      );
      expect(failed.every((r) => r['origin'] === events)).toBe(true);
      expect(logLines.some((line) => line.includes(`failed, kept in errors/ (first: record `))).toBe(true);
    });

    it('reads a record holding several JSON Lines as several events', async () => {
      const lines = eventCases.slice(0, 3).map((c) => JSON.stringify(JSON.parse(c.rawText)));
      const expected = lines.flatMap((line) => {
        const mapped = mapper.map('events', line);
        return mapped.ok ? mapped.value : [];
      });
      const running = await start();

      await client.send(
        new PutRecordCommand({ DeliveryStreamName: events, Record: { Data: Buffer.from(lines.join('\n')) } }),
      );
      await running.flush();

      expect(expected).toHaveLength(
        eventCases.slice(0, 3).reduce((sum, c) => sum + (c.expected?.length ?? 0), 0),
      );
      expect(await eventsInLake(lake)).toEqual(summariesOf(expected));
    });

    it("lands the README's conversation-event.json, sent as it is, in the conversations table", async () => {
      const running = await start();

      await client.send(
        new PutRecordCommand({
          DeliveryStreamName: conversations,
          Record: { Data: Buffer.from(readmeConversationEvent) },
        }),
      );
      await running.close();

      const rows = await queryLake(
        `SELECT accountid, organizationid, messageid, sendingaddress, destinationaddress, channel, direction,
                knowledgebaseid, sessionid, source, message, timestamp, to_json(tags)::VARCHAR AS tags
         FROM read_parquet('${lake}/conversations/**/*.parquet')`,
      );
      expect(rows).toEqual([
        {
          accountid: '123456',
          organizationid: '40511560934972',
          messageid: 'wamid.HBgLMTMxNzM3MzkyNTMVAgARGBI1RTU0RTdEMEFFQUZBRUUxOTEA',
          sendingaddress: '+13175550441',
          destinationaddress: '+13155539253',
          channel: 'whatsapp',
          direction: 'inbound',
          knowledgebaseid: '123456',
          sessionid: '123456',
          source: 'bedrockkb',
          message: 'Hello',
          timestamp: '1731523485968',
          tags: '{"account":"123456","environment":"dev"}',
        },
      ]);
      expect(readdirSync(join(lake, 'conversations'), { recursive: true, encoding: 'utf8' })).toContain(
        join('2024', '11', '13', '18'),
      );
    });
  });

  describe("Firehose's limits", () => {
    const record = (bytes: number): { Data: Uint8Array } => ({ Data: Buffer.alloc(bytes, 'a') });

    it.each([
      {
        limit: '501 records in a batch',
        send: () =>
          new PutRecordBatchCommand({
            DeliveryStreamName: events,
            Records: Array.from({ length: 501 }, () => record(10)),
          }),
        name: 'ValidationException',
        status: 400,
        message:
          /^1 validation error detected: Value of 501 records at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/,
      },
      {
        limit: 'a PutRecord over 1,000 KiB',
        send: () => new PutRecordCommand({ DeliveryStreamName: events, Record: record(1_024_001) }),
        name: 'ValidationException',
        status: 400,
        message:
          /^1 validation error detected: Value of 1024001 bytes at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000$/,
      },
      {
        limit: 'a record over 1,000 KiB in a batch',
        send: () =>
          new PutRecordBatchCommand({ DeliveryStreamName: events, Records: [record(10), record(1_024_001)] }),
        name: 'ValidationException',
        status: 400,
        message:
          /at 'records\.2\.member\.data' failed to satisfy constraint: Member must have length less than or equal to 1024000$/,
      },
      {
        limit: 'a batch just over 4 MiB',
        send: () =>
          new PutRecordBatchCommand({
            DeliveryStreamName: events,
            Records: [
              record(1_000_000),
              record(1_000_000),
              record(1_000_000),
              record(1_000_000),
              record(200_000),
            ],
          }),
        name: 'InvalidArgumentException',
        status: 400,
        message:
          /^Records size exceeds 4 MiB limit: the 5 records hold 4200000 bytes, at most 4194304 are allowed per PutRecordBatch; split the batch\.$/,
      },
      {
        limit: 'a batch far over 4 MiB, refused by its Content-Length',
        send: () =>
          new PutRecordBatchCommand({
            DeliveryStreamName: events,
            Records: Array.from({ length: 6 }, () => record(1_000_000)),
          }),
        name: 'InvalidArgumentException',
        status: 413,
        message:
          /^Records size exceeds 4 MiB limit \(split the batch\): request body of Content-Length \d+ is over the limit of \d+ bytes$/,
      },
    ])('refuses $limit with $name and takes none of its records', async ({ send, name, status, message }) => {
      const running = await start();

      const refusal = await client.send(send() as PutRecordCommand).then(
        () => undefined,
        (error: Error & { $metadata: { httpStatusCode?: number } }) => error,
      );
      await running.flush();

      expect(refusal?.name).toBe(name);
      expect(refusal?.$metadata.httpStatusCode).toBe(status);
      expect(refusal?.message).toMatch(message);
      expect(hasFolder(lake, 'events')).toBe(false);
    });

    it('answers the next request on the same client after refusing one by its Content-Length', async () => {
      await start();
      const tooLarge = new PutRecordBatchCommand({
        DeliveryStreamName: events,
        Records: Array.from({ length: 6 }, () => record(1_000_000)),
      });

      await client.send(tooLarge).catch(() => undefined);
      const answer = await client.send(new ListDeliveryStreamsCommand({}));

      expect(answer.DeliveryStreamNames).toEqual([conversations, events]);
    });
  });

  describe('streams', () => {
    it.each([
      {
        operation: 'PutRecord',
        send: () =>
          new PutRecordCommand({ DeliveryStreamName: 'orders', Record: { Data: Buffer.from('{}') } }),
      },
      {
        operation: 'PutRecordBatch',
        send: () =>
          new PutRecordBatchCommand({ DeliveryStreamName: 'orders', Records: [{ Data: Buffer.from('{}') }] }),
      },
      {
        operation: 'DescribeDeliveryStream',
        send: () => new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'orders' }),
      },
    ])('answers $operation on an unknown stream with ResourceNotFoundException', async ({ send }) => {
      await start();

      const refusal = await client.send(send() as PutRecordCommand).then(
        () => undefined,
        (error: Error) => error,
      );

      expect(refusal?.name).toBe('ResourceNotFoundException');
      expect(refusal?.message).toBe(
        'Firehose stream orders under account 000000000000 not found; the streams are engagementdb-events and engagementdb-conversations.',
      );
    });

    it('describes a stream as an active Direct PUT stream with its buffering hints, in the client region', async () => {
      await start(
        { bufferBytes: 2 * 2 ** 20, bufferIntervalMs: 30_000, accountId: '111122223333' },
        'eu-west-1',
      );

      const answer = await client.send(
        new DescribeDeliveryStreamCommand({ DeliveryStreamName: conversations }),
      );

      const description = answer.DeliveryStreamDescription;
      expect(description).toMatchObject({
        DeliveryStreamName: conversations,
        DeliveryStreamARN:
          'arn:aws:firehose:eu-west-1:111122223333:deliverystream/engagementdb-conversations',
        DeliveryStreamStatus: 'ACTIVE',
        DeliveryStreamType: 'DirectPut',
        HasMoreDestinations: false,
      });
      expect(description?.CreateTimestamp).toBeInstanceOf(Date);
      expect(description?.Destinations?.[0]?.ExtendedS3DestinationDescription).toMatchObject({
        Prefix: 'conversations/',
        BufferingHints: { SizeInMBs: 2, IntervalInSeconds: 30 },
      });
    });

    it.each([
      { input: {}, names: [conversations, events], more: false },
      { input: { Limit: 1 }, names: [conversations], more: true },
      { input: { ExclusiveStartDeliveryStreamName: conversations }, names: [events], more: false },
      { input: { DeliveryStreamType: 'KinesisStreamAsSource' as const }, names: [], more: false },
    ])('lists the streams for $input', async ({ input, names, more }) => {
      await start();

      const answer = await client.send(new ListDeliveryStreamsCommand(input));

      expect(answer.DeliveryStreamNames).toEqual(names);
      expect(answer.HasMoreDeliveryStreams).toBe(more);
    });
  });

  describe('the AWS JSON 1.1 protocol', () => {
    it.each([
      {
        request: 'an unknown X-Amz-Target',
        init: {
          method: 'POST',
          headers: { 'x-amz-target': 'Firehose_20150804.DeleteDeliveryStream' },
          body: '{}',
        },
        type: 'UnknownOperationException',
        message:
          'Unknown operation X-Amz-Target "Firehose_20150804.DeleteDeliveryStream"; send POST / with X-Amz-Target ' +
          'Firehose_20150804.{PutRecord,PutRecordBatch,DescribeDeliveryStream,ListDeliveryStreams}',
      },
      {
        request: 'a body that is not JSON',
        init: {
          method: 'POST',
          headers: { 'x-amz-target': 'Firehose_20150804.PutRecord' },
          body: '{"DeliveryStreamName":',
        },
        type: 'SerializationException',
        message: /^The request body is not JSON: .+/,
      },
      {
        request: 'a GET',
        init: { method: 'GET', headers: {} },
        type: 'UnknownOperationException',
        message: /^Unknown operation GET \/; send POST \/ with X-Amz-Target Firehose_20150804\./,
      },
    ] as {
      request: string;
      init: { method: string; headers: Record<string, string>; body?: string };
      type: string;
      message: string | RegExp;
    }[])(
      'answers $request with 400 $type in the body and x-amzn-ErrorType',
      async ({ init, type, message }) => {
        const running = await start();

        const response = await fetch(`${running.url}/`, {
          ...init,
          headers: { 'content-type': 'application/x-amz-json-1.1', ...init.headers },
        });
        const body = (await response.json()) as { __type: string; message: string };

        expect(response.status).toBe(400);
        expect(response.headers.get('x-amzn-errortype')).toBe(type);
        expect(body.__type).toBe(type);
        expect(body.message).toMatch(message);
      },
    );
  });

  describe('buffering', () => {
    it('delivers on its own once bufferBytes wait', async () => {
      const running = await start({ bufferBytes: 1024 });
      const delivered = nextLogLine(/^engagementdb-events: delivered/);

      await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: events,
          Records: eventCases.map((c) => ({ Data: Buffer.from(c.rawText) })),
        }),
      );
      const line = await delivered;

      expect(line).toMatch(/^engagementdb-events: delivered \d+ records as \d+ rows in \d+ ms$/);
      expect((await eventsInLake(lake)).length).toBeGreaterThan(0);
      await running.close();
      expect(await eventsInLake(lake)).toEqual(expectedEventsOf(eventCases));
    });

    it('delivers on its own once the oldest record waited bufferIntervalMs', async () => {
      const [first] = eventCases;
      await start({ bufferIntervalMs: 100 });
      const delivered = nextLogLine(/^engagementdb-events: delivered 1 records/);

      await client.send(
        new PutRecordCommand({ DeliveryStreamName: events, Record: { Data: Buffer.from(first.rawText) } }),
      );
      await delivered;

      expect(await eventsInLake(lake)).toEqual(expectedEventsOf([first]));
    });

    it('keeps the records of a failed delivery in the spool, delivers them once when the lake works again, and refuses more than maxBufferedBytes', async () => {
      const [first, second] = eventCases;
      const running = await start({ bufferBytes: 64 * 1024, maxBufferedBytes: 64 * 1024 });
      // A file where the events folder should be: every delivery of events fails when it moves its files into place.
      const blocked = join(lake, 'events');
      writeFileSync(blocked, 'not a folder');
      const filler = Buffer.alloc(60 * 1024, ' ');

      await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: events,
          Records: [{ Data: Buffer.from(first.rawText) }],
        }),
      );
      await running.flush();
      const batch = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: events,
          Records: [{ Data: filler }, { Data: filler }],
        }),
      );
      const single = await client
        .send(new PutRecordCommand({ DeliveryStreamName: events, Record: { Data: filler } }))
        .then(
          () => undefined,
          (error: Error & { $metadata: { httpStatusCode?: number } }) => error,
        );
      rmSync(blocked);
      await client.send(
        new PutRecordCommand({ DeliveryStreamName: events, Record: { Data: Buffer.from(second.rawText) } }),
      );
      await running.flush();

      expect(logLines.find((line) => line.includes('delivery of 1 records failed'))).toMatch(
        /^engagementdb-events: delivery of 1 records failed, kept in the spool for the next try in 60 s: /,
      );
      expect(batch.FailedPutCount).toBe(1);
      expect(batch.RequestResponses?.[0]?.RecordId).toBeDefined();
      expect(batch.RequestResponses?.[1]).toEqual({
        ErrorCode: 'ServiceUnavailableException',
        ErrorMessage: 'Slow down.',
      });
      expect(single?.name).toBe('ServiceUnavailableException');
      expect(single?.$metadata.httpStatusCode).toBe(503);
      expect(await eventsInLake(lake)).toEqual(expectedEventsOf([first, second]));
      // The blank filler record is kept as a failure, not dropped.
      expect(errorRecordsIn(lake).map((r) => [r['errorCode'], r['errorMessage']])).toEqual([
        ['unparseable-json', 'the record is empty or only whitespace; expected one JSON document'],
      ]);
      expect(running.pendingRecords()).toBe(0);
    });
  });

  describe('on the network', () => {
    it.each(['evil.example', 'attacker.rebind.network', '127.0.0.1:1'])(
      'refuses a request whose Host is %s with 403 AccessDeniedException, taking none of its records',
      async (host) => {
        const running = await start();
        const { port } = new URL(running.url);

        const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
          const sent = request(
            running.url,
            {
              method: 'POST',
              headers: {
                host: host.includes(':') ? host : `${host}:${port}`,
                'x-amz-target': 'Firehose_20150804.PutRecord',
                'content-type': 'application/x-amz-json-1.1',
              },
            },
            (response) => {
              let body = '';
              response.on('data', (chunk: Buffer) => (body += chunk.toString()));
              response.on('end', () => resolve({ status: response.statusCode, body }));
            },
          );
          sent.on('error', reject);
          sent.end(
            JSON.stringify({
              DeliveryStreamName: events,
              Record: { Data: Buffer.from(eventCases[0].rawText).toString('base64') },
            }),
          );
        });
        await running.close();

        expect(answer.status).toBe(403);
        expect(JSON.parse(answer.body)).toEqual({
          __type: 'AccessDeniedException',
          message: expect.stringMatching(
            /^Host ".+" is not an address of this endpoint; send requests to http:\/\/127\.0\.0\.1:\d+ /,
          ),
        });
        expect(hasFolder(lake, 'events')).toBe(false);
        expect(running.pendingRecords()).toBe(0);
      },
    );

    it.each([6, 40])(
      'answers a %i MiB body with 413 before closing, to a client that sends its whole body first (no EPIPE)',
      async (mebibytes) => {
        const running = await start();
        const { port } = new URL(running.url);
        const body = Buffer.alloc(mebibytes * 2 ** 20, 'a');
        const socket = connect(Number(port), '127.0.0.1');
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString()));

        socket.write(
          `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Amz-Target: Firehose_20150804.PutRecordBatch\r\n` +
            `Content-Type: application/x-amz-json-1.1\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        const written = await new Promise<Error | null | undefined>((resolve) => socket.write(body, resolve));
        for (let waited = 0; !received.includes('\r\n\r\n{') && waited < 5000; waited += 10) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        socket.destroy();

        expect(written ?? null).toBeNull();
        expect(received).toMatch(/^HTTP\/1\.1 413 /);
        expect(received).toContain('"__type":"InvalidArgumentException"');
      },
    );
  });

  describe('the event loop', () => {
    // The machine is shared: a thread that works gets preempted, and wall-clock round trips grow with
    // whatever else runs. What the endpoint holds the event loop for is the CPU time its thread spends
    // during a round trip of another client (from /proc on Linux; wall-clock time elsewhere).
    const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
    const mainThreadStat = `/proc/self/task/${process.pid}/stat`;
    function mainThreadMs(): number {
      if (!existsSync(mainThreadStat)) return performance.now();
      const stat = readFileSync(mainThreadStat, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    }

    /** For each round trip of a second client, one every 5 ms until `done` settles: the time it waited. */
    async function roundTripsUntil(done: Promise<unknown>): Promise<{ wall: number; thread: number }[]> {
      const probe = new FirehoseClient({
        endpoint: server?.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDLOCALPROBE', secretAccessKey: 'local-probe-secret' },
      });
      let finished = false;
      void done.finally(() => (finished = true));
      const trips: { wall: number; thread: number }[] = [];
      try {
        while (!finished) {
          const [wall, thread] = [performance.now(), mainThreadMs()];
          await probe.send(new ListDeliveryStreamsCommand({}));
          trips.push({ wall: performance.now() - wall, thread: mainThreadMs() - thread });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        probe.destroy();
      }
      return trips;
    }

    it('answers another client within ~100 ms while huge requests are taken and delivered', async () => {
      const ses = JSON.parse(eventCases.find((c) => c.rawText.includes('"mail"'))?.rawText ?? '{}');
      // 4 requests near the 4 MiB limit of 95 events of 40 KB each: one delivery maps 15 MiB of events. Their
      // bodies are made beforehand, so that this process's own work while they are sent is the endpoint's.
      const bodies = Array.from({ length: 4 }, (_, k) =>
        Buffer.from(
          JSON.stringify({
            DeliveryStreamName: events,
            Records: Array.from({ length: 95 }, (_, i) => ({
              Data: Buffer.from(
                JSON.stringify({
                  ...ses,
                  mail: { ...ses.mail, messageId: `big-${k}-${i}`, padding: 'p'.repeat(40_000) },
                }),
              ).toString('base64'),
            })),
          }),
        ),
      );
      const running = await start({ bufferBytes: 15 * 2 ** 20, maxBufferedBytes: 64 * 2 ** 20 });
      const delivered = nextLogLine(/^engagementdb-events: delivered 380 records/);

      const [trips] = await Promise.all([
        roundTripsUntil(delivered),
        (async () => {
          for (const body of bodies) {
            const answer = await fetch(running.url, {
              method: 'POST',
              headers: {
                'x-amz-target': 'Firehose_20150804.PutRecordBatch',
                'content-type': 'application/x-amz-json-1.1',
              },
              body,
            });
            expect(await answer.json()).toMatchObject({ FailedPutCount: 0 });
          }
        })(),
      ]);

      expect(trips.length).toBeGreaterThan(5);
      expect(Math.max(...trips.map((trip) => trip.thread))).toBeLessThan(100);
      expect((await eventsInLake(lake)).length).toBe(380);
    });
  });

  describe('configuration', () => {
    it.each([
      {
        option: { bufferBytes: 0 },
        message:
          'startFirehoseServer: bufferBytes is 0; expected a whole number from 1 to 9007199254740991; pass e.g. 5242880 for 5 MiB',
      },
      {
        option: { bufferIntervalMs: -1 },
        message:
          'startFirehoseServer: bufferIntervalMs is -1; expected a whole number from 0 to 9007199254740991; pass e.g. 60000 for 60 s',
      },
      {
        option: { port: 70_000 },
        message:
          'startFirehoseServer: port is 70000; expected a whole number from 0 to 65535; pass 0 for any free port, or 1 to 65535',
      },
      {
        option: { bufferBytes: 100, maxBufferedBytes: 99 },
        message:
          'startFirehoseServer: maxBufferedBytes is 99; expected a whole number from 100 to 9007199254740991; pass at least bufferBytes',
      },
    ])('throws ServeConfigurationError for $option', async ({ option, message }) => {
      const starting = startFirehoseServer({ lake, mapper, ...option });

      await expect(starting).rejects.toMatchObject({ name: 'ServeConfigurationError', message });
    });

    it('refuses to start on a lake that is a file, with LakeDirectoryError', async () => {
      const blocked = join(lake, 'blocked');
      writeFileSync(blocked, 'not a folder');

      const starting = startFirehoseServer({ lake: blocked, mapper, port: 0 });

      await expect(starting).rejects.toMatchObject({
        name: 'LakeDirectoryError',
        message: `Lake ${blocked} is a file, expected a folder. Pass --lake (or set ENGAGEMENT_DB_LAKE) to a folder path.`,
      });
    });

    it('throws ServeListenError when the port is taken', async () => {
      const running = await start();
      const port = Number(new URL(running.url).port);

      const second = startFirehoseServer({ lake, mapper, port });

      await expect(second).rejects.toMatchObject({
        name: 'ServeListenError',
        message: `cannot listen on 127.0.0.1:${port}: EADDRINUSE; pass another port (0 for any free one) or host, or stop what is using it`,
      });
    });
  });
});
