import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type { Construct } from 'constructs';
import { savedQuery } from './saved-queries.js';
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
  dashboard.addWidgets(...currentStateWidgets(props.ingestions));
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

/**
 * Each source's state now, at the top of the second screen: the numbers from metrics (cheap, exact for
 * the last interval), and the words only the run summaries carry (last status, its error, the cursor, the
 * version) from a Logs Insights table, which scans the log groups each time the dashboard refreshes.
 */
function currentStateWidgets(ingestions: readonly SymantecEdrIngestion[]): cloudwatch.IWidget[] {
  return [
    new cloudwatch.SingleValueWidget({
      title: 'Last interval: runs succeeded and checkpoint lag (s)',
      width: WIDTH,
      height: HEIGHT,
      metrics: ingestions.flatMap((i) => [
        i.metric('RunSucceeded', { statistic: 'Sum', label: `runs succeeded ${i.sourceId}` }),
        i.metric('CheckpointLagSeconds', { statistic: 'Maximum', label: `lag ${i.sourceId}` }),
      ]),
    }),
    new cloudwatch.LogQueryWidget({
      title: savedQuery('SourceState').title,
      width: WIDTH,
      height: HEIGHT,
      logGroupNames: ingestions.map((i) => i.logGroup.logGroupName),
      queryString: savedQuery('SourceState').query.toString(),
      view: cloudwatch.LogQueryVisualizationType.TABLE,
    }),
  ];
}

function withLabel(metric: cloudwatch.IMetric, label: string): cloudwatch.IMetric {
  return metric instanceof cloudwatch.Metric ? metric.with({ label }) : metric;
}
