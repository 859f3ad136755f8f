import { Match, Template } from 'aws-cdk-lib/assertions';
import { emptyStack, removeTestOutdirs, thrownBy } from '../../test/test-stack';
import { EngagementBuckets } from './engagement-buckets';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

afterAll(() => {
  removeTestOutdirs();
});

function templateOf(props: ConstructorParameters<typeof EngagementBuckets>[2] = {}): Template {
  const stack = emptyStack();
  new EngagementBuckets(stack, 'Buckets', props);
  return Template.fromStack(stack);
}

function lifecycleRulesOf(template: Template): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::S3::Bucket') as Resources).flatMap(
    (bucket) => (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules,
  );
}

describe('EngagementBuckets', () => {
  it('creates three buckets, all encrypted, retained, with public access blocked and TLS required', () => {
    // Act
    const template = templateOf();

    // Assert
    const buckets = template.findResources('AWS::S3::Bucket') as Resources;
    expect(Object.keys(buckets)).toHaveLength(3);
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
        },
      });
    }
    template.resourceCountIs('AWS::S3::BucketPolicy', 3);
  });

  it('logs access to the events and templates buckets into the access-log bucket', () => {
    // Prepare
    const template = templateOf();
    const [accessLogs] = Object.keys(
      template.findResources('AWS::S3::Bucket', {
        Properties: { LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs' })] } },
      }),
    );

    // Act
    const logged = Object.values(template.findResources('AWS::S3::Bucket') as Resources)
      .map((bucket) => bucket.Properties.LoggingConfiguration)
      .filter((logging) => logging !== undefined);

    // Assert
    expect(logged).toEqual([
      { DestinationBucketName: { Ref: accessLogs }, LogFilePrefix: 'events-bucket/' },
      { DestinationBucketName: { Ref: accessLogs }, LogFilePrefix: 'templates-bucket/' },
    ]);
  });

  it('expires errors after 30 days and access logs after 90, and keeps data forever, by default', () => {
    // Act
    const rules = lifecycleRulesOf(templateOf());

    // Assert
    expect(rules.filter((rule) => rule.ExpirationInDays !== undefined)).toEqual([
      { Id: 'expire-access-logs', ExpirationInDays: 90, Status: 'Enabled' },
      { Id: 'expire-errors', Prefix: 'errors/', ExpirationInDays: 30, Status: 'Enabled' },
    ]);
  });

  it('expires events and conversations when dataRetentionDays is set', () => {
    // Act
    const rules = lifecycleRulesOf(templateOf({ dataRetentionDays: 400, errorRetentionDays: 7 }));

    // Assert
    expect(rules).toEqual(
      expect.arrayContaining([
        { Id: 'expire-errors', Prefix: 'errors/', ExpirationInDays: 7, Status: 'Enabled' },
        { Id: 'expire-events', Prefix: 'events/', ExpirationInDays: 400, Status: 'Enabled' },
        { Id: 'expire-conversations', Prefix: 'conversations/', ExpirationInDays: 400, Status: 'Enabled' },
      ]),
    );
  });

  it('rejects retentions S3 cannot keep, saying which, what was expected and how to fix it', () => {
    // Act
    const error = thrownBy(
      () =>
        new EngagementBuckets(emptyStack(), 'Buckets', {
          dataRetentionDays: -1,
          accessLogRetentionDays: 1.5,
        }),
    );

    // Assert
    expect(error.name).toBe('InvalidPropsError');
    expect(error.message).toBe(
      'Invalid props for EngagementBuckets at Test/Buckets:\n' +
        '- dataRetentionDays is -1; expected a whole number of days from 0 to 36500, 0 keeping events and ' +
        'conversations forever. Fix: pass dataRetentionDays from 0 to 36500.\n' +
        '- accessLogRetentionDays is 1.5; expected a whole number of days from 1 to 3650. ' +
        'Fix: pass accessLogRetentionDays from 1 to 3650.',
    );
  });
});
