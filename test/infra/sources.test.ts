import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestionSettings, settingsEnvironment } from '../../lib/ingestion-settings.js';
import { loadConfig } from '../../functions/config.js';
import { SymantecEdrIngestion } from '../../lib/symantec-edr-ingestion.js';
import { type Synthesized, ref, resourceOf, statementsOf, synthesize } from './synth-support.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:symantec/tenant-b-AbC123';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:soc-alarms';

const functionOf = (synth: Synthesized, prefix: string) => resourceOf(synth.template, 'AWS::Lambda::Function', prefix).resource;
const scheduleOf = (synth: Synthesized, prefix: string) => resourceOf(synth.template, 'AWS::Scheduler::Schedule', prefix).resource;

describe('several sources in one deployment', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({
      stackName: 'EdrTenants',
      sources: [
        { id: 'tenant-a' },
        { id: 'tenant-b', secretArn: SECRET_ARN, secretKmsKeyArn: KEY_ARN, scheduleRateMinutes: 15, memoryMb: 512, timeoutSeconds: 600 },
        {
          id: 'tenant-c',
          enabled: false,
          apiUrl: 'https://api.eu.example.com',
          tokenUrl: 'https://login.eu.example.com/oauth2/tokens',
          allowedApiHosts: ['api.eu.example.com', 'login.eu.example.com'],
          initialLookback: '7d',
          settleDelay: '90s',
          maxWindow: '12h',
          pageSize: 500,
          includeEvents: true,
          query: 'state_id:1',
          outputFormat: 'raw',
          preserveOriginalEvent: true,
          preserveDuplicateCustomFields: false,
          tags: ['edr', 'tenant-c'],
          dataStreamNamespace: 'tenant_c',
          dedupe: false,
        },
      ],
      scheduleRateMinutes: 10,
      memoryMb: 384,
      logRetentionDays: 90,
      lagThresholdSeconds: 7200,
      alarmEmail: 'soc@example.com',
    });
  });
  afterAll(() => synth?.cleanup());

  it('gives each source its function and schedule, and all of them one table and one stream', () => {
    synth.template.resourceCountIs('AWS::Lambda::Function', 3);
    synth.template.resourceCountIs('AWS::Scheduler::Schedule', 3);
    synth.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    synth.template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 1);
    for (const id of ['tenant-a', 'tenant-b', 'tenant-c']) {
      const prefix = `Source${id.replace('-', '')}`;
      expect(functionOf(synth, prefix).Properties.Environment.Variables.SOURCE_ID).toBe(id);
      expect(scheduleOf(synth, prefix).Properties.Target.Input).toBe(JSON.stringify({ source: id }));
    }
  });

  it('creates a secret for each source without one and uses the existing one by ARN', () => {
    const created = resourceOf(synth.template, 'AWS::SecretsManager::Secret', 'Sourcetenanta').id;

    expect(Object.keys(synth.template.findResources('AWS::SecretsManager::Secret'))).toEqual([
      created,
      expect.stringMatching(/^SourcetenantcCredentials/),
    ]);
    expect(functionOf(synth, 'Sourcetenanta').Properties.Environment.Variables.SYMANTEC_SECRET_ID).toEqual(ref(created));
    expect(functionOf(synth, 'Sourcetenantb').Properties.Environment.Variables.SYMANTEC_SECRET_ID).toBe(SECRET_ARN);
  });

  it('lets each function read only its own secret and touch only its own checkpoint items', () => {
    const created = resourceOf(synth.template, 'AWS::SecretsManager::Secret', 'Sourcetenanta').id;
    const secretOf = (prefix: string) =>
      statementsOf(synth.template, `${prefix}Role`).find((statement) => statement.Sid === 'ReadOwnCredentials')?.Resource;
    const leadingKeysOf = (prefix: string) =>
      statementsOf(synth.template, `${prefix}Role`).find((statement) => statement.Sid === 'CheckpointsOfThisSourceOnly')?.Condition;

    expect(secretOf('Sourcetenanta')).toEqual(ref(created));
    expect(secretOf('Sourcetenantb')).toBe(SECRET_ARN);
    expect(leadingKeysOf('Sourcetenantb')).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['source#tenant-b', 'seen#tenant-b#*'] },
    });
  });

  it("may decrypt an existing secret's customer-managed key through Secrets Manager only", () => {
    const decrypt = statementsOf(synth.template, 'SourcetenantbRole').find((statement) => statement.Sid === 'DecryptOwnCredentials');

    expect(decrypt).toEqual({
      Sid: 'DecryptOwnCredentials',
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: KEY_ARN,
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', ref('AWS::Region'), '.amazonaws.com']] } } },
    });
    expect(statementsOf(synth.template, 'SourcetenantaRole').some((statement) => statement.Sid === 'DecryptOwnCredentials')).toBe(false);
  });

  it('passes each setting that is set as its variable, and no variable for a setting that is not', () => {
    const variables = functionOf(synth, 'Sourcetenantc').Properties.Environment.Variables;

    expect(variables).toMatchObject({
      SYMANTEC_API_URL: 'https://api.eu.example.com',
      SYMANTEC_TOKEN_URL: 'https://login.eu.example.com/oauth2/tokens',
      INITIAL_LOOKBACK: '7d',
      SETTLE_DELAY: '90s',
      MAX_WINDOW: '12h',
      PAGE_SIZE: '500',
      INCLUDE_EVENTS: 'true',
      QUERY: 'state_id:1',
      OUTPUT_FORMAT: 'raw',
      PRESERVE_ORIGINAL_EVENT: 'true',
      PRESERVE_DUPLICATE_CUSTOM_FIELDS: 'false',
      TAGS: 'edr,tenant-c',
      DATA_STREAM_NAMESPACE: 'tenant_c',
      DEDUPE: 'false',
    });
    expect(Object.keys(functionOf(synth, 'Sourcetenanta').Properties.Environment.Variables).sort()).toEqual([
      'CHECKPOINT_TABLE',
      'DELIVERY_STREAM',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
      'SOURCE_ID',
      'SYMANTEC_SECRET_ID',
    ]);
  });

  it('applies the deployment-wide rate and memory, and a source its own overrides', () => {
    expect(scheduleOf(synth, 'Sourcetenanta').Properties.ScheduleExpression).toBe('rate(10 minutes)');
    expect(functionOf(synth, 'Sourcetenanta').Properties).toMatchObject({ MemorySize: 384, Timeout: 300 });
    expect(scheduleOf(synth, 'Sourcetenantb').Properties.ScheduleExpression).toBe('rate(15 minutes)');
    expect(functionOf(synth, 'Sourcetenantb').Properties).toMatchObject({ MemorySize: 512, Timeout: 600 });
  });

  it('ties the event age and the alarm periods to the schedule rate', () => {
    const fn = resourceOf(synth.template, 'AWS::Lambda::Function', 'Sourcetenantb').id;

    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: ref(fn), MaximumEventAgeInSeconds: 900 });
    expect(resourceOf(synth.template, 'AWS::CloudWatch::Alarm', 'SourcetenantbNoSuccessfulRunAlarm').resource.Properties.Period).toBe(900);
  });

  it('leaves a disabled source off, without the alarm its silence would raise', () => {
    expect(scheduleOf(synth, 'Sourcetenantc').Properties.State).toBe('DISABLED');
    expect(Object.keys(synth.template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.startsWith('Sourcetenantc'))).toEqual([
      expect.stringMatching(/^SourcetenantcFunctionErrorsAlarm/),
      expect.stringMatching(/^SourcetenantcFunctionThrottlesAlarm/),
      expect.stringMatching(/^SourcetenantcRecordsFailedAlarm/),
      expect.stringMatching(/^SourcetenantcWindowClampedAlarm/),
      expect.stringMatching(/^SourcetenantcCheckpointLagAlarm/),
    ]);
  });

  it('names the alarms after the stack and the source, and uses the configured lag threshold', () => {
    expect(resourceOf(synth.template, 'AWS::CloudWatch::Alarm', 'SourcetenantaCheckpointLagAlarm').resource.Properties).toMatchObject({
      AlarmName: 'EdrTenants-tenant-a-checkpoint-lag',
      Threshold: 7200,
    });
  });

  it('keeps every log group for the configured number of days', () => {
    const groups = Object.values(synth.template.findResources('AWS::Logs::LogGroup'));

    expect(groups).toHaveLength(4);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(90);
  });

  it('e-mails every alarm, on ALARM and back on OK, through an SSL-only topic', () => {
    const topic = resourceOf(synth.template, 'AWS::SNS::Topic').id;

    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'soc@example.com',
      TopicArn: ref(topic),
    });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
    });
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm'));
    // Five per source, the no-successful-run alarm of the two enabled ones, two on the stream.
    expect(alarms).toHaveLength(3 * 5 + 2 + 2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([ref(topic)]);
      expect(alarm.Properties.OKActions).toEqual([ref(topic)]);
    }
  });
});

