import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  catalogIn,
  conversationsStreamIn,
  emptyStack,
  eventsStreamIn,
  removeTestOutdirs,
  testBundleDirectory,
} from '../../test/test-stack';
import { IngestionAlarms } from './ingestion-alarms';
import { TransformerFunction } from './transformer-function';

afterAll(() => {
  removeTestOutdirs();
});

function alarmsTemplate(): Template {
  const stack = emptyStack();
  const catalog = catalogIn(stack);
  const transformer = new TransformerFunction(stack, 'Transformer', {
    functionName: 'acme-firehose-transformer',
    bundleDirectory: testBundleDirectory,
    templatesBucket: new s3.Bucket(stack, 'Templates'),
  });
  new IngestionAlarms(stack, 'Alarms', {
    alarmPrefix: 'acme',
    transformer,
    eventsStream: eventsStreamIn(stack, { transformer: transformer.function }, catalog),
    conversationsStream: conversationsStreamIn(stack, catalog),
  });
  return Template.fromStack(stack);
}

describe('IngestionAlarms', () => {
  let template: Template;

  beforeAll(() => {
    template = alarmsTemplate();
  });

  it('alarms on one record the transformer failed in five minutes, from its EMF metric', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'acme-transformer-records-failed',
      Namespace: 'EngagementDb',
      MetricName: 'RecordsFailed',
      Dimensions: [{ Name: 'service', Value: 'firehose-transformer' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms on transformer invocations that failed and rows that failed Parquet conversion', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'acme-transformer-errors',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'acme-events-format-conversion-failed',
      Namespace: 'AWS/Firehose',
      MetricName: 'FailedConversion.Records',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: 'acme-events' }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each([
    ['acme-events-delivery-failed', 'DeliveryToS3.Success', 'acme-events'],
    ['acme-events-processing-failed', 'ExecuteProcessing.Success', 'acme-events'],
    ['acme-conversations-delivery-failed', 'DeliveryToS3.Success', 'acme-conversations'],
  ])('alarms %s when %s of %s drops below 1', (alarmName, metricName, streamName) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: alarmName,
      Namespace: 'AWS/Firehose',
      MetricName: metricName,
      Dimensions: [{ Name: 'DeliveryStreamName', Value: streamName }],
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('has six alarms and no action on any', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: Record<string, unknown>;
    }[];

    // Assert
    expect(alarms).toHaveLength(6);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
  });
});
