import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { TTL_ATTRIBUTE } from '../functions/aws/table-keys.js';
import { SOURCE_ID_RULE, isValidSourceId } from '../functions/source-id.js';
import { addDeliveryAlarms } from './alarms.js';
import { createDashboard } from './dashboard.js';
import { Delivery, type DeliveryResources } from './delivery.js';
import type { IngestionSettings } from './ingestion-settings.js';
import { acknowledgeFindings } from './nag-acknowledgements.js';
import { DEFAULT_RUNBOOK_URL } from './runbook.js';
import { createSavedQueries } from './saved-queries.js';
import { DEFAULT_LOG_RETENTION, SymantecEdrIngestion } from './symantec-edr-ingestion.js';

/** One Symantec EDR Cloud tenant to read. */
export interface SourceProps {
  /** Names the source's resources, its metrics and its checkpoint: renaming it starts it from scratch. */
  readonly id: string;
  /** The secret holding `{"client_id","client_secret"}`. @default - a new secret with no value, kept on stack deletion */
  readonly credentials?: secretsmanager.ISecret;
  /** The customer-managed key of `credentials`, if it has one. @default - none */
  readonly credentialsKey?: { readonly keyArn: string };
  /** Whether its schedule runs. @default true */
  readonly enabled?: boolean;
  /** @default the deployment's `scheduleRate` */
  readonly scheduleRate?: Duration;
  /** @default the deployment's `memorySize` */
  readonly memorySize?: number;
  /** @default the deployment's `timeout` */
  readonly timeout?: Duration;
  /** The function's settings for this source (docs/configuration.md). @default - the function's defaults */
  readonly settings?: IngestionSettings;
}

export interface SymantecEdrCloudProps {
  /** The sources (tenants), at least one, each id once. */
  readonly sources: readonly SourceProps[];
  /** Where the documents go. @default Delivery.s3() */
  readonly delivery?: Delivery;
  /** How often each source runs. @default Duration.minutes(5) */
  readonly scheduleRate?: Duration;
  /** Function memory in MB. @default 256 */
  readonly memorySize?: number;
  /** Function timeout; a run stops early and saves its place before it. @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** Retention of the functions' and Firehose's logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** The checkpoint lag above which a source's lag alarm goes off. @default Duration.hours(1) */
  readonly lagThreshold?: Duration;
  /** A new SNS topic with this address subscribed receives every alarm. @default - no notification */
  readonly alarmEmail?: string;
  /** An existing topic receives every alarm (not with `alarmEmail`). @default - no notification */
  readonly alarmTopic?: sns.ITopic;
  /** The operations guide each alarm's description links to. @default DEFAULT_RUNBOOK_URL (docs/operations.md of the repository) */
  readonly runbookUrl?: string;
  /** esbuild options laid over the function's. @default - minified CommonJS with a source map */
  readonly bundling?: lambdaNodejs.BundlingOptions;
}

const DEFAULT_LAG_THRESHOLD = Duration.hours(1);

/**
 * The whole ingestion in any stack: the checkpoint table, the delivery, one scheduled function per source
 * with its alarms, the alarm topic and a dashboard. Construct ids below are a contract: renaming one
 * replaces the resource (a new, empty checkpoint table would start every source from scratch).
 */
