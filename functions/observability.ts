/**
 * The names the function's logs and metrics are found under. The CDK stack builds its alarms and
 * dashboard from these same constants, so a renamed metric cannot leave an alarm watching nothing.
 */
export const SERVICE_NAME = 'symantec-edr-cloud';
export const METRICS_NAMESPACE = 'SymantecEdrCloud';

export const METRIC_NAMES = [
  'IncidentsFetched',
  'RecordsDelivered',
  'RecordsFailed',
  'DuplicatesSkipped',
  'PagesFetched',
  'CheckpointLagSeconds',
  'WindowClamped',
  'RunDurationMs',
  'RunSucceeded',
  'SweepIncidentsFetched',
  'SweepRecordsDelivered',
  'PageSizeNarrowed',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];
