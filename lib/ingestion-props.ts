import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IngestionSettings } from './ingestion-settings.js';
import type { SecurityLakeTarget } from './security-lake-delivery.js';
import { SOURCE_ID_RULE, isValidSourceId } from '../functions/source-id.js';

export { SOURCE_ID_PATTERN } from '../functions/source-id.js';

export interface SymantecEdrIngestionProps {
  /** The source (tenant) this ingestion reads; it names the checkpoint item and the metrics' `source`. */
  readonly sourceId: string;
  /** The checkpoint table, shared by all sources (partition key `pk`). */
  readonly checkpointTable: dynamodb.ITable;
  /** Where the documents go: a Firehose stream, or (`securityLake`) a Security Lake custom source. */
  readonly deliveryStream?: firehose.IDeliveryStream | undefined;
  /** The custom source the function writes OCSF Parquet objects to, as its provider role; not with `deliveryStream`. */
  readonly securityLake?: SecurityLakeTarget | undefined;
  /**
   * The secret holding `{"client_id","client_secret"}` (or `{"oauth_credentials"}`).
   * @default - a new secret with no value, for you to fill (the README gives the command)
   */
  readonly credentials?: secretsmanager.ISecret;
  /** The key that encrypts `credentials`, when it is a customer-managed key. @default - none needed */
  readonly credentialsKey?: { readonly keyArn: string };
  /** Settings passed to the function as environment variables. @default - the function's own defaults */
  readonly settings?: IngestionSettings;
  /** How often a run starts. @default Duration.minutes(5) */
  readonly scheduleRate?: Duration;
  /** Whether the schedule runs. @default true */
  readonly enabled?: boolean;
  /** Function memory in MB. @default 256 */
  readonly memorySize?: number;
  /** Function timeout; a run stops early and saves its place before it. @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** How long the function's logs are kept. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** The checkpoint lag above which the lag alarm goes off. @default Duration.hours(1) */
  readonly lagThreshold?: Duration;
  /** Notified when an alarm of this source goes off and when it is back to OK. @default - none */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /** The operations guide each alarm's description links to, at its own heading. @default DEFAULT_RUNBOOK_URL (docs/operations.md of the repository) */
  readonly runbookUrl?: string;
  /**
   * esbuild options laid over ours, when the function is bundled from source (in this repository); the
   * installed package deploys its prebuilt bundle and ignores them.
   * @default - minified CommonJS with source maps, nothing external
   */
  readonly bundling?: nodejs.BundlingOptions;
}

/** What Lambda or EventBridge Scheduler would refuse at deploy time in these props, saying which and why. */
export function propProblems(props: SymantecEdrIngestionProps): string[] {
  const problems: string[] = [];
  if (!isValidSourceId(props.sourceId)) {
    problems.push(`sourceId "${props.sourceId}" must be ${SOURCE_ID_RULE}`);
  }
  const memory = props.memorySize;
  if (memory !== undefined && (!Number.isInteger(memory) || memory < 128 || memory > 10_240)) {
    problems.push(`memorySize ${memory} must be a whole number of MB from 128 to 10240 (Lambda's limits)`);
  }
  const timeout = props.timeout?.toSeconds();
  if (timeout !== undefined && (timeout < 1 || timeout > 900)) {
    problems.push(`timeout of ${timeout}s must be from 1 to 900 seconds (Lambda's limit)`);
  }
  const rate = props.scheduleRate?.toSeconds();
  if (rate !== undefined && (rate < 60 || rate % 60 !== 0)) {
    problems.push(`scheduleRate of ${rate}s must be a whole number of minutes, at least 1 (EventBridge Scheduler's unit)`);
  }
  return problems;
}
