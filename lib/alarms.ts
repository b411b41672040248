import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { describeAlarm } from './alarm-runbook.js';
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
  const { runbookUrl } = options;
  const alarms = [
    new cloudwatch.Alarm(ingestion, 'FunctionErrorsAlarm', {
      alarmName: `${prefix}-function-errors`,
      alarmDescription: describeAlarm('function-errors', `The function of ${source} failed (a failed run, a bad configuration or a timeout).`, runbookUrl),
      metric: ingestion.lambdaFunction.metricErrors({ period: ingestion.scheduleRate, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(ingestion, 'FunctionThrottlesAlarm', {
      alarmName: `${prefix}-function-throttles`,
      alarmDescription: describeAlarm(
        'function-throttles',
        `Lambda refused to start the function of ${source} (throttled): that run did not happen, and the next tick retries.`,
        runbookUrl,
      ),
      metric: ingestion.lambdaFunction.metricThrottles({ period: ingestion.scheduleRate, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(ingestion, 'RecordsFailedAlarm', {
      alarmName: `${prefix}-records-failed`,
      alarmDescription: describeAlarm(
        'records-failed',
        `Firehose did not accept some records of ${source} before the run's time was up; the checkpoint stayed before them and the next run resends them.`,
        runbookUrl,
      ),
      metric: ingestion.metric('RecordsFailed', { statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(ingestion, 'WindowClampedAlarm', {
      alarmName: `${prefix}-window-clamped`,
      alarmDescription: describeAlarm(
        'window-clamped',
        `The checkpoint of ${source} was older than the 30 days the API keeps: incidents were lost.`,
        runbookUrl,
      ),
      metric: ingestion.metric('WindowClamped', { statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(ingestion, 'CheckpointLagAlarm', {
      alarmName: `${prefix}-checkpoint-lag`,
      alarmDescription: describeAlarm(
        'checkpoint-lag',
        `The checkpoint of ${source} is more than ${options.lagThreshold.toSeconds()} s behind now: runs are failing, stopping early, or catching up after an outage.`,
        runbookUrl,
      ),
      metric: ingestion.metric('CheckpointLagSeconds', { statistic: 'Maximum' }),
      threshold: options.lagThreshold.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // Silence is the job of the no-successful-run alarm.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
  // A disabled schedule has no runs by design; an alarm about it would only be noise.
  if (ingestion.enabled) {
    alarms.push(
      new cloudwatch.Alarm(ingestion, 'NoSuccessfulRunAlarm', {
        alarmName: `${prefix}-no-successful-run`,
        alarmDescription: describeAlarm('no-successful-run', `No run of ${source} finished successfully for 3 schedule intervals.`, runbookUrl),
        metric: ingestion.metric('RunSucceeded', { statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // A run that never gets as far as emitting metrics must count as a failure too.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
  }
  for (const alarm of alarms) addAction(alarm, options.action);
  return alarms;
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
  const { success, freshness, runbookUrl } = options;
  const freshnessLimit = options.bufferInterval.toSeconds() + FRESHNESS_MARGIN.toSeconds();
  const alarms = [
    new cloudwatch.Alarm(scope, 'DeliveryFailuresAlarm', {
      alarmName: `${stack}-delivery-failures`,
      alarmDescription: describeAlarm(
        'delivery-failures',
        `Firehose failed some deliveries to its destination (${success.metricName} below 1); it retries, then writes what it could not deliver under errors/ or failed/ in the bucket.`,
        runbookUrl,
      ),
      metric: success,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'DeliveryFreshnessAlarm', {
      alarmName: `${stack}-delivery-freshness`,
      alarmDescription: describeAlarm(
        'delivery-freshness',
        `The oldest record in the stream has waited more than ${freshnessLimit} s (${freshness.metricName}): the destination is slow or refusing records.`,
        runbookUrl,
      ),
      metric: freshness,
      threshold: freshnessLimit,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no record waiting.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
  for (const alarm of alarms) addAction(alarm, options.action);
  return alarms;
}

function addAction(alarm: cloudwatch.Alarm, action: cloudwatch.IAlarmAction | undefined): void {
  if (action === undefined) return;
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
}
