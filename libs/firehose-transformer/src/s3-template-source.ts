import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Result } from '@engagement-db/canonical-model';
import {
  type CompiledTemplates,
  TemplateName,
  type TemplateSources,
  compileTemplates,
} from '@engagement-db/mapper';
import { bundledTemplateSource } from './bundled-template-source';
import { TemplateUnavailableError, TransformerConfigurationError } from './errors';
import type { TemplateSource } from './template-source';

/** How to read the template set from S3. */
export interface S3TemplateSourceOptions {
  /** The S3 client; in Lambda `new S3Client({})`. */
  readonly client: S3Client;
  /** The bucket holding `<prefix><name>.vm` for every template name. */
  readonly bucket: string;
  /** The key prefix, e.g. `templates/`; empty by default. */
  readonly prefix?: string;
  /** How long a loaded set is used before it is read again; 300 000 ms by default. */
  readonly ttlMs?: number;
  /** The set used when S3 fails before any good set was read from it; the bundled templates by default. */
  readonly fallback?: TemplateSource;
  /** Where to say that S3 failed and which set is used instead. */
  readonly logger?: Pick<Logger, 'info' | 'warn'>;
  /** The clock the time to live is measured with; `Date.now` by default. */
  readonly now?: () => number;
}

const defaultTtlMs = 300_000;

/**
 * Templates read from S3 once per cold start and again after `ttlMs`, so a changed template takes
 * effect without a deployment. When S3 or a template is broken (missing object, compile error) the
 * last good set stays in use, or the fallback set on a cold start, and a warning log gives the reason;
 * the next attempt is made one time to live later, so a broken bucket never costs more S3 calls.
 *
 * @example
 * const source = s3TemplateSource({ client: new S3Client({}), bucket: 'engagementdb-templates', prefix: 'templates/' });
 */
export function s3TemplateSource(options: S3TemplateSourceOptions): TemplateSource {
  const { client, bucket, prefix = '', ttlMs = defaultTtlMs, logger, now = Date.now } = options;
  if (typeof bucket !== 'string' || bucket.length === 0) {
    throw new TransformerConfigurationError(
      `s3TemplateSource: bucket is ${JSON.stringify(bucket)}; expected a bucket name. Set TEMPLATES_BUCKET or pass { bucket }.`,
    );
  }
  if (!Number.isFinite(ttlMs) || ttlMs < 0) {
    throw new TransformerConfigurationError(
      `s3TemplateSource: ttlMs is ${ttlMs}; expected a number of milliseconds of 0 or more. Pass e.g. { ttlMs: 300000 }.`,
    );
  }
  const fallback = options.fallback ?? bundledTemplateSource();
  const location = `s3://${bucket}/${prefix}`;
  let current: { templates: CompiledTemplates; sources?: TemplateSources } | undefined;
  let refreshAt = 0;
  let refreshing: Promise<CompiledTemplates> | undefined;

  async function refresh(): Promise<CompiledTemplates> {
    const loaded = await readTemplateSet(client, bucket, prefix);
    refreshAt = now() + ttlMs;
    if (loaded.ok) {
      if (current?.sources && sameSources(current.sources, loaded.value)) return current.templates;
      try {
        current = { templates: compileTemplates(loaded.value), sources: loaded.value };
        logger?.info('templates loaded', { location });
        return current.templates;
      } catch (error) {
        return keepLastGood(`compile error: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return keepLastGood(loaded.error);
  }

  async function keepLastGood(reason: string): Promise<CompiledTemplates> {
    if (current) {
      logger?.warn('templates in S3 are unusable; keeping the last good set', { location, reason });
      return current.templates;
    }
    let templates: CompiledTemplates;
    try {
      templates = await fallback.templates();
    } catch (error) {
      throw new TemplateUnavailableError(
        `No template set is usable: ${location} failed (${reason}) and so did the fallback set (${messageOf(error)}). ` +
          `Upload every <prefix><name>.vm to the bucket, or fix the bundled templates.`,
        { cause: error },
      );
    }
    current = { templates };
    logger?.warn('templates in S3 are unusable; using the bundled set', { location, reason });
    return templates;
  }

  return {
    templates: () => {
      if (current && now() < refreshAt) return Promise.resolve(current.templates);
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
  };
}

/** Every template of the set, or what could not be read, object by object. */
async function readTemplateSet(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<Result<TemplateSources, string>> {
  const names = Object.values(TemplateName);
  const reads = await Promise.all(
    names.map(async (name) => {
      const key = `${prefix}${name}.vm`;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = await object.Body?.transformToString('utf-8');
        return text === undefined
          ? { name, problem: `s3://${bucket}/${key}: empty response body` }
          : { name, text };
      } catch (error) {
        return { name, problem: `s3://${bucket}/${key}: ${messageOf(error)}` };
      }
    }),
  );
  const problems = reads.flatMap((read) => (read.problem === undefined ? [] : [read.problem]));
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  const sources = Object.fromEntries(reads.map((read) => [read.name, read.text ?? ''])) as TemplateSources;
  return { ok: true, value: sources };
}

function sameSources(a: TemplateSources, b: TemplateSources): boolean {
  return Object.values(TemplateName).every((name) => a[name] === b[name]);
}

function messageOf(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
