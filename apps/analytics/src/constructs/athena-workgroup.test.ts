import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { emptyStack, removeTestOutdirs, thrownBy, workgroupIn } from '../../test/test-stack';
import { AthenaWorkgroup } from './athena-workgroup';

afterAll(() => {
  removeTestOutdirs();
});

describe('AthenaWorkgroup', () => {
  it('enforces engine 3, encrypted results in the bucket and the bytes-scanned cutoff', () => {
    // Prepare
    const stack = emptyStack();
    new AthenaWorkgroup(stack, 'Workgroup', {
      workgroupName: 'acme-analytics',
      resultsBucket: new s3.Bucket(stack, 'Results'),
      resultsPrefix: 'athena/',
      bytesScannedCutoffMb: 10,
    });

    // Act
    const template = Template.fromStack(stack);

    // Assert
    const [bucket] = Object.keys(template.findResources('AWS::S3::Bucket'));
    expect(Object.values(template.findResources('AWS::Athena::WorkGroup'))).toEqual([
      {
        Type: 'AWS::Athena::WorkGroup',
        Properties: {
          Name: 'acme-analytics',
          Description: 'engagement-db: the analytics views, the saved queries and QuickSight.',
          State: 'ENABLED',
          RecursiveDeleteOption: true,
          WorkGroupConfiguration: {
            EnforceWorkGroupConfiguration: true,
            PublishCloudWatchMetricsEnabled: true,
            BytesScannedCutoffPerQuery: 10_000_000,
            EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
            ResultConfiguration: {
              OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/athena/']] },
              EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
              ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
            },
          },
        },
      },
    ]);
  });

  it('grants starting queries with the result writes, and following them, on this workgroup only', () => {
    // Prepare
    const stack = emptyStack();
    const workgroup = workgroupIn(stack);
    const runner = new iam.Role(stack, 'Runner', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const follower = new iam.Role(stack, 'Follower', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });

    // Act
    workgroup.grantStartQueryExecution(runner);
    workgroup.grantGetQueryExecution(follower);

    // Assert
    const template = Template.fromStack(stack);
    const [bucket] = Object.keys(template.findResources('AWS::S3::Bucket'));
    const workgroupArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':athena:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':workgroup/',
          { Ref: 'Workgroup' },
        ],
      ],
    };
    const statementsOf = (role: string) =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const [runnerId] = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) =>
      id.startsWith('Runner'),
    );
    const [followerId] = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) =>
      id.startsWith('Follower'),
    );
    expect(statementsOf(runnerId)).toEqual([
      { Action: 'athena:StartQueryExecution', Effect: 'Allow', Resource: workgroupArn },
      {
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
      },
      {
        Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/results/*']] },
      },
    ]);
    expect(statementsOf(followerId)).toEqual([
      { Action: 'athena:GetQueryExecution', Effect: 'Allow', Resource: workgroupArn },
    ]);
  });

  it('rejects a cutoff below Athena’s minimum, a name Athena refuses and a prefix that is no folder', () => {
    // Prepare
    const stack = emptyStack();

    // Act
    const error = thrownBy(
      () =>
        new AthenaWorkgroup(stack, 'Workgroup', {
          workgroupName: 'acme analytics',
          resultsBucket: new s3.Bucket(stack, 'Results'),
          resultsPrefix: 'results',
          bytesScannedCutoffMb: 9,
        }),
    );

    // Assert
    expect(error.name).toBe('InvalidPropsError');
    expect(error.message).toBe(
      'Invalid props for AthenaWorkgroup at Test/Workgroup:\n' +
        '- workgroupName is "acme analytics"; expected 1 to 128 letters, digits, periods, hyphens or underscores. ' +
        'Fix: pass a workgroupName such as "engagementdb-analytics".\n' +
        '- resultsPrefix is "results"; expected a key prefix ending with "/" and without "*", e.g. "results/". ' +
        'Fix: pass resultsPrefix: "results/".\n' +
        '- bytesScannedCutoffMb is 9; expected a whole number of MB from 10 (Athena’s minimum) to 10000000. ' +
        'Fix: pass bytesScannedCutoffMb from 10 to 10000000.',
    );
  });
});
