import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { addDeliveryAlarm, addIngestionAlarms } from './alarms.js';
import type { DeliveryConfig, IngestionConfig, SourceConfig } from './config.js';
import { createDashboard } from './dashboard.js';
import { createDelivery, type Delivery } from './delivery.js';
import { ELASTIC_DEFAULT_FORMAT, withElasticDataStream } from './elastic-data-stream.js';
import type { IngestionSettings } from './ingestion-settings.js';
import { DEFAULT_LOG_RETENTION, SymantecEdrIngestion } from './symantec-edr-ingestion.js';
import { TTL_ATTRIBUTE } from '../functions/aws/table-keys.js';

/** The stack's name when the configuration gives none. */
export const DEFAULT_STACK_NAME = 'SymantecEdrCloudIngestion';
const DEFAULT_LAG_THRESHOLD = Duration.hours(1);

export interface IngestionStackProps extends StackProps {
  readonly config: IngestionConfig;
}

/**
 * Everything the ingestion needs: one SymantecEdrIngestion per source, the checkpoint table and the
 * delivery stream they share, the alarms, their topic and a dashboard.
 */
export class IngestionStack extends Stack {
  readonly checkpointTable: dynamodb.Table;
  readonly delivery: Delivery;
  readonly ingestions: readonly SymantecEdrIngestion[];
  readonly alarmTopic: sns.ITopic | undefined;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: IngestionStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention: logs.RetentionDays = config.logRetentionDays ?? DEFAULT_LOG_RETENTION;
    const deliveryConfig: DeliveryConfig = config.delivery ?? { type: 's3' };

    // The construct id is a contract: renaming it replaces the table, and every checkpoint with it.
    this.checkpointTable = new dynamodb.Table(this, 'CheckpointTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS-managed key: its use shows in CloudTrail, it costs no monthly fee and needs no key policy.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // The seen-set's items expire on their own (31 days: a day past the API's 30-day retention).
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.delivery = createDelivery(this, withElasticDataStream(deliveryConfig, config.sources), logRetention);

    this.ingestions = config.sources.map(
      (source) =>
        new SymantecEdrIngestion(this, `Source-${source.id}`, {
          sourceId: source.id,
          checkpointTable: this.checkpointTable,
          deliveryStream: this.delivery.stream,
          credentials:
            source.secretArn === undefined
              ? undefined
              : secretsmanager.Secret.fromSecretCompleteArn(this, `Source-${source.id}-Credentials`, source.secretArn),
          credentialsKey: source.secretKmsKeyArn === undefined ? undefined : { keyArn: source.secretKmsKeyArn },
          settings: settingsOf(source, deliveryConfig),
          enabled: source.enabled,
          scheduleRate: minutes(source.scheduleRateMinutes ?? config.scheduleRateMinutes),
          memorySize: source.memoryMb ?? config.memoryMb,
          timeout: seconds(source.timeoutSeconds ?? config.timeoutSeconds),
          logRetention,
        }),
    );

    this.alarmTopic = this.createAlarmTopic(config);
    const action = this.alarmTopic === undefined ? undefined : new cloudwatchActions.SnsAction(this.alarmTopic);
    const lagThreshold = seconds(config.lagThresholdSeconds) ?? DEFAULT_LAG_THRESHOLD;
    const alarms = this.ingestions.flatMap((ingestion) => addIngestionAlarms(ingestion, { lagThreshold, action }));
    const { deliverySuccess } = this.delivery;
    if (deliverySuccess) alarms.push(addDeliveryAlarm(this, deliverySuccess, action));
    this.alarms = alarms;

    createDashboard(this, {
      ingestions: this.ingestions,
      alarms,
      lagThreshold,
      delivery: deliverySuccess === undefined ? undefined : { stream: this.delivery.stream, success: deliverySuccess },
    });
    new CfnOutput(this, 'CheckpointTableName', { description: 'Checkpoint table', value: this.checkpointTable.tableName });
  }

  private createAlarmTopic(config: IngestionConfig): sns.ITopic | undefined {
    if (config.alarmTopicArn !== undefined) return sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn);
    if (config.alarmEmail === undefined) return undefined;
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: `${this.stackName} alarms`, enforceSSL: true });
    topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    new CfnOutput(this, 'AlarmTopicArn', { description: 'Topic the alarms notify', value: topic.topicArn });
    return topic;
  }
}

/**
 * The settings the function reads from its environment. For Elastic the output format defaults to `raw`:
 * Elastic's Firehose endpoint stores each record as a string in `message`, and the integration's pipeline
 * is what turns a raw incident in `message` into the ECS document (see `withElasticDataStream`).
 */
function settingsOf(source: SourceConfig, delivery: DeliveryConfig): IngestionSettings {
  const { id, secretArn, secretKmsKeyArn, enabled, scheduleRateMinutes, memoryMb, timeoutSeconds, ...settings } = source;
  if (delivery.type === 'elastic' && settings.outputFormat === undefined) return { ...settings, outputFormat: ELASTIC_DEFAULT_FORMAT };
  return settings;
}

function minutes(value: number | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.minutes(value);
}

function seconds(value: number | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.seconds(value);
}