describe('alarms sent to an existing topic', () => {
  it('notifies that topic and creates none', () => {
    const synth = synthesize({ sources: [{ id: 'a' }], alarmTopicArn: TOPIC_ARN });
    try {
      synth.template.resourceCountIs('AWS::SNS::Topic', 0);
      for (const alarm of Object.values(synth.template.findResources('AWS::CloudWatch::Alarm'))) {
        expect(alarm.Properties.AlarmActions).toEqual([TOPIC_ARN]);
      }
    } finally {
      synth.cleanup();
    }
  });
});

describe('SymantecEdrIngestion', () => {
  /** Synthesizes an app holding one ingestion with these props; CDK's validation runs then. */
  const synthWith = (overrides: Record<string, unknown>) => () => {
    // No bundling: these props are refused before the function's code matters.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Edr');
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const stream = firehose.DeliveryStream.fromDeliveryStreamName(stack, 'Stream', 'edr');
    new SymantecEdrIngestion(stack, 'Ingestion', { sourceId: 'a', checkpointTable: table, deliveryStream: stream, ...overrides });
    app.synth();
  };

  it('fails the synth on props outside what Lambda and the Scheduler accept, naming the construct, the prop and why', () => {
    expect(synthWith({ sourceId: 'Tenant A' })).toThrow(/^Edr\/Ingestion: sourceId "Tenant A" must be 1-48 characters/);
    expect(synthWith({ memorySize: 64 })).toThrow(/^Edr\/Ingestion: memorySize 64 must be a whole number of MB from 128 to 10240/);
    expect(synthWith({ timeout: Duration.minutes(16) })).toThrow(/timeout of 960s must be from 1 to 900 seconds/);
    expect(synthWith({ scheduleRate: Duration.seconds(90) })).toThrow(/scheduleRate of 90s must be a whole number of minutes/);
  });

  it('fails the synth on settings the function would refuse, as the function would', () => {
    expect(synthWith({ settings: { maxWindow: Duration.seconds(30) } })).toThrow(
      /\[Edr\/Ingestion\] settings\.maxWindow must be a duration from 1m to 30d/,
    );
    expect(synthWith({ settings: { requestTimeout: Duration.millis(10) } })).toThrow(
      /settings\.requestTimeout must be a duration from 1s to 15m/,
    );
    expect(synthWith({ settings: { pageSize: 10, pageOverlap: 10 } })).toThrow(
      /settings\.pageOverlap must be at most half of the page size \(10\)/,
    );
    expect(synthWith({ settings: { apiUrl: 'https://169.254.169.254' } })).toThrow(
      /settings\.apiUrl names the host 169\.254\.169\.254, which is not a Symantec API host/,
    );
  });

  it('exposes its metrics under the namespace and dimensions the function emits', () => {
    const stack = new Stack();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const ingestion = new SymantecEdrIngestion(stack, 'Ingestion', {
      sourceId: 'tenant-a',
      checkpointTable: table,
      deliveryStream: firehose.DeliveryStream.fromDeliveryStreamName(stack, 'Stream', 'edr'),
      scheduleRate: Duration.minutes(10),
    });

    const metric = ingestion.metric('RecordsDelivered');

    expect(metric.namespace).toBe('SymantecEdrCloud');
    expect(metric.dimensions).toEqual({ service: 'symantec-edr-cloud', source: 'tenant-a' });
    expect(metric.period.toMinutes()).toBe(10);
  });
});

