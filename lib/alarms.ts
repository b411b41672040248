import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { type AlarmKey, describeAlarm } from './alarm-runbook.js';
import type { SymantecEdrIngestion } from './symantec-edr-ingestion.js';

export interface IngestionAlarmOptions {
  /** `CheckpointLagSeconds` above this raises the lag alarm. */
  readonly lagThreshold: Duration;
  /** The operations guide each description links to, at the alarm's heading (lib/runbook.ts). */
  readonly runbookUrl: string;
  /** Notified on ALARM and back to OK. @default - no notification */
  readonly action?: cloudwatch.IAlarmAction;
}

/** The alarms of one source; they live in the ingestion's scope so that they go with it. */
export function addIngestionAlarms(ingestion: SymantecEdrIngestion, options: IngestionAlarmOptions): cloudwatch.Alarm[] {
  const prefix = `${Stack.of(ingestion).stackName}-${ingestion.sourceId}`;
  const source = `source "${ingestion.sourceId}"`;
  const period = { period: ingestion.scheduleRate, statistic: 'Sum' };
  const lagSeconds = options.lagThreshold.toSeconds();
  const specs: AlarmSpec[] = [
    {
      key: 'function-errors',
      meaning: `The function of ${source} failed (a failed run, a bad configuration or a timeout).`,
      metric: ingestion.lambdaFunction.metricErrors(period),
      when: ['>=', 1],
    },
    {
      key: 'function-throttles',
      meaning: `Lambda refused to start the function of ${source} (throttled): that run did not happen, and the next tick retries.`,
      metric: ingestion.lambdaFunction.metricThrottles(period),
      when: ['>=', 1],
    },
    {
      key: 'records-failed',
      meaning: `Firehose did not accept some records of ${source} before the run's time was up; the checkpoint stayed before them and the next run resends them.`,
      metric: ingestion.metric('RecordsFailed', { statistic: 'Sum' }),
      when: ['>', 0],
    },
    {
      key: 'window-clamped',
      meaning: `The checkpoint of ${source} was older than the 30 days the API keeps: incidents were lost.`,
      metric: ingestion.metric('WindowClamped', { statistic: 'Sum' }),
      when: ['>', 0],
    },
    {
      key: 'checkpoint-lag',
      meaning: `The checkpoint of ${source} is more than ${lagSeconds} s behind now: runs are failing, stopping early, or catching up after an outage.`,
      // Silence is the job of the no-successful-run alarm.
      metric: ingestion.metric('CheckpointLagSeconds', { statistic: 'Maximum' }),
      when: ['>', lagSeconds],
    },
  ];
  // A disabled schedule has no runs by design; an alarm about it would only be noise.
  if (ingestion.enabled) {
    specs.push({
      key: 'no-successful-run',
      meaning: `No run of ${source} finished successfully for 3 schedule intervals.`,
      metric: ingestion.metric('RunSucceeded', { statistic: 'Sum' }),
      when: ['<', 1],
      periods: 3,
      // A run that never gets as far as emitting metrics must count as a failure too.
      missingIsBreaching: true,
    });
  }
  return specs.map((spec) => addAlarm(ingestion, `${prefix}-${spec.key}`, spec, options));
}

export interface DeliveryAlarmOptions {
  /** The destination's success ratio (`DeliveryToS3.Success` or `DeliveryToHttpEndpoint.Success`), averaged. */
  readonly success: cloudwatch.Metric;
  /** The age of the oldest record not yet delivered (`DeliveryToS3.DataFreshness` or `DeliveryToHttpEndpoint.DataFreshness`), maximum. */
  readonly freshness: cloudwatch.Metric;
  /** How long the stream buffers before it delivers: the freshness alarm allows this plus FRESHNESS_MARGIN. */
  readonly bufferInterval: Duration;
  readonly runbookUrl: string;
  /** @default - no notification */
  readonly action?: cloudwatch.IAlarmAction;
}

/** Records may wait this long past the buffer interval (Firehose's own retries) before the alarm goes off. */
export const FRESHNESS_MARGIN = Duration.minutes(15);

/** The alarms on the stream this stack created: the destination refused records, or records wait undelivered. */
export function addDeliveryAlarms(scope: Construct, options: DeliveryAlarmOptions): cloudwatch.Alarm[] {
  const stack = Stack.of(scope).stackName;
  const { success, freshness } = options;
  const freshnessLimit = options.bufferInterval.toSeconds() + FRESHNESS_MARGIN.toSeconds();
  const specs: AlarmSpec[] = [
    {
      key: 'delivery-failures',
      meaning: `Firehose failed some deliveries to its destination (${success.metricName} below 1); it retries, then writes what it could not deliver under errors/ or failed/ in the bucket.`,
      metric: success,
      when: ['<', 1],
    },
    {
      key: 'delivery-freshness',
      meaning: `The oldest record in the stream has waited more than ${freshnessLimit} s (${freshness.metricName}): the destination is slow or refusing records.`,
      // No data means no record waiting.
      metric: freshness,
      when: ['>', freshnessLimit],
    },
  ];
  return specs.map((spec) => addAlarm(scope, `${stack}-${spec.key}`, spec, options));
}

/** One alarm as the runbook describes it: its key names its heading there and, in PascalCase, its construct. */
interface AlarmSpec {
  readonly key: AlarmKey;
  readonly meaning: string;
  readonly metric: cloudwatch.IMetric;
  readonly when: readonly ['>' | '>=' | '<', number];
  /** Periods that must all breach. @default 1 */
  readonly periods?: number;
  /** Whether no data counts as breaching. @default false: no data is not breaching */
  readonly missingIsBreaching?: boolean;
}

const COMPARISONS = {
  '>': cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  '>=': cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  '<': cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
} as const;

function addAlarm(
  scope: Construct,
  alarmName: string,
  spec: AlarmSpec,
  options: { runbookUrl: string; action?: cloudwatch.IAlarmAction },
): cloudwatch.Alarm {
  const [comparison, threshold] = spec.when;
  const periods = spec.periods ?? 1;
  const alarm = new cloudwatch.Alarm(scope, `${pascalCase(spec.key)}Alarm`, {
    alarmName,
    alarmDescription: describeAlarm(spec.key, spec.meaning, options.runbookUrl),
    metric: spec.metric,
    threshold,
    comparisonOperator: COMPARISONS[comparison],
    evaluationPeriods: periods,
    ...(periods > 1 ? { datapointsToAlarm: periods } : {}),
    treatMissingData: spec.missingIsBreaching ? cloudwatch.TreatMissingData.BREACHING : cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  addAction(alarm, options.action);
  return alarm;
}

// Construct ids are a contract (a new id replaces the alarm): `records-failed` is `RecordsFailedAlarm`.
function pascalCase(key: string): string {
  return key.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

function addAction(alarm: cloudwatch.Alarm, action: cloudwatch.IAlarmAction | undefined): void {
  if (action === undefined) return;
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
}
