import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { IngestionConfig, SourceConfig } from './config.js';
import { deliveryFromConfig } from './delivery.js';
import { withElasticDataStream } from './elastic-data-stream.js';
import { settingsFromJson } from './ingestion-settings.js';
import { type SourceProps, SymantecEdrCloud } from './symantec-edr-cloud.js';

/** The stack's name when the configuration gives none. */
export const DEFAULT_STACK_NAME = 'SymantecEdrCloudIngestion';

export interface IngestionStackProps extends StackProps {
  readonly config: IngestionConfig;
}

/**
 * The repository's own app: a stack holding one SymantecEdrCloud made from the validated `cdk.json`
 * configuration. The construct's id is `Default`, which CDK leaves out of logical ids, so every resource
 * keeps the logical id it had when the stack built them itself (a changed id would replace the table).
 */
export class IngestionStack extends Stack {
  readonly edr: SymantecEdrCloud;

  constructor(scope: Construct, id: string, props: IngestionStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.edr = new SymantecEdrCloud(this, 'Default', {
      sources: config.sources.map((source) => this.sourceProps(source)),
      // An Elastic data stream that follows the sources' formats, or a synth-time error naming the key.
      delivery: deliveryFromConfig(this, withElasticDataStream(config.delivery ?? { type: 's3' }, config.sources)),
      scheduleRate: minutes(config.scheduleRateMinutes),
      memorySize: config.memoryMb,
      timeout: seconds(config.timeoutSeconds),
      logRetention: config.logRetentionDays,
      lagThreshold: seconds(config.lagThresholdSeconds),
      alarmEmail: config.alarmEmail,
      runbookUrl: config.runbookUrl,
      alarmTopic: config.alarmTopicArn === undefined ? undefined : sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn),
    });
  }

  get checkpointTable() {
    return this.edr.checkpointTable;
  }

  get ingestions() {
    return this.edr.ingestions;
  }

  get alarms() {
    return this.edr.alarms;
  }

  private sourceProps(source: SourceConfig): SourceProps {
    return {
      id: source.id,
      credentials:
        source.secretArn === undefined
          ? undefined
          : secretsmanager.Secret.fromSecretCompleteArn(this, `Source-${source.id}-Credentials`, source.secretArn),
      credentialsKey: source.secretKmsKeyArn === undefined ? undefined : { keyArn: source.secretKmsKeyArn },
      enabled: source.enabled,
      scheduleRate: minutes(source.scheduleRateMinutes),
      memorySize: source.memoryMb,
      timeout: seconds(source.timeoutSeconds),
      settings: settingsFromJson(source),
    };
  }
}

function minutes(value: number | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.minutes(value);
}

function seconds(value: number | undefined): Duration | undefined {
  return value === undefined ? undefined : Duration.seconds(value);
}