describe('settingsEnvironment', () => {
  it('writes booleans, numbers and durations as text, tags comma-separated, and skips what is unset', () => {
    expect(
      settingsEnvironment({ pageSize: 100, dedupe: false, tags: ['a', 'b'], query: undefined, maxWindow: Duration.hours(6) }).environment,
    ).toEqual({
      PAGE_SIZE: '100',
      DEDUPE: 'false',
      TAGS: 'a,b',
      MAX_WINDOW: '6h',
    });
  });

  it('sets only variables the function reads, each of which changes its configuration', () => {
    const every: Required<IngestionSettings> = {
      apiUrl: 'https://api.sep.eu.securitycloud.symantec.com',
      tokenUrl: 'https://api.sep.eu.securitycloud.symantec.com/v1/oauth2/tokens',
      allowedApiHosts: ['gateway.example.com'],
      initialLookback: Duration.days(7),
      settleDelay: Duration.minutes(2),
      maxWindow: Duration.hours(6),
      pageSize: 500,
      pageOverlap: 20,
      maxPagesPerWindow: 50,
      windowSplitThreshold: 5000,
      updateSweepInterval: Duration.hours(12),
      updateSweepHorizon: Duration.days(3),
      requestTimeout: Duration.seconds(10),
      includeEvents: true,
      query: 'state_id: [0 TO 3]',
      outputFormat: 'raw',
      preserveOriginalEvent: true,
      preserveDuplicateCustomFields: true,
      tags: ['soc'],
      dataStreamNamespace: 'prod',
      dedupe: false,
    };
    const required = { SYMANTEC_SECRET_ID: 'secret', CHECKPOINT_TABLE: 'table', DELIVERY_STREAM: 'stream' };
    const defaults = loadConfig(required);

    const { environment, problems } = settingsEnvironment(every);

    expect(problems).toEqual([]);
    expect(Object.keys(environment)).toHaveLength(Object.keys(every).length);
    for (const [name, value] of Object.entries(environment)) {
      expect(loadConfig({ ...required, [name]: value }), name).not.toEqual(defaults);
    }
  });
});
