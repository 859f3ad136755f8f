import type { FirehoseTransformer } from './transformer';
import { transformerFromEnvironment } from './transformer-environment';

let configured: FirehoseTransformer | undefined;

/**
 * The Lambda handler: the transformer configured from the environment (see `TransformerEnvironment`)
 * on the first invocation, and kept for the life of the execution environment.
 *
 * @example
 * // CDK: new NodejsFunction(this, 'Transformer', { entry: 'libs/firehose-transformer/src/lambda.ts', handler: 'handler' })
 */
export const handler: FirehoseTransformer = (event, context) => {
  configured ??= transformerFromEnvironment();
  return configured(event, context);
};
