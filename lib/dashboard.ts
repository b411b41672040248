import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type { Construct } from 'constructs';
import type { SymantecEdrIngestion } from './symantec-edr-ingestion.js';

export interface IngestionDashboardProps {
  readonly ingestions: readonly SymantecEdrIngestion[];
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly lagThreshold: Duration;
  /** The stream's own metrics are shown when the stack created it. @default - none */
  readonly delivery?: { readonly stream: firehose.IDeliveryStream; readonly success: cloudwatch.Metric };
}

const WIDTH = 12;
const HEIGHT = 6;

/** One dashboard for all sources: one line per source in each graph, and the state of every alarm. */
export function createDashboard(scope: Construct, props: IngestionDashboardProps): cloudwatch.Dashboard {
  const perSource = (label: string, metric: (ingestion: SymantecEdrIngestion) => cloudwatch.IMetric) =>
    props.ingestions.map((ingestion) => withLabel(metric(ingestion), `${label} ${ingestion.sourceId}`));

  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: Stack.of(scope).stackName,
    defaultInterval: Duration.days(1),
  });
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Incidents fetched and records delivered',
      width: WIDTH,
      height: HEIGHT,
      left: [
        ...perSource('fetched', (i) => i.metric('IncidentsFetched', { statistic: 'Sum' })),
        ...perSource('delivered', (i) => i.metric('RecordsDelivered', { statistic: 'Sum' })),
        ...perSource('duplicates skipped', (i) => i.metric('DuplicatesSkipped', { statistic: 'Sum' })),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: 'Checkpoint lag (seconds behind now)',
      width: WIDTH,
      height: HEIGHT,
      left: perSource('lag', (i) => i.metric('CheckpointLagSeconds', { statistic: 'Maximum' })),
      leftAnnotations: [{ label: 'alarm threshold', value: props.lagThreshold.toSeconds() }],
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Run duration (ms)',
      width: WIDTH,
      height: HEIGHT,
      left: perSource('run', (i) => i.metric('RunDurationMs', { statistic: 'Maximum' })),
    }),
    new cloudwatch.GraphWidget({
      title: 'Errors, failed records, clamped windows',
      width: WIDTH,
      height: HEIGHT,
      left: [
        ...perSource('function errors', (i) => i.lambdaFunction.metricErrors({ period: i.scheduleRate, statistic: 'Sum' })),
        ...perSource('records failed', (i) => i.metric('RecordsFailed', { statistic: 'Sum' })),
        ...perSource('windows clamped', (i) => i.metric('WindowClamped', { statistic: 'Sum' })),
      ],
    }),
  );
  const bottom: cloudwatch.IWidget[] = [
    new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: WIDTH, height: HEIGHT, alarms: [...props.alarms] }),
  ];
  if (props.delivery) {
    bottom.push(
      new cloudwatch.GraphWidget({
        title: 'Firehose',
        width: WIDTH,
        height: HEIGHT,
        left: [props.delivery.stream.metricIncomingRecords({ statistic: 'Sum', period: Duration.minutes(5), label: 'incoming records' })],
        right: [withLabel(props.delivery.success, 'delivery success ratio')],
        rightYAxis: { min: 0, max: 1 },
      }),
    );
  }
  dashboard.addWidgets(...bottom);
  return dashboard;
}

function withLabel(metric: cloudwatch.IMetric, label: string): cloudwatch.IMetric {
  return metric instanceof cloudwatch.Metric ? metric.with({ label }) : metric;
}
