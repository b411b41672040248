/**
 * The CloudWatch Logs Insights queries of the operations guide, saved in the account (the console's
 * "Saved queries", in a folder named after the stack) over the sources' log groups. The texts live here
 * only: the guide's copies are checked against them (test/docs/queries.test.ts).
 */
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface SavedQuery {
  /** Construct id, and the part of the saved name after the folder. */
  readonly id: string;
  readonly title: string;
  readonly query: logs.QueryString;
}

const RUN_FINISHED = 'message = "run finished"';

export const SAVED_QUERIES: readonly SavedQuery[] = [
  {
    id: 'RunsPerDay',
    title: 'What each source did, per day',
    query: new logs.QueryString({
      filterStatements: [RUN_FINISHED],
      statsStatements: [
        'count(*) as runs, sum(summary.fetched) as fetched, sum(summary.delivered) as delivered, sum(summary.duplicates) as duplicates, sum(summary.failed) as failed by source, bin(1d)',
      ],
      sort: 'source asc',
    }),
  },
  {
    id: 'SourceState',
    title: 'Where each source stands now',
    query: new logs.QueryString({
      filterStatements: [RUN_FINISHED],
      statsStatements: [
        'latest(summary.status) as last_status, max(@timestamp) as last_run, latest(summary.cursor) as cursor, latest(summary.lagSeconds) as lag_seconds, latest(summary.error) as last_error, latest(summary.version) as version by source',
      ],
      sort: 'source asc',
    }),
  },
  {
    id: 'LastSuccess',
    title: 'When each source last succeeded',
    query: new logs.QueryString({
      filterStatements: [`${RUN_FINISHED} and summary.status in ["completed", "stopped-for-time", "idle"]`],
      statsStatements: ['max(@timestamp) as last_success by source'],
      sort: 'last_success asc',
    }),
  },
  {
    id: 'IncompleteRuns',
    title: 'Runs that did not complete their windows, newest first',
    query: new logs.QueryString({
      fields: ['@timestamp', 'source', 'summary.status', 'summary.window.start', 'summary.window.end', 'summary.error'],
      filterStatements: [`${RUN_FINISHED} and summary.status not in ["completed", "idle"]`],
      sort: '@timestamp desc',
    }),
  },
  {
    id: 'ErrorsAndWarnings',
    title: 'Errors and warnings',
    query: new logs.QueryString({
      fields: ['@timestamp', 'source', 'level', 'message', 'error'],
      filterStatements: ['level in ["ERROR", "WARN"]'],
      sort: '@timestamp desc',
      limit: 100,
    }),
  },
  {
    id: 'LostIntervals',
    title: 'Lost intervals (clamped windows)',
    query: new logs.QueryString({
      fields: ['@timestamp', 'source', 'lost.lostFrom', 'lost.lostTo'],
      filterStatements: ['message like /checkpoint older than the API keeps/'],
    }),
  },
  {
    id: 'RunDuration',
    title: 'How long runs take',
    query: new logs.QueryString({
      filterStatements: [RUN_FINISHED],
      statsStatements: [
        'avg(summary.durationMs) as avg_ms, pct(summary.durationMs, 95) as p95_ms, max(summary.durationMs) as max_ms by source, bin(1h)',
      ],
    }),
  },
  {
    id: 'LambdaReports',
    title: "Duration and memory from Lambda's REPORT lines",
    query: new logs.QueryString({
      filterStatements: ['@type = "REPORT"'],
      statsStatements: [
        'max(@duration) as max_ms, max(@maxMemoryUsed / 1000 / 1000) as max_memory_mb, max(@memorySize / 1000 / 1000) as memory_mb, count(*) as invocations by bin(1d)',
      ],
    }),
  },
  {
    id: 'Timeouts',
    title: 'Timeouts',
    query: new logs.QueryString({
      fields: ['@timestamp', '@logStream', '@message'],
      filterStatements: ['@message like /Task timed out/'],
    }),
  },
  {
    id: 'Versions',
    title: 'Which version each container started with',
    query: new logs.QueryString({
      fields: ['@timestamp', '@log', 'version'],
      filterStatements: ['message = "starting"'],
      sort: '@timestamp desc',
    }),
  },
];

export function savedQuery(id: string): SavedQuery {
  const query = SAVED_QUERIES.find((q) => q.id === id);
  if (!query) throw new Error(`No saved query "${id}"; the ids are ${SAVED_QUERIES.map((q) => q.id).join(', ')}`);
  return query;
}

/** One saved query per entry of SAVED_QUERIES, named `<folder>/<title>`, over the given log groups. */
export function createSavedQueries(
  scope: Construct,
  props: { readonly folder: string; readonly logGroups: readonly logs.ILogGroup[] },
): logs.QueryDefinition[] {
  return SAVED_QUERIES.map(
    ({ id, title, query }) =>
      new logs.QueryDefinition(scope, `Query${id}`, {
        queryDefinitionName: `${props.folder}/${title}`,
        queryString: query,
        logGroups: [...props.logGroups],
      }),
  );
}
