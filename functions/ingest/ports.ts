/**
 * What `run` needs from the world, as small interfaces: the Lambda wires the real adapters, tests and the
 * fault simulation wire others. No module stubbing anywhere.
 */
import type { Clock } from '../clock.js';
import type { CheckpointStore } from '../aws/checkpoint-store.js';
import type { RecordSink } from '../aws/firehose-sink.js';
import type { SeenSet } from '../aws/seen-set.js';

export interface IncidentQuery {
  readonly start: Date;
  readonly end: Date;
  readonly offset: number;
  readonly limit: number;
  readonly includeEvents: boolean;
  readonly query?: string | undefined;
}

export interface IncidentPage {
  readonly total: number | undefined;
  /** As received: a number, `null`, or absent. */
  readonly next: number | null | undefined;
  readonly incidents: unknown[];
  readonly bytes: number;
}

export interface IncidentPageSource {
  fetchIncidentPage(query: IncidentQuery, options: { deadline: number; signal?: AbortSignal }): Promise<IncidentPage>;
}

/** The subset of Powertools Logger that run uses. */
export interface RunLogger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
  appendKeys(keys: Record<string, unknown>): void;
}

export type MetricName =
  | 'IncidentsFetched'
  | 'RecordsDelivered'
  | 'RecordsFailed'
  | 'DuplicatesSkipped'
  | 'PagesFetched'
  | 'CheckpointLagSeconds'
  | 'WindowClamped'
  | 'RunDurationMs'
  | 'RunSucceeded'
  | 'SweepIncidentsFetched'
  | 'SweepRecordsDelivered';

export type MetricUnit = 'Count' | 'Seconds' | 'Milliseconds';

/** The subset of Powertools Metrics that run uses; values are flushed once, after the run. */
export interface RunMetrics {
  addMetric(name: MetricName, unit: MetricUnit, value: number): void;
}

export interface RunSettings {
  readonly initialLookbackMs: number;
  readonly settleDelayMs: number;
  readonly maxWindowMs: number;
  readonly pageSize: number;
  readonly maxPagesPerWindow: number;
  readonly pageOverlap: number;
  readonly splitThreshold: number;
  readonly updateSweepIntervalMs: number;
  readonly updateSweepHorizonMs: number;
  readonly includeEvents: boolean;
  readonly query: string | undefined;
  readonly outputFormat: 'ecs' | 'raw';
  readonly preserveOriginalEvent: boolean;
  readonly preserveDuplicateCustomFields: boolean;
  readonly tags: readonly string[] | undefined;
  readonly namespace: string | undefined;
}

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
