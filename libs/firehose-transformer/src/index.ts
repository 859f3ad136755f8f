export { createTransformer } from './transformer';
export type { FirehoseTransformer, TransformerOptions } from './transformer';
export { handler } from './handler';
export { transformerFromEnvironment, TransformerEnvironment } from './transformer-environment';
export { bundledTemplateSource, defaultBundledTemplatesDir } from './bundled-template-source';
export { s3TemplateSource } from './s3-template-source';
export type { S3TemplateSourceOptions } from './s3-template-source';
export type { TemplateSource } from './template-source';
export { tableOfDeliveryStream } from './table-of-delivery-stream';
export {
  TransformerMetric,
  TransformerMetricDimension,
  transformerMetricsNamespace,
  transformerServiceName,
} from './transformer-metric';
export { FirehoseTransformerError, TemplateUnavailableError, TransformerConfigurationError } from './errors';
