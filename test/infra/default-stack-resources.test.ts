/**
 * The shared resources of the stack cdk.json describes: the checkpoint table, the S3 delivery, the alarms
 * and the dashboard. Bundling is skipped here; default-stack.test.ts checks the real bundle.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, arnOf, cdkJson, ref, resourceOf, statementsOf, synthesize } from './synth-support.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(cdkJson.context.symantecEdr);
});
afterAll(() => synth?.cleanup());

describe('the checkpoint table', () => {
  it('is on demand, recoverable, encrypted, expires the seen-set and is kept on delete', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('keeps the logical ids of the table and the stream (a new id would replace them)', () => {
    expect(resourceOf(synth.template, 'AWS::DynamoDB::Table').id).toBe('CheckpointTableBFD208F9');
    expect(resourceOf(synth.template, 'AWS::KinesisFirehose::DeliveryStream').id).toBe('DeliveryStream58CF96DB');
  });
});

describe('the S3 delivery', () => {
  it('writes GZIP objects under date partitions, failures under their own prefix, through an encrypted stream', () => {
    const bucket = resourceOf(synth.template, 'AWS::S3::Bucket').id;
    const role = resourceOf(synth.template, 'AWS::IAM::Role', 'DeliveryRole').id;

    synth.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: {
        BucketARN: arnOf(bucket),
        RoleARN: arnOf(role),
        CompressionFormat: 'GZIP',
        Prefix: 'incidents/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        CloudWatchLoggingOptions: { Enabled: true },
      },
    });
  });

  it('keeps a private, encrypted bucket reachable over TLS 1.2+ only, without stale upload parts', () => {
    const bucket = resourceOf(synth.template, 'AWS::S3::Bucket').id;

    synth.template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [{ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }] },
      },
      DeletionPolicy: 'Retain',
    });
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('gives Firehose a role that may write to this bucket and its log group only, and delete nothing', () => {
    const bucket = resourceOf(synth.template, 'AWS::S3::Bucket').id;
    const logGroup = resourceOf(synth.template, 'AWS::Logs::LogGroup', 'DeliveryLogGroup').id;

    expect(statementsOf(synth.template, 'DeliveryRole')).toEqual([
      {
        Sid: 'BucketLevel',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Effect: 'Allow',
        Resource: arnOf(bucket),
      },
      {
        Sid: 'ObjectLevel',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [arnOf(bucket), '/*']] },
      },
      { Sid: 'DeliveryErrorLogs', Action: 'logs:PutLogEvents', Effect: 'Allow', Resource: arnOf(logGroup) },
    ]);
  });
});

describe('the alarms', () => {
  const alarm = (name: string) => resourceOf(synth.template, 'AWS::CloudWatch::Alarm', name).resource.Properties as Record<string, unknown>;
  const dimensions = [
    { Name: 'service', Value: 'symantec-edr-cloud' },
    { Name: 'source', Value: 'default' },
  ];

  it('watches function errors', () => {
    expect(alarm('SourcedefaultFunctionErrorsAlarm')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('raises when no run succeeded for 3 intervals, counting silence as failure', () => {
    expect(alarm('SourcedefaultNoSuccessfulRunAlarm')).toMatchObject({
      AlarmName: 'SymantecEdrCloudIngestion-default-no-successful-run',
      Namespace: 'SymantecEdrCloud',
      MetricName: 'RunSucceeded',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
  });

  it('raises on a checkpoint lag above an hour, on failed records and on a clamped window', () => {
    expect(alarm('SourcedefaultCheckpointLagAlarm')).toMatchObject({
      MetricName: 'CheckpointLagSeconds',
      Dimensions: dimensions,
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 3600,
    });
    expect(alarm('SourcedefaultRecordsFailedAlarm')).toMatchObject({
      MetricName: 'RecordsFailed',
      Dimensions: dimensions,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    expect(alarm('SourcedefaultWindowClampedAlarm')).toMatchObject({
      MetricName: 'WindowClamped',
      Dimensions: dimensions,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('raises when Firehose fails to deliver to S3', () => {
    const stream = resourceOf(synth.template, 'AWS::KinesisFirehose::DeliveryStream').id;

    expect(alarm('DeliveryFailuresAlarm')).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.Success',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: ref(stream) }],
      Statistic: 'Average',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
  });

  it('notifies no one when neither an e-mail nor a topic is configured', () => {
    synth.template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    synth.template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(synth.template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });
});

describe('the dashboard', () => {
  it('shows incidents fetched and delivered, lag, duration, errors and the alarms', () => {
    const { resource } = resourceOf(synth.template, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(resource.Properties.DashboardBody);

    expect(resource.Properties.DashboardName).toBe('SymantecEdrCloudIngestion');
    for (const shown of [
      'IncidentsFetched',
      'RecordsDelivered',
      'CheckpointLagSeconds',
      'RunDurationMs',
      'Errors',
      'RecordsFailed',
      'WindowClamped',
      'DeliveryToS3.Success',
      'SourcedefaultNoSuccessfulRunAlarm',
    ]) {
      expect(body).toContain(shown);
    }
  });
});
