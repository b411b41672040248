/** Running counts of the simulation: runs by outcome, faults by kind, kills by step, lag and regressions. */
import type { ClampedInterval } from '../../functions/window.js';
import type { LocalEnvironment } from '../../local/environment.js';
import type { InvocationOutcome } from './invocation.js';
import type { Timeline } from './scenario.js';

const KEPT_SAMPLES = 5;

export class SimulationTally {
  runs = 0;
  readonly byStatus = new Map<string, number>();
  readonly faults = new Map<string, number>();
  readonly kills = new Map<string, number>();
  readonly thrownSamples: string[] = [];
  readonly clampsReported: ClampedInterval[] = [];
  /** Kills that struck between a Firehose put and its seen-mark, and the records they left unmarked. */
  killsBetweenPutAndMark = 0;
  recordsUnmarkedAtKills = 0;
  overlaps = 0;
  longOutages = 0;
  regressions = 0;
  windowsCompleted = 0;
  pages = 0;
  sweeps = 0;
  /** Records that only an update sweep delivered. */
  sweepDelivered = 0;
  unreadableDocuments = 0;
  faultsFiredWhileQuiet = 0;
  firedAtServices: Record<string, number> = {};
  /** Largest now - cursor after a run in the fault-free tail. */
  maxQuietLagMs = 0;
  quietRuns = 0;
  /** From the end of the long outage until a run left the cursor within two intervals of now. */
  catchUpMs: number | undefined;

  countRun(outcome: InvocationOutcome): void {
    this.runs++;
    const status = outcome.killed ? 'killed' : outcome.thrown !== undefined ? 'threw' : (outcome.summary?.status ?? 'none');
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (outcome.killed && outcome.unmarked) {
      this.killsBetweenPutAndMark++;
      this.recordsUnmarkedAtKills += outcome.unmarked.records.length;
    }
    if (outcome.thrown !== undefined && this.thrownSamples.length < KEPT_SAMPLES) this.thrownSamples.push(outcome.thrown);
    const summary = outcome.summary;
    if (!summary) return;
    this.windowsCompleted += summary.windowsCompleted;
    this.pages += summary.pages;
    if (summary.sweep) {
      this.sweeps++;
      this.sweepDelivered += summary.sweep.delivered;
    }
    if (summary.clamped) this.clampsReported.push(summary.clamped);
  }

  countFault(name: string): void {
    this.faults.set(name, (this.faults.get(name) ?? 0) + 1);
  }

  countKill(step: string): void {
    this.kills.set(step, (this.kills.get(step) ?? 0) + 1);
  }

  observeLag(nowMs: number, lagMs: number, timeline: Timeline, intervalMs: number): void {
    if (nowMs >= timeline.quietFromMs) {
      this.quietRuns++;
      this.maxQuietLagMs = Math.max(this.maxQuietLagMs, lagMs);
    }
    const outage = timeline.longOutage;
    if (outage && this.catchUpMs === undefined && nowMs >= outage.toMs && lagMs < 2 * intervalMs) this.catchUpMs = nowMs - outage.toMs;
  }

  progressLine(elapsedMs: number, created: number, delivered: number): string {
    const statuses = [...this.byStatus].map(([status, count]) => `${status} ${count}`).join(', ');
    return `day ${(elapsedMs / 86_400_000).toFixed(0)}: ${this.runs} runs (${statuses}); ${created} versions created, ${delivered} records delivered`;
  }
}

/** Faults the services have fired so far, all kinds together. */
export function countFiredFaults(local: LocalEnvironment): number {
  const sum = (counts: Partial<Record<string, number>>) => Object.values(counts).reduce<number>((total, n) => total + (n ?? 0), 0);
  return (
    sum(local.simulator.stats.faults) +
    sum(local.proxies.dynamodb.stats.faults) +
    local.firehose.stats.callsFailed +
    local.firehose.stats.recordsFailed
  );
}
