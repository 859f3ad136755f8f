import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { TableName } from '@engagement-db/canonical-model';
import type {
  Context,
  FirehoseTransformationEvent,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { type CompiledTemplates, type TemplateEngine, createMapper } from '@engagement-db/mapper';
import { bundledTemplateSource } from './bundled-template-source';
import { BatchTally } from './internal/batch-tally';
import { RecordMapper } from './internal/record-outcome';
import { tableOfDeliveryStream } from './table-of-delivery-stream';
import type { TemplateSource } from './template-source';
import { transformerMetricsNamespace, transformerServiceName } from './transformer-metric';

/** How to build a transformer; every option has a default fit for Lambda. */
export interface TransformerOptions {
  /** Where the templates come from; the bundled set by default. */
  readonly templateSource?: TemplateSource;
  /** The `accountId` written on every event row; null when absent. */
  readonly accountId?: string;
  /** The structured logger; a Powertools Logger for service `firehose-transformer` by default. */
  readonly logger?: Logger;
  /** The EMF metrics writer; Powertools Metrics in namespace `EngagementDb` by default. */
  readonly metrics?: Metrics;
  /** The table the records are mapped for; by default taken from the delivery stream's name. */
  readonly table?: TableName;
  /**
   * `compiled` (the default): templates run as the JavaScript they compile to, those the compiler does
   * not support interpreted (each named in a `WARN` log line). `interpreted`: every template interpreted.
   */
  readonly engine?: TemplateEngine;
}

/** A Firehose data-transformation function; given the Lambda context, its logs carry the request id. */
export type FirehoseTransformer = (
  event: FirehoseTransformationEvent,
  context?: Context,
) => Promise<FirehoseTransformationResult>;

// Lambda refuses a synchronous response above 6 MB; rows are larger than the raw events they come from.
const lambdaResponseLimitBytes = 6 * 1024 * 1024;

/**
 * Builds the Firehose data-transformation function. For every input record it returns exactly one
 * output record with the same `recordId`, in order: `Ok` with the canonical rows as newline-delimited
 * JSON (base64) and `metadata.partitionKeys` `{ year, month, day, hour }` of the row's UTC hour;
 * `Dropped` when the record maps to no rows; `ProcessingFailed` with the original data, which
 * Firehose writes under the error prefix. A bad record never fails the batch. Each failure is logged
 * with its record id and the mapper's failure (kind, message, field path, template), each batch with
 * one summary line, and the counts are
 * published once per invocation as Embedded Metric Format.
 *
 * @example
 * export const handler = createTransformer({ accountId: '123456789012' });
 */
export function createTransformer(options: TransformerOptions = {}): FirehoseTransformer {
  const templateSource = options.templateSource ?? bundledTemplateSource();
  const logger = options.logger ?? new Logger({ serviceName: transformerServiceName });
  const metrics =
    options.metrics ??
    new Metrics({ namespace: transformerMetricsNamespace, serviceName: transformerServiceName });
  let current: { templates: CompiledTemplates; records: Map<TableName, RecordMapper> } | undefined;

  return async (event, context) => {
    const started = performance.now();
    if (context) logger.addContext(context);
    const templates = await templateSource.templates();
    if (current?.templates !== templates) {
      const mapper = createMapper({ templates, accountId: options.accountId, engine: options.engine });
      current = { templates, records: new Map() };
      for (const notice of templates.notices) logger.warn('template interpreted', { notice });
      for (const name of ['events', 'conversations'] as const)
        current.records.set(name, new RecordMapper(mapper, name));
    }
    const table = options.table ?? tableOfDeliveryStream(event.deliveryStreamArn);
    const recordMapper = current.records.get(table) as RecordMapper;
    const inputRecords = Array.isArray(event.records) ? event.records : [];
    const tally = new BatchTally();
    let responseBytes = 0;

    const records = inputRecords.map((record): FirehoseTransformationResultRecord => {
      const outcome = recordMapper.outcomeOf(record);
      tally.add(outcome);
      const { recordId } = record;
      switch (outcome.result) {
        case 'Ok': {
          const { data } = outcome;
          responseBytes += data.length;
          return { recordId, result: 'Ok', data, metadata: { partitionKeys: { ...outcome.partition } } };
        }
        case 'Dropped':
          return { recordId, result: 'Dropped' };
        case 'ProcessingFailed': {
          logger.error('record failed', { recordId, error: outcome.error });
          const data = typeof record.data === 'string' ? record.data : '';
          responseBytes += data.length;
          return { recordId, result: 'ProcessingFailed', data };
        }
      }
    });

    logger.info('batch transformed', {
      invocationId: event.invocationId,
      deliveryStreamArn: event.deliveryStreamArn,
      table,
      recordsIn: tally.total.in,
      recordsOk: tally.total.ok,
      recordsDropped: tally.total.dropped,
      recordsFailed: tally.total.failed,
      rowsOut: tally.rows,
      responseBytes,
      durationMs: Math.round(performance.now() - started),
    });
    if (responseBytes > lambdaResponseLimitBytes) {
      logger.warn('response is above the 6 MB Lambda limit; lower the Firehose processor BufferSizeInMBs', {
        invocationId: event.invocationId,
        responseBytes,
      });
    }
    tally.publish(metrics);
    return { records };
  };
}
