/** What one run did, returned by the handler, logged as its last line and turned into metrics. */
import type { ClampedInterval } from '../window.js';
import type { RunMetrics } from './ports.js';

export type RunStatus = 'completed' | 'stopped-for-time' | 'idle' | 'lease-held' | 'failed';

export interface SweepSummary {
  readonly from: string;
  readonly to: string;
  readonly completed: boolean;
  readonly pages: number;
  readonly fetched: number;
  readonly delivered: number;
  readonly duplicates: number;
}

export interface RunSummary {
  readonly source: string;
  /** The package version of the code that ran (functions/version.ts). */
  readonly version: string;
  readonly status: RunStatus;
  /** The last window worked on. */
  readonly window?: { readonly start: string; readonly end: string } | undefined;
  /** Whether every window the run opened was completed. */
  readonly completed: boolean;
  readonly windowsCompleted: number;
  readonly pages: number;
  readonly fetched: number;
  readonly delivered: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly shrunk: number;
  /** How many times a page was larger than the response cap and asked for again with fewer rows. */
  readonly pageSizeNarrowed: number;
  readonly clamped?: ClampedInterval | undefined;
  readonly sweep?: SweepSummary | undefined;
  readonly cursor?: string | undefined;
  readonly lagSeconds?: number | undefined;
  readonly durationMs: number;
  readonly error?: string | undefined;
}

export function reportMetrics(summary: RunSummary, metrics: RunMetrics): void {
  if (summary.status === 'lease-held') return;
  const sweep = summary.sweep;
  metrics.addMetric('IncidentsFetched', 'Count', summary.fetched - (sweep?.fetched ?? 0));
  metrics.addMetric('RecordsDelivered', 'Count', summary.delivered);
  metrics.addMetric('RecordsFailed', 'Count', summary.failed);
  metrics.addMetric('DuplicatesSkipped', 'Count', summary.duplicates);
  metrics.addMetric('PagesFetched', 'Count', summary.pages);
  metrics.addMetric('WindowClamped', 'Count', summary.clamped ? 1 : 0);
  metrics.addMetric('PageSizeNarrowed', 'Count', summary.pageSizeNarrowed);
  metrics.addMetric('RunDurationMs', 'Milliseconds', summary.durationMs);
  if (summary.lagSeconds !== undefined) metrics.addMetric('CheckpointLagSeconds', 'Seconds', summary.lagSeconds);
  if (sweep) {
    metrics.addMetric('SweepIncidentsFetched', 'Count', sweep.fetched);
    metrics.addMetric('SweepRecordsDelivered', 'Count', sweep.delivered);
  }
  metrics.addMetric('RunSucceeded', 'Count', summary.status === 'failed' ? 0 : 1);
}
