import { execFileSync } from 'node:child_process';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { conversationFixtures, hourFolderOf } from '../../test/fixtures';
import { catalogIn, emptyStack, removeTestOutdirs } from '../../test/test-stack';
import { ConversationsDeliveryStream, conversationPartitionQuery } from './conversations-delivery-stream';

afterAll(() => {
  removeTestOutdirs();
});

describe('ConversationsDeliveryStream', () => {
  it('writes newline-delimited records into one folder per hour of their timestamp, found with jq', () => {
    // Prepare
    const stack = emptyStack();
    const catalog = catalogIn(stack);

    // Act
    new ConversationsDeliveryStream(stack, 'ConversationsStream', {
      streamName: 'acme-conversations',
      bucket: new s3.Bucket(stack, 'EventsBucket'),
      table: catalog.conversationsTable,
      bufferIntervalSeconds: 60,
    });

    // Assert
    Template.fromStack(stack).hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: {
        Prefix:
          'conversations/!{partitionKeyFromQuery:year}/!{partitionKeyFromQuery:month}/!{partitionKeyFromQuery:day}/!{partitionKeyFromQuery:hour}/',
        ErrorOutputPrefix: 'errors/conversations/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/',
        BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'MetadataExtraction',
              Parameters: [
                { ParameterName: 'MetadataExtractionQuery', ParameterValue: conversationPartitionQuery },
                { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
              ],
            },
            {
              Type: 'AppendDelimiterToRecord',
              Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }],
            },
          ],
        },
      },
    });
  });

  it.each(conversationFixtures().map((fixture) => [fixture.name, fixture]))(
    'extracts the UTC hour of %s with jq as the lake partitions it',
    (_name, fixture) => {
      // Prepare
      const record = JSON.parse(fixture.rawText) as { timestamp: number };

      // Act
      const keys = JSON.parse(
        execFileSync('jq', ['-c', conversationPartitionQuery], { input: fixture.rawText, encoding: 'utf8' }),
      );

      // Assert
      expect(`${keys.year}/${keys.month}/${keys.day}/${keys.hour}`).toBe(hourFolderOf(record.timestamp));
    },
  );

  it('fails the jq query for a record without a numeric timestamp, so Firehose sends it to the error prefix', () => {
    // Act
    const run = () =>
      execFileSync('jq', ['-c', conversationPartitionQuery], {
        input: '{"timestamp":"yesterday"}',
        stdio: 'pipe',
      });

    // Assert
    expect(run).toThrow(/cannot be divided/);
  });
});
