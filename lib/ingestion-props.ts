import type { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IngestionSettings } from './ingestion-settings.js';

import { SOURCE_ID_PATTERN, SOURCE_ID_RULE } from '../functions/source-id.js';

export { SOURCE_ID_PATTERN } from '../functions/source-id.js';

export interface SymantecEdrIngestionProps {
  /** The source (tenant) this ingestion reads; it names the checkpoint item and the metrics' `source`. */
  readonly sourceId: string;
  /** The checkpoint table, shared by all sources (partition key `pk`). */
  readonly checkpointTable: dynamodb.ITable;
  /** Where the documents go. */
  readonly deliveryStream: firehose.IDeliveryStream;
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
  /** esbuild options laid over ours. @default - minified CommonJS with source maps, nothing external */
  readonly bundling?: nodejs.BundlingOptions;
}

/** Rejects props that Lambda or EventBridge Scheduler would refuse at deploy time, saying which and why. */
export function validateProps(props: SymantecEdrIngestionProps): void {
  const problems: string[] = [];
  if (!SOURCE_ID_PATTERN.test(props.sourceId)) {
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
  if (problems.length > 0) throw new Error(`SymantecEdrIngestion: ${problems.join('; ')}`);
}
