import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  emptyStack,
  eventsStreamIn,
  removeTestOutdirs,
  testTransformerArn,
  thrownBy,
} from '../../test/test-stack';

afterAll(() => {
  removeTestOutdirs();
});

function destinationOf(stack: Stack): Record<string, unknown> {
  const [stream] = Object.values(
    Template.fromStack(stack).findResources('AWS::KinesisFirehose::DeliveryStream'),
  );
  return (stream as { Properties: { ExtendedS3DestinationConfiguration: Record<string, unknown> } })
    .Properties.ExtendedS3DestinationConfiguration;
}

function lambdaParametersOf(destination: Record<string, unknown>): Record<string, unknown> {
  const { Processors } = destination.ProcessingConfiguration as {
    Processors: { Type: string; Parameters: { ParameterName: string; ParameterValue: unknown }[] }[];
  };
  expect(Processors.map((p) => p.Type)).toEqual(['Lambda']);
  return Object.fromEntries(Processors[0].Parameters.map((p) => [p.ParameterName, p.ParameterValue]));
}

describe('EventsDeliveryStream', () => {
  it('writes into one folder per hour from the partition keys the transformer returns', () => {
    // Prepare
    const stack = emptyStack();
    eventsStreamIn(stack);

    // Act
    const destination = destinationOf(stack);

    // Assert
    expect(destination).toMatchObject({
      Prefix:
        'events/!{partitionKeyFromLambda:year}/!{partitionKeyFromLambda:month}/!{partitionKeyFromLambda:day}/!{partitionKeyFromLambda:hour}/',
      ErrorOutputPrefix: 'errors/events/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/',
      BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 300 },
    });
  });

  it('hands the transformer batches of the given size, retrying three times', () => {
    // Prepare
    const stack = emptyStack();
    eventsStreamIn(stack, { transformerBufferSizeMiB: 0.5, transformerBufferIntervalSeconds: 120 });

    // Act
    const parameters = lambdaParametersOf(destinationOf(stack));

    // Assert
    expect(parameters).toEqual({
      LambdaArn: testTransformerArn,
      BufferSizeInMBs: '0.5',
      BufferIntervalInSeconds: '120',
      NumberOfRetries: '3',
    });
  });

  it('converts rows to Snappy Parquet with its Glue table as schema, reading keys case-insensitively', () => {
    // Prepare
    const stack = emptyStack();
    eventsStreamIn(stack);

    // Act
    const destination = destinationOf(stack);

    // Assert
    expect(destination.DataFormatConversionConfiguration).toEqual({
      Enabled: true,
      InputFormatConfiguration: {
        Deserializer: {
          OpenXJsonSerDe: { CaseInsensitive: true, ConvertDotsInJsonKeysToUnderscores: false },
        },
      },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
      SchemaConfiguration: {
        CatalogId: { Ref: 'AWS::AccountId' },
        Region: { Ref: 'AWS::Region' },
        DatabaseName: 'acme-glue-db',
        TableName: 'acme-events-table',
        RoleARN: destination.RoleARN,
        VersionId: 'LATEST',
      },
    });
  });

  it('is created after its Glue table, which Firehose reads when the stream is created', () => {
    // Prepare
    const stack = emptyStack();
    eventsStreamIn(stack);

    // Act
    const template = Template.fromStack(stack);

    // Assert
    const [tableId] = Object.keys(
      template.findResources('AWS::Glue::Table', {
        Properties: { TableInput: { Name: 'acme-events-table' } },
      }),
    );
    const [stream] = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
    expect((stream as { DependsOn: string[] }).DependsOn).toContain(tableId);
  });

  it('offers the metrics of failed transformations and failed Parquet conversions', () => {
    // Prepare
    const stream = eventsStreamIn(emptyStack());

    // Act
    const processing = stream.metricExecuteProcessingSuccess();
    const conversion = stream.metricFailedConversionRecords();

    // Assert
    const dimensions = { DeliveryStreamName: 'acme-events' };
    expect(processing).toMatchObject({
      namespace: 'AWS/Firehose',
      metricName: 'ExecuteProcessing.Success',
      dimensions,
      statistic: 'Minimum',
    });
    expect(conversion).toMatchObject({
      namespace: 'AWS/Firehose',
      metricName: 'FailedConversion.Records',
      dimensions,
      statistic: 'Sum',
    });
  });

  it('rejects transformer batches a Lambda response could not hold, and every other wrong buffer at once', () => {
    // Act
    const error = thrownBy(() =>
      eventsStreamIn(emptyStack(), {
        bufferIntervalSeconds: 30,
        transformerBufferSizeMiB: 3,
        transformerBufferIntervalSeconds: 901,
      }),
    );

    // Assert
    expect(error.message).toBe(
      'Invalid props for EventsDeliveryStream at Test/EventsStream:\n' +
        '- bufferIntervalSeconds is 30; expected a whole number of seconds from 60 to 900. Fix: pass bufferIntervalSeconds from 60 to 900.\n' +
        '- transformerBufferSizeMiB is 3; expected a number of MiB from 0.2 to 2 (the rows are about 2.5 times the input, ' +
        'and a Lambda response may not exceed 6 MB). Fix: pass transformerBufferSizeMiB from 0.2 to 2.\n' +
        '- transformerBufferIntervalSeconds is 901; expected a whole number of seconds from 60 to 900. ' +
        'Fix: pass transformerBufferIntervalSeconds from 60 to 900.',
    );
  });
});
