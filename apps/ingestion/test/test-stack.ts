import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { testFoldersOf } from '@engagement-db/cdk-kit/testing';
export { thrownBy } from '@engagement-db/cdk-kit/testing';
import { IngestionStack, defaultBundleDirectory } from '../src/app/ingestion-stack';
import { type IngestionConfig, ingestionConfigSchema } from '../src/config/ingestion-config';
import { ConversationsDeliveryStream } from '../src/constructs/conversations-delivery-stream';
import {
  EventsDeliveryStream,
  type EventsDeliveryStreamProps,
} from '../src/constructs/events-delivery-stream';
import { GlueCatalog } from '../src/constructs/glue-catalog';

const folders = testFoldersOf('ingestion', join(__dirname, '..'));

/** A cloud assembly folder under the system temp folder, removed by {@link removeTestOutdirs}. */
export const testOutdir = folders.outdir;

/** An app folder of its own (the app's package.json and the config.json given), removed by {@link removeTestOutdirs}. */
export const testProjectDirectory = folders.projectDirectory;

/** Removes every folder {@link testOutdir} and {@link testProjectDirectory} made; call it in `afterAll`. */
export const removeTestOutdirs = folders.removeAll;

// Without CloudFormation's built-in template validation (the app test runs it) and without copying assets.
function testApp(): App {
  return new App({
    outdir: testOutdir(),
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:disable-asset-staging': true },
  });
}

/** An empty stack in an app of its own, for the test of one construct. */
export function emptyStack(): Stack {
  return new Stack(testApp(), 'Test');
}

/** The transformer bundle jest's global setup builds. */
export const testBundleDirectory = defaultBundleDirectory;

/** An ingestion stack in an app of its own, with the default settings except those given. */
export function testStack(config: Partial<IngestionConfig> = {}): IngestionStack {
  return new IngestionStack(testApp(), 'Ingestion', {
    config: { ...ingestionConfigSchema.defaults, ...config },
  });
}

/** An `acme` catalog over a new bucket, for the tests of the constructs that need one. */
export function catalogIn(stack: Stack): GlueCatalog {
  return new GlueCatalog(stack, 'Catalog', {
    databaseName: 'acme-glue-db',
    eventsTableName: 'acme-events-table',
    conversationsTableName: 'acme-conversations-table',
    bucket: new s3.Bucket(stack, 'Bucket'),
  });
}

/** The ARN of the transformer the `acme` events stream of the construct tests calls. */
export const testTransformerArn = 'arn:aws:lambda:eu-west-1:123456789012:function:acme-firehose-transformer';

/** An `acme-events` stream over {@link catalogIn}, calling the function {@link testTransformerArn}. */
export function eventsStreamIn(
  stack: Stack,
  props: Partial<EventsDeliveryStreamProps> = {},
  catalog: GlueCatalog = catalogIn(stack),
): EventsDeliveryStream {
  return new EventsDeliveryStream(stack, 'EventsStream', {
    streamName: 'acme-events',
    bucket: new s3.Bucket(stack, 'EventsBucket'),
    table: catalog.eventsTable,
    ...props,
    transformer:
      props.transformer ?? lambda.Function.fromFunctionArn(stack, 'TransformerRef', testTransformerArn),
  });
}

/** An `acme-conversations` stream over {@link catalogIn}. */
export function conversationsStreamIn(
  stack: Stack,
  catalog: GlueCatalog = catalogIn(stack),
): ConversationsDeliveryStream {
  return new ConversationsDeliveryStream(stack, 'ConversationsStream', {
    streamName: 'acme-conversations',
    bucket: new s3.Bucket(stack, 'ConversationsBucket'),
    table: catalog.conversationsTable,
  });
}
