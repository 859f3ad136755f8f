import { Template } from 'aws-cdk-lib/assertions';
import { emptyStack, removeTestOutdirs, thrownBy } from '../../test/test-stack';
import { QueryResultsBuckets } from './query-results-buckets';

type Resources = Record<string, { DeletionPolicy?: string; Properties: Record<string, unknown> }>;

afterAll(() => {
  removeTestOutdirs();
});

describe('QueryResultsBuckets', () => {
  it('makes the results bucket encrypted, TLS-only, private, expiring and logged into the access-log bucket', () => {
    // Prepare
    const stack = emptyStack();
    new QueryResultsBuckets(stack, 'Buckets', { queryResultRetentionDays: 7, accessLogRetentionDays: 400 });

    // Act
    const template = Template.fromStack(stack);

    // Assert
    const buckets = template.findResources('AWS::S3::Bucket') as Resources;
    const [accessLogs] = Object.keys(buckets).filter((id) => id.includes('AccessLogs'));
    const [results] = Object.keys(buckets).filter((id) => id.includes('Results'));
    for (const bucket of Object.values(buckets)) {
      expect(bucket).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        },
      });
    }
    expect(buckets[results].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: accessLogs },
      LogFilePrefix: 'query-results-bucket/',
    });
    expect(buckets[results].Properties.LifecycleConfiguration).toEqual({
      Rules: [
        { Id: 'expire-query-results', ExpirationInDays: 7, Status: 'Enabled' },
        {
          Id: 'abort-incomplete-uploads',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Status: 'Enabled',
        },
      ],
    });
    expect(buckets[accessLogs].Properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'expire-access-logs', ExpirationInDays: 400, Status: 'Enabled' }],
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).map(
      (policy) => policy.Properties.PolicyDocument.Statement[0],
    );
    expect(policies).toHaveLength(2);
    for (const statement of policies) {
      expect(statement).toMatchObject({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });

  it('rejects retentions S3 cannot keep, saying which, what was expected and how to fix it', () => {
    // Act
    const error = thrownBy(
      () =>
        new QueryResultsBuckets(emptyStack(), 'Buckets', {
          queryResultRetentionDays: 0,
          accessLogRetentionDays: 2.5,
        }),
    );

    // Assert
    expect(error.name).toBe('InvalidPropsError');
    expect(error.message).toBe(
      'Invalid props for QueryResultsBuckets at Test/Buckets:\n' +
        '- queryResultRetentionDays is 0; expected a whole number of days from 1 to 3650. Fix: pass queryResultRetentionDays from 1 to 3650.\n' +
        '- accessLogRetentionDays is 2.5; expected a whole number of days from 1 to 3650. Fix: pass accessLogRetentionDays from 1 to 3650.',
    );
  });
});
