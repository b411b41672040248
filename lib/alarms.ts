import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { SymantecEdrIngestion } from './symantec-edr-ingestion.js';

/** Each alarm's description ends with this pointer; the README says what each one means and what to do. */
const SEE_README = 'See "Alarms" in the README.';

export interface IngestionAlarmOptions {
  /** `CheckpointLagSeconds` above this raises the lag alarm. */
  readonly lagThreshold: Duration;
  /** Notified on ALARM and back to OK. @default - no notification */
  readonly action?: cloudwatch.IAlarmAction;
}

/** The alarms of one source; they live in the ingestion's scope so that they go with it. */
export function addIngestionAlarms(ingestion: SymantecEdrIngestion, options: IngestionAlarmOptions): cloudwatch.Alarm[] {
  const prefix = `${Stack.of(ingestion).stackName}-${ingestion.sourceId}`;
  const source = `source "${ingestion.sourceId}"`;
  const alarms = [
    new cloudwatch.Alarm(ingestion, 'FunctionErrorsAlarm', {
      alarmName: `${prefix}-function-errors`,
      alarmDescription: `The function of ${source} failed (an error it did not handle, or a timeout). Read its last log lines. ${SEE_README}`,
      metric: ingestion.lambdaFunction.metricErrors({ period: ingestion.scheduleRate, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(ingestion, 'RecordsFailedAlarm', {
      alarmName: `${prefix}-records-failed`,
      alarmDescription: `Firehose did not accept some records of ${source} before the run's time was up; the checkpoint stayed before them and the next run resends them. Persisting means Firehose is throttling or failing. ${SEE_README}`,
      metric: ingestion.metric('RecordsFailed', { statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(ingestion, 'WindowClampedAlarm', {
      alarmName: `${prefix}-window-clamped`,
      alarmDescription: `The checkpoint of ${source} was older than the 30 days the API keeps: incidents were lost. The WARN line "checkpoint older than the API keeps" in its log names the lost interval (key "lost"). ${SEE_README}`,
      metric: ingestion.metric('WindowClamped', { statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(ingestion, 'CheckpointLagAlarm', {
      alarmName: `${prefix}-checkpoint-lag`,
      alarmDescription: `The checkpoint of ${source} is more than ${options.lagThreshold.toSeconds()} s behind now: runs are failing, stopping early, or catching up after an outage. ${SEE_README}`,
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
        alarmDescription: `No run of ${source} finished successfully for 3 schedule intervals: check the credentials secret, the function's errors and its logs. ${SEE_README}`,
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

/** The alarm on the stream this stack created: the destination refused or could not take records. */
export function addDeliveryAlarm(scope: Construct, deliverySuccess: cloudwatch.Metric, action?: cloudwatch.IAlarmAction): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, 'DeliveryFailuresAlarm', {
    alarmName: `${Stack.of(scope).stackName}-delivery-failures`,
    alarmDescription: `Firehose failed some deliveries to its destination (${deliverySuccess.metricName} below 1); it retries, then writes what it could not deliver under errors/ or failed/ in the bucket. Its log group says why. ${SEE_README}`,
    metric: deliverySuccess,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  addAction(alarm, action);
  return alarm;
}

function addAction(alarm: cloudwatch.Alarm, action: cloudwatch.IAlarmAction | undefined): void {
  if (action === undefined) return;
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
}
