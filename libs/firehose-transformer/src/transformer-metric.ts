/** The CloudWatch namespace the transformer's metrics are published in. */
export const transformerMetricsNamespace = 'EngagementDb';

/** The Powertools service name of the transformer: the `service` dimension and log field. */
export const transformerServiceName = 'firehose-transformer';

/**
 * The metrics published once per invocation in Embedded Metric Format, all of unit Count:
 * in total (dimension `service`), per `channel` (failed and dropped records count as `unknown`),
 * and `RecordsFailed` per `errorKind`.
 *
 * @example new cloudwatch.Metric({ namespace: transformerMetricsNamespace, metricName: TransformerMetric.recordsFailed, dimensionsMap: { service: transformerServiceName } })
 */
export const TransformerMetric = {
  recordsIn: 'RecordsIn',
  recordsOk: 'RecordsOk',
  recordsDropped: 'RecordsDropped',
  recordsFailed: 'RecordsFailed',
} as const;
export type TransformerMetric = (typeof TransformerMetric)[keyof typeof TransformerMetric];

/** The metric dimensions besides `service`. */
export const TransformerMetricDimension = {
  channel: 'channel',
  errorKind: 'errorKind',
} as const;
export type TransformerMetricDimension =
  (typeof TransformerMetricDimension)[keyof typeof TransformerMetricDimension];
