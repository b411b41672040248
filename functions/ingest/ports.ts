/**
 * What `run` needs from the world, as small interfaces: the Lambda wires the real adapters, tests and the
 * fault simulation wire others. No module stubbing anywhere.
 */
import type { Clock } from '../clock.js';
import type { CheckpointStore } from '../aws/checkpoint-store.js';
import type { RecordSink } from '../aws/firehose-sink.js';
import type { SeenSet } from '../aws/seen-set.js';
import type { Config } from '../config.js';
import type { MetricName } from '../observability.js';
import type { IncidentPage, IncidentQuery } from '../symantec/incident-page.js';
import type { PageCallLimits } from '../symantec/incidents-client.js';

export type { IncidentPage, IncidentQuery } from '../symantec/incident-page.js';

export interface IncidentPageSource {
  fetchIncidentPage(query: IncidentQuery, options: PageCallLimits): Promise<IncidentPage>;
}

/** The subset of Powertools Logger that run uses. */
export interface RunLogger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
  appendKeys(keys: Record<string, unknown>): void;
}

export type { MetricName } from '../observability.js';

export type MetricUnit = 'Count' | 'Seconds' | 'Milliseconds';

/** The subset of Powertools Metrics that run uses; values are flushed once, after the run. */
export interface RunMetrics {
  addMetric(name: MetricName, unit: MetricUnit, value: number): void;
}

/** The part of the configuration a run reads. */
export type RunSettings = Pick<
  Config,
  | 'initialLookbackMs'
  | 'settleDelayMs'
  | 'maxWindowMs'
  | 'pageSize'
  | 'maxPagesPerWindow'
  | 'pageOverlap'
  | 'splitThreshold'
  | 'updateSweepIntervalMs'
  | 'updateSweepHorizonMs'
  | 'includeEvents'
  | 'query'
  | 'outputFormat'
  | 'preserveOriginalEvent'
  | 'preserveDuplicateCustomFields'
  | 'tags'
  | 'namespace'
>;

export interface RunDependencies {
  readonly source: string;
  /** Identifies this invocation as the lease owner. */
  readonly owner: string;
  readonly settings: RunSettings;
  readonly api: IncidentPageSource;
  readonly checkpoints: CheckpointStore;
  /** Absent when dedupe is off. */
  readonly seen: SeenSet | undefined;
  readonly sink: RecordSink;
  readonly clock: Clock;
  readonly logger: RunLogger;
  /** When the run must have stopped, on `clock`; it starts no page it could not finish by then. */
  readonly deadlineMs: number;
  /** How long the lease lasts if this run dies without releasing it (the function timeout plus a margin). */
  readonly leaseMs: number;
}
