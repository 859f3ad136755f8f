import type { FirehoseTransformationEvent, FirehoseTransformationResultRecord } from 'aws-lambda';
import { type TableName, canonicalTables } from '@engagement-db/canonical-model';

/** The ARN of the delivery stream that feeds a table: what the transformer tells the two tables apart by. */
export function deliveryStreamArnOf(table: TableName): string {
  return `arn:aws:firehose:us-east-1:111122223333:deliverystream/${canonicalTables[table].deliveryStreamName}`;
}

/** A Firehose transformation event holding one record per text, as Firehose would send it. */
export function firehoseEvent(
  texts: readonly string[],
  table: TableName = 'events',
): FirehoseTransformationEvent {
  return {
    invocationId: `invocation-${texts.length}`,
    deliveryStreamArn: deliveryStreamArnOf(table),
    region: 'us-east-1',
    records: texts.map((text, index) => ({
      recordId: `49546986683135544286507457936321625675700192471156785154-${index}`,
      approximateArrivalTimestamp: 1741964966017 + index,
      data: Buffer.from(text, 'utf8').toString('base64'),
    })),
  };
}

/** The rows of an output record: its base64 data as newline-delimited JSON. */
export function decodedRows(record: FirehoseTransformationResultRecord): unknown[] {
  const text = Buffer.from(record.data ?? '', 'base64').toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}