export class SymantecEdrCloud extends Construct {
  readonly checkpointTable: dynamodb.Table;
  readonly delivery: DeliveryResources;
  readonly ingestions: readonly SymantecEdrIngestion[];
  readonly alarmTopic: sns.ITopic | undefined;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: SymantecEdrCloudProps) {
    super(scope, id);
    const problems = deploymentProblems(props);
    this.node.addValidation({ validate: () => problems });
    const logRetention = props.logRetention ?? DEFAULT_LOG_RETENTION;
    const lagThreshold = props.lagThreshold ?? DEFAULT_LAG_THRESHOLD;

    this.checkpointTable = new dynamodb.Table(this, 'CheckpointTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS-managed key: its use shows in CloudTrail, it costs no monthly fee and needs no key policy.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Seen-marks expire on their own, 31 days after their last write: a day past the API's 30 days.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Every stream construct, imported ones too, adds aws-cdk-lib's Firehose CIDR mapping to the stack.
    acknowledgeFindings(Stack.of(this), ['unusedFirehoseMapping']);
    this.delivery = (props.delivery ?? Delivery.s3()).bind(this, {
      logRetention,
      outputFormats: props.sources.map((source) => source.settings?.outputFormat),
    });

    this.alarmTopic = this.createAlarmTopic(props);
    const alarmAction = this.alarmTopic === undefined ? undefined : new cloudwatchActions.SnsAction(this.alarmTopic);
    const runbookUrl = props.runbookUrl ?? DEFAULT_RUNBOOK_URL;
    this.ingestions = props.sources.map(
      (source) =>
        new SymantecEdrIngestion(this, `Source-${source.id}`, {
          sourceId: source.id,
          checkpointTable: this.checkpointTable,
          deliveryStream: this.delivery.stream,
          securityLake: this.delivery.securityLake,
          credentials: source.credentials,
          credentialsKey: source.credentialsKey,
          settings: this.settingsOf(source),
          enabled: source.enabled,
          scheduleRate: source.scheduleRate ?? props.scheduleRate,
          memorySize: source.memorySize ?? props.memorySize,
          timeout: source.timeout ?? props.timeout,
          logRetention,
          lagThreshold,
          alarmAction,
          runbookUrl,
          bundling: props.bundling,
        }),
    );
    const alarms = this.ingestions.flatMap((ingestion) => ingestion.alarms);
    const { deliverySuccess, deliveryFreshness } = this.delivery;
    if (deliverySuccess && deliveryFreshness) {
      alarms.push(
        ...addDeliveryAlarms(this, {
          success: deliverySuccess,
          freshness: deliveryFreshness.metric,
          bufferInterval: deliveryFreshness.bufferInterval,
          runbookUrl,
          ...(alarmAction === undefined ? {} : { action: alarmAction }),
        }),
      );
    }
    this.alarms = alarms;
    createSavedQueries(this, { folder: Stack.of(this).stackName, logGroups: this.ingestions.map((ingestion) => ingestion.logGroup) });

    createDashboard(this, {
      ingestions: this.ingestions,
      alarms,
      lagThreshold,
      delivery:
        deliverySuccess === undefined || this.delivery.stream === undefined
          ? undefined
          : { stream: this.delivery.stream, success: deliverySuccess },
    });
    new CfnOutput(this, 'CheckpointTableName', { description: 'Checkpoint table', value: this.checkpointTable.tableName });
  }

  private settingsOf(source: SourceProps): IngestionSettings {
    const settings = source.settings ?? {};
    const fallback = this.delivery.defaultOutputFormat;
    return settings.outputFormat === undefined && fallback !== undefined ? { ...settings, outputFormat: fallback } : settings;
  }

  private createAlarmTopic(props: SymantecEdrCloudProps): sns.ITopic | undefined {
    if (props.alarmTopic !== undefined) return props.alarmTopic;
    if (props.alarmEmail === undefined) return undefined;
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: `${Stack.of(this).stackName} alarms`, enforceSSL: true });
    topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    new CfnOutput(this, 'AlarmTopicArn', { description: 'Topic the alarms notify', value: topic.topicArn });
    return topic;
  }
}

/** What is wrong with the deployment as a whole; each source's own props are checked by its construct. */
function deploymentProblems(props: SymantecEdrCloudProps): string[] {
  const problems: string[] = [];
  if (props.sources.length === 0) problems.push('sources must name at least one source, e.g. [{ id: "default" }]');
  const ids = props.sources.map((source) => source.id);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) problems.push(`sources must not repeat an id (each id owns a checkpoint): ${[...new Set(repeated)].join(', ')}`);
  for (const id of ids.filter((id) => !isValidSourceId(id))) problems.push(`source id ${JSON.stringify(id)} must be ${SOURCE_ID_RULE}`);
  if (props.alarmEmail !== undefined && props.alarmTopic !== undefined) {
    problems.push('set alarmEmail (a new topic is created for it) or alarmTopic (alarms go to your topic), not both');
  }
  return problems;
}
