import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, arnOf, ref, resourceOf, statementsOf, synthesize } from './synth-support.js';

const API_KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elastic-api-key-AbC123';
const ENDPOINT = 'https://edr.es.eu-west-1.aws.elastic-cloud.com';

const environmentOf = (synth: Synthesized, sourcePrefix: string) =>
  resourceOf(synth.template, 'AWS::Lambda::Function', sourcePrefix).resource.Properties.Environment.Variables as Record<string, unknown>;
const deliverStatement = (synth: Synthesized, rolePrefix: string) =>
  statementsOf(synth.template, rolePrefix).find((statement) => statement.Sid === 'DeliverDocuments');

describe('delivery to Elastic', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({
      sources: [{ id: 'raw-by-default' }, { id: 'asks-for-ecs', outputFormat: 'ecs' }],
      delivery: { type: 'elastic', endpointUrl: ENDPOINT, apiKeySecretArn: API_KEY_ARN },
    });
  });
  afterAll(() => synth?.cleanup());

  it('posts GZIP requests of at most 1 MiB every 60 s to the endpoint, with the API key from Secrets Manager', () => {
    const role = resourceOf(synth.template, 'AWS::IAM::Role', 'DeliveryRole').id;

    synth.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: ENDPOINT, Name: 'Elastic' },
        SecretsManagerConfiguration: { Enabled: true, SecretARN: API_KEY_ARN, RoleARN: arnOf(role) },
        RequestConfiguration: {
          ContentEncoding: 'GZIP',
          CommonAttributes: [{ AttributeName: 'es_datastream_name', AttributeValue: 'logs-symantec_edr_cloud.incident-default' }],
        },
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 },
        RetryOptions: { DurationInSeconds: 300 },
        RoleARN: arnOf(role),
      },
    });
    const { resource } = resourceOf(synth.template, 'AWS::KinesisFirehose::DeliveryStream');
    expect(resource.Properties.HttpEndpointDestinationConfiguration.EndpointConfiguration.AccessKey).toBeUndefined();
  });

  it('keeps the records Elastic refused in an encrypted bucket of their own', () => {
    const bucket = resourceOf(synth.template, 'AWS::S3::Bucket', 'FailedDeliveryBucket').id;

    synth.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      HttpEndpointDestinationConfiguration: {
        S3BackupMode: 'FailedDataOnly',
        S3Configuration: {
          BucketARN: arnOf(bucket),
          CompressionFormat: 'GZIP',
          Prefix: 'failed/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        },
      },
    });
    synth.template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets Firehose read the API key secret and nothing else besides its bucket and logs', () => {
    const statements = statementsOf(synth.template, 'DeliveryRole');

    expect(statements.map((statement) => statement.Sid)).toEqual(['BucketLevel', 'ObjectLevel', 'DeliveryErrorLogs', 'ReadElasticApiKey']);
    expect(statements[3]).toEqual({
      Sid: 'ReadElasticApiKey',
      Action: 'secretsmanager:GetSecretValue',
      Effect: 'Allow',
      Resource: API_KEY_ARN,
    });
  });

  it('sends raw incidents unless a source asks for ECS documents', () => {
    expect(environmentOf(synth, 'Sourcerawbydefault').OUTPUT_FORMAT).toBe('raw');
    expect(environmentOf(synth, 'Sourceasksforecs').OUTPUT_FORMAT).toBe('ecs');
  });

  it('raises the delivery alarm on the HTTP endpoint success ratio', () => {
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToHttpEndpoint.Success',
      Statistic: 'Average',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    });
  });

  it('raises the freshness alarm when a record waits 15 minutes past the 60 s buffer of the HTTP endpoint', () => {
    expect(resourceOf(synth.template, 'AWS::CloudWatch::Alarm', 'DeliveryFreshnessAlarm').resource.Properties).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToHttpEndpoint.DataFreshness',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 960,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('delivery to Elastic with a data stream of its own', () => {
  it('passes the data stream name as the es_datastream_name parameter', () => {
    const synth = synthesize({
      sources: [{ id: 'a' }],
      delivery: { type: 'elastic', endpointUrl: ENDPOINT, apiKeySecretArn: API_KEY_ARN, dataStreamName: 'logs-edr.incidents-soc' },
    });
    try {
      synth.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        HttpEndpointDestinationConfiguration: {
          RequestConfiguration: { CommonAttributes: [{ AttributeName: 'es_datastream_name', AttributeValue: 'logs-edr.incidents-soc' }] },
        },
      });
    } finally {
      synth.cleanup();
    }
  });
});

describe('an existing delivery stream given by name', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ sources: [{ id: 'a' }], delivery: { type: 'existing', streamName: 'soc-firehose' } });
  });
  afterAll(() => synth?.cleanup());

  it('creates no stream, no bucket and no delivery alarm', () => {
    synth.template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    synth.template.resourceCountIs('AWS::S3::Bucket', 0);
    synth.template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
  });

  it('writes to the named stream of the stack account and region', () => {
    expect(environmentOf(synth, 'Sourcea').DELIVERY_STREAM).toBe('soc-firehose');
    expect(deliverStatement(synth, 'SourceaRole')?.Resource).toEqual({
      'Fn::Join': [
        '',
        ['arn:', ref('AWS::Partition'), ':firehose:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':deliverystream/soc-firehose'],
      ],
    });
  });
});

describe('an existing delivery stream given by ARN', () => {
  it('writes to that stream, named by the ARN', () => {
    const streamArn = 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/soc-firehose';
    const synth = synthesize({ sources: [{ id: 'a' }], delivery: { type: 'existing', streamArn } });
    try {
      synth.template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
      expect(environmentOf(synth, 'Sourcea').DELIVERY_STREAM).toBe('soc-firehose');
      expect(deliverStatement(synth, 'SourceaRole')?.Resource).toBe(streamArn);
    } finally {
      synth.cleanup();
    }
  });
});
