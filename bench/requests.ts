/**
 * Target 5: the requests a run makes, from the simulator's and the proxies' counters: an idle run (no
 * new incidents, token and secret cached) in absolute terms, a delivering run per 1,000 incidents
 * delivered, and a re-read (what the update sweep does) per 1,000 incidents read again. The same numbers,
 * with the measured durations and log volume, are the usage the cost model prices.
 */
import type { CallCounts } from './ingest-environment.js';
import type { InvocationResult } from './function-process.js';
import type { PipeliningMeasurements } from './pipelining.js';
import type { BenchResult, Figure } from './report.js';

/** A kind of work, measured per unit (one run, or one incident). */
export interface UnitUsage {
  readonly awsCalls: Readonly<Record<string, number>>;
  readonly apiPages: number;
  readonly apiTokens: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly logBytes: number;
  /** Bytes handed to Firehose, and records. */
  readonly firehoseBytes: number;
  readonly firehoseRecords: number;
}

export interface UsageProfile {
  /** One idle run. */
  readonly idleRun: UnitUsage;
  /** One incident delivered, above the idle run's fixed part. */
  readonly perDelivered: UnitUsage;
  /** One incident read again and found already delivered (the update sweep), above the fixed part. */
  readonly perReread: UnitUsage;
  /** Peak RSS of the large run. */
  readonly peakRssMb: number;
}

function usageOf(result: InvocationResult, calls: CallCounts): UnitUsage {
  return {
    awsCalls: calls.aws,
    apiPages: calls.apiPages,
    apiTokens: calls.apiTokens,
    wallMs: result.wallMs,
    cpuMs: result.cpuMs,
    logBytes: result.logBytes,
    firehoseBytes: calls.firehoseBytes,
    firehoseRecords: calls.firehoseRecords,
  };
}

/** (`total` - `fixed`) / `units`, field by field, never below zero. */
function perUnit(total: UnitUsage, fixed: UnitUsage, units: number): UnitUsage {
  const each = (a: number, b: number) => Math.max(0, a - b) / units;
  const awsCalls: Record<string, number> = {};
  for (const [operation, count] of Object.entries(total.awsCalls)) awsCalls[operation] = each(count, fixed.awsCalls[operation] ?? 0);
  return {
    awsCalls,
    apiPages: each(total.apiPages, fixed.apiPages),
    apiTokens: each(total.apiTokens, fixed.apiTokens),
    wallMs: each(total.wallMs, fixed.wallMs),
    cpuMs: each(total.cpuMs, fixed.cpuMs),
    logBytes: each(total.logBytes, fixed.logBytes),
    firehoseBytes: each(total.firehoseBytes, fixed.firehoseBytes),
    firehoseRecords: each(total.firehoseRecords, fixed.firehoseRecords),
  };
}

function summaryCount(result: InvocationResult, key: string, fallback: number): number {
  const value = result.summary?.[key];
  return typeof value === 'number' && value > 0 ? value : fallback;
}

export function usageProfile(measured: PipeliningMeasurements): UsageProfile {
  const { large, small } = measured;
  if (!small.idle || !small.reread) throw new Error('the small run must be followed by an idle run and a re-read');
  const idleRun = usageOf(small.idle.result, small.idle.calls);
  const delivered = summaryCount(large.result, 'delivered', large.incidents);
  const reread = summaryCount(small.reread.result, 'duplicates', small.incidents);
  return {
    idleRun,
    perDelivered: perUnit(usageOf(large.result, large.calls), idleRun, delivered),
    perReread: perUnit(usageOf(small.reread.result, small.reread.calls), idleRun, reread),
    peakRssMb: large.result.maxRssKb / 1024,
  };
}

const total = (calls: Readonly<Record<string, number>>) => Object.values(calls).reduce((sum, count) => sum + count, 0);

export function describeCalls(calls: Readonly<Record<string, number>>, scale = 1): string {
  return Object.entries(calls)
    .filter(([, count]) => count * scale >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([operation, count]) => `${operation} ${formatCount(count * scale)}`)
    .join(', ');
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function requestsResult(profile: UsageProfile): BenchResult {
  const { idleRun, perDelivered, perReread } = profile;
  const idleAws = total(idleRun.awsCalls);
  const figures: Figure[] = [
    {
      id: 'requests.idleAws',
      label: 'AWS calls of an idle run (token and secret cached)',
      value: idleAws,
      text: String(idleAws),
      target: { op: '<=', limit: 4 },
      detail: `${describeCalls(idleRun.awsCalls)}; API: ${idleRun.apiPages} incidents page(s), ${idleRun.apiTokens} token request(s); ${idleRun.wallMs.toFixed(0)} ms, function CPU ${idleRun.cpuMs.toFixed(0)} ms`,
    },
    {
      id: 'requests.perThousandAws',
      label: 'AWS calls per 1,000 incidents delivered',
      value: total(perDelivered.awsCalls) * 1000,
      text: formatCount(total(perDelivered.awsCalls) * 1000),
      detail: `${describeCalls(perDelivered.awsCalls, 1000)}; API: ${formatCount(perDelivered.apiPages * 1000)} pages; function CPU ${(perDelivered.cpuMs * 1000).toFixed(0)} ms`,
    },
    {
      id: 'requests.perThousandReread',
      label: 'AWS calls per 1,000 incidents re-read (update sweep)',
      value: total(perReread.awsCalls) * 1000,
      text: formatCount(total(perReread.awsCalls) * 1000),
      detail: `${describeCalls(perReread.awsCalls, 1000)}; API: ${formatCount(perReread.apiPages * 1000)} pages; function CPU ${(perReread.cpuMs * 1000).toFixed(0)} ms`,
    },
  ];
  return { name: 'Requests (5)', figures };
}
