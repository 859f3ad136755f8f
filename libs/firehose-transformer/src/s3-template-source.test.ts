import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import S3rver from 's3rver';
import { TemplateName, type TemplateSources } from '@engagement-db/mapper';
import { loadCorpus } from '@engagement-db/corpus';
import { captureOutput, logLines } from '../test/captured-output';
import { decodedRows, firehoseEvent } from '../test/firehose-event';
import {
  brokenTemplate,
  defaultSourcesWith,
  overriddenOrganizationId,
  overriddenSesTemplate,
} from '../test/template-edits';
import { s3TemplateSource } from './s3-template-source';
import { createTransformer } from './transformer';

const bucket = 'engagementdb-templates';
const sesEvent = loadCorpus().find((c) => c.group === 'ses' && c.table === 'events' && c.expected !== null)!;

describe('s3TemplateSource', () => {
  let directory: string;
  let server: S3rver;
  let client: S3Client;
  let prefixCount = 0;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'firehose-transformer-s3-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket }],
    });
    const { port } = await server.run();
    client = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** A fresh prefix per test, so that tests share the server but not their templates. */
  function newPrefix(): string {
    prefixCount += 1;
    return `set-${prefixCount}/`;
  }

  async function upload(prefix: string, sources: Partial<TemplateSources>): Promise<void> {
    for (const [name, body] of Object.entries(sources)) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}.vm`, Body: body }));
    }
  }

  /** Maps the SES fixture with the source's current templates; returns its row and the log lines. */
  async function mapSes(source: ReturnType<typeof s3TemplateSource>, logger: Logger) {
    const transform = createTransformer({ templateSource: source, logger });
    const { value, lines } = await captureOutput(() => transform(firehoseEvent([sesEvent.rawText])));
    expect(value.records[0].result).toBe('Ok');
    return { row: decodedRows(value.records[0])[0] as Record<string, unknown>, lines };
  }

  it('maps with the templates in the bucket when one overrides a default', async () => {
    const prefix = newPrefix();
    await upload(prefix, defaultSourcesWith({ ses: overriddenSesTemplate() }));
    const logger = new Logger({ serviceName: 'firehose-transformer' });

    const { row } = await mapSes(s3TemplateSource({ client, bucket, prefix, logger }), logger);

    expect(row.organizationId).toBe(overriddenOrganizationId);
    expect(row).toEqual({ ...sesEvent.expected![0], organizationId: overriddenOrganizationId });
  });

  it('keeps the last good set and warns why when a template in the bucket breaks, until a fixed one is read after the TTL', async () => {
    const prefix = newPrefix();
    await upload(prefix, defaultSourcesWith({ ses: overriddenSesTemplate() }));
    const logger = new Logger({ serviceName: 'firehose-transformer' });
    let now = 1_000_000;
    const source = s3TemplateSource({ client, bucket, prefix, ttlMs: 60_000, logger, now: () => now });
    await mapSes(source, logger);

    await upload(prefix, { ses: brokenTemplate });
    now += 60_000;
    const broken = await mapSes(source, logger);

    expect(broken.row.organizationId).toBe(overriddenOrganizationId);
    const [warning] = logLines(broken.lines, 'templates in S3 are unusable; keeping the last good set');
    expect(warning).toMatchObject({ level: 'WARN', location: `s3://${bucket}/${prefix}` });
    expect(warning.reason).toEqual(expect.stringMatching(/^compile error: Cannot compile template ses/));

    await upload(prefix, {
      ses: overriddenSesTemplate().replace(overriddenOrganizationId, 'fixed-organization'),
    });
    now += 59_999;
    const beforeTtl = await mapSes(source, logger);
    now += 1;
    const afterTtl = await mapSes(source, logger);

    expect(beforeTtl.row.organizationId).toBe(overriddenOrganizationId);
    expect(logLines(beforeTtl.lines, 'templates in S3 are unusable; keeping the last good set')).toEqual([]);
    expect(afterTtl.row.organizationId).toBe('fixed-organization');
    expect(logLines(afterTtl.lines, 'templates loaded')).toHaveLength(1);
  });

  it('falls back to the bundled set and warns which object is missing when the bucket lacks a template on a cold start', async () => {
    const prefix = newPrefix();
    const { [TemplateName.messaging]: _left_out, ...others } = defaultSourcesWith({
      ses: overriddenSesTemplate(),
    });
    await upload(prefix, others);
    const logger = new Logger({ serviceName: 'firehose-transformer' });

    const { row, lines } = await mapSes(s3TemplateSource({ client, bucket, prefix, logger }), logger);

    expect(row).toEqual(sesEvent.expected![0]);
    const [warning] = logLines(lines, 'templates in S3 are unusable; using the bundled set');
    expect(warning.reason).toBe(
      `s3://${bucket}/${prefix}messaging.vm: NoSuchKey: The specified key does not exist.`,
    );
  });

  it('keeps the last good set when a template is deleted from the bucket', async () => {
    const prefix = newPrefix();
    await upload(prefix, defaultSourcesWith({ ses: overriddenSesTemplate() }));
    const logger = new Logger({ serviceName: 'firehose-transformer' });
    const source = s3TemplateSource({ client, bucket, prefix, ttlMs: 0, logger });
    await mapSes(source, logger);

    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}${TemplateName.ses}.vm` }));
    const { row, lines } = await mapSes(source, logger);

    expect(row.organizationId).toBe(overriddenOrganizationId);
    expect(logLines(lines, 'templates in S3 are unusable; keeping the last good set')[0].reason).toBe(
      `s3://${bucket}/${prefix}ses.vm: NoSuchKey: The specified key does not exist.`,
    );
  });

  it('throws TemplateUnavailableError when neither the bucket nor the fallback has a usable set', async () => {
    const prefix = newPrefix();
    const fallback = { templates: () => Promise.reject(new Error('no bundled templates')) };
    const source = s3TemplateSource({ client, bucket, prefix, fallback });

    await expect(source.templates()).rejects.toMatchObject({
      name: 'TemplateUnavailableError',
      message: expect.stringMatching(
        new RegExp(
          `^No template set is usable: s3://${bucket}/${prefix} failed \\(s3://${bucket}/${prefix}ses\\.vm: NoSuchKey.*\\) and so did the fallback set \\(no bundled templates\\)\\.`,
        ),
      ),
    });
  });

  it.each([
    [
      { bucket: '' },
      's3TemplateSource: bucket is ""; expected a bucket name. Set TEMPLATES_BUCKET or pass { bucket }.',
    ],
    [
      { bucket, ttlMs: -1 },
      's3TemplateSource: ttlMs is -1; expected a number of milliseconds of 0 or more. Pass e.g. { ttlMs: 300000 }.',
    ],
  ])('throws TransformerConfigurationError for %p', (options, message) => {
    expect(() => s3TemplateSource({ client, ...options })).toThrow(
      expect.objectContaining({ name: 'TransformerConfigurationError', message }),
    );
  });
});
