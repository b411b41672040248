/**
 * Targets 2 and 3: a large catch-up run against the local environment with a fixed latency per API page
 * and slowed AWS emulators, in a fresh function process. Its wall time against (pages x page latency)
 * shows how much of the mapping, deduplication, delivery and checkpointing hides behind the fetching;
 * its peak RSS against that of a run ten times smaller shows how little memory grows with the run.
 */
import type { BenchBundles } from './bundles.js';
import { callsBetween, startBenchEnvironment, type CallCounts, type Latencies } from './ingest-environment.js';
import type { InvocationResult } from './function-process.js';
import { formatMs, ratioFigure, type BenchResult, type Figure } from './report.js';

export interface PipeliningOptions {
  readonly incidents: number;
  /** The memory comparison's smaller run. */
  readonly smallIncidents: number;
  /**
   * Incidents per day of the spread: below WINDOW_SPLIT_THRESHOLD (9,000) so that each day-long window
   * is read whole, as a first run with a long INITIAL_LOOKBACK reads a busy tenant's history.
   */
  readonly perDay: number;
  readonly latencies: Latencies;
  /** Also run the same number of incidents within one day, so every window is narrowed (no target). */
  readonly narrowingScenario: boolean;
  /** Also run this many incidents with this page latency, to show the overlap when pages are slower (no target). */
  readonly slowPages?: { readonly incidents: number; readonly apiPageMs: number };
}

export const PIPELINING_FULL: PipeliningOptions = {
  incidents: 100_000,
  smallIncidents: 10_000,
  perDay: 8_000,
  latencies: { apiPageMs: 150, firehoseCallMs: 30, dynamodbCallMs: 10 },
  narrowingScenario: true,
  slowPages: { incidents: 30_000, apiPageMs: 500 },
};

export const PIPELINING_QUICK: PipeliningOptions = {
  incidents: 3_000,
  smallIncidents: 300,
  perDay: 1_500,
  latencies: { apiPageMs: 20, firehoseCallMs: 5, dynamodbCallMs: 2 },
  narrowingScenario: false,
};

/** One measured invocation in a fresh function process, with what it cost in requests. */
export interface MeasuredRun {
  readonly incidents: number;
  readonly lookbackMinutes: number;
  readonly result: InvocationResult;
  readonly calls: CallCounts;
  readonly readyRssKb: number;
  /** What the same process measured on the next, idle invocation (no new incidents, token and secret cached). */
  readonly idle?: { readonly result: InvocationResult; readonly calls: CallCounts };
  /** Re-reading every incident again with the checkpoint removed: what an update sweep costs per incident. */
  readonly reread?: { readonly result: InvocationResult; readonly calls: CallCounts };
}

export interface RunOptions {
  readonly incidents: number;
  /** Minutes of history the incidents are spread over (INITIAL_LOOKBACK). */
  readonly lookbackMinutes: number;
  readonly latencies: Latencies;
  readonly settings?: Record<string, string>;
  readonly thenIdle?: boolean;
  readonly thenReread?: boolean;
}

/** Starts a fresh environment, seeds it, runs one fresh function process, and closes everything. */
export async function measureRun(bundles: BenchBundles, options: RunOptions): Promise<MeasuredRun> {
  const env = await startBenchEnvironment(options.latencies, { ingestChild: bundles.ingestChild, handlerFile: bundles.handler.file });
  try {
    env.seed(options.incidents, options.lookbackMinutes / (24 * 60));
    const fn = await env.startFunction({
      INITIAL_LOOKBACK: `${options.lookbackMinutes}m`,
      // 24h, the default: a catch-up goes in day-long steps.
      MAX_WINDOW: '24h',
      ...options.settings,
    });
    const before = env.counters();
    const result = await fn.invoke();
    const calls = callsBetween(before, env.counters());
    if (!result.ok) throw new Error(`the measured run failed: ${result.error}`);
    let idle: MeasuredRun['idle'];
    if (options.thenIdle) {
      const start = env.counters();
      const again = await fn.invoke();
      idle = { result: again, calls: callsBetween(start, env.counters()) };
    }
    let reread: MeasuredRun['reread'];
    if (options.thenReread) {
      await env.forgetCheckpoint('default');
      const start = env.counters();
      const again = await fn.invoke();
      reread = { result: again, calls: callsBetween(start, env.counters()) };
    }
    return {
      incidents: options.incidents,
      lookbackMinutes: options.lookbackMinutes,
      result,
      calls,
      readyRssKb: fn.readyRssKb,
      ...(idle ? { idle } : {}),
      ...(reread ? { reread } : {}),
    };
  } finally {
    await env.close();
  }
}

export function spreadMinutes(incidents: number, perDay: number): number {
  return Math.max(60, Math.ceil((incidents / perDay) * 24 * 60));
}

function summaryNumber(run: MeasuredRun, key: string): number {
  const value = run.result.summary?.[key];
  return typeof value === 'number' ? value : Number.NaN;
}

/** Pages a run needs at least: every page full, each after the first re-reading the page overlap. */
export function minimumPages(incidents: number, pageSize = 2000, overlap = 10): number {
  return 1 + Math.ceil(Math.max(0, incidents - pageSize) / (pageSize - overlap));
}

function pipelineFigure(id: string, label: string, run: MeasuredRun, latencies: Latencies, withTarget: boolean): Figure {
  const pages = run.calls.apiPages;
  const ideal = pages * latencies.apiPageMs;
  const ratio = run.result.wallMs / ideal;
  const detail =
    `${run.incidents.toLocaleString('en-US')} incidents over ${formatMinutes(run.lookbackMinutes)}: ${pages} pages fetched ` +
    `(${minimumPages(run.incidents)} at least), ${summaryNumber(run, 'windowsCompleted')} windows; wall ${formatMs(run.result.wallMs)}, ` +
    `pages x ${latencies.apiPageMs} ms = ${formatMs(ideal)}; function CPU ${formatMs(run.result.cpuMs)}, ${(run.result.cpuMs / pages).toFixed(0)} ms a page`;
  return ratioFigure(id, label, ratio, withTarget ? { op: '<=', limit: 1.15 } : undefined, detail);
}

function formatMinutes(minutes: number): string {
  return minutes >= 2 * 24 * 60 ? `${(minutes / (24 * 60)).toFixed(1)} days` : `${(minutes / 60).toFixed(1)} h`;
}

const mb = (kb: number) => kb / 1024;

export interface PipeliningMeasurements {
  readonly large: MeasuredRun;
  readonly small: MeasuredRun;
  readonly narrowing?: MeasuredRun;
  readonly slow?: MeasuredRun;
}

export async function measurePipelining(bundles: BenchBundles, options: PipeliningOptions): Promise<PipeliningMeasurements> {
  const { latencies } = options;
  const large = await measureRun(bundles, {
    incidents: options.incidents,
    lookbackMinutes: spreadMinutes(options.incidents, options.perDay),
    latencies,
  });
  const small = await measureRun(bundles, {
    incidents: options.smallIncidents,
    lookbackMinutes: spreadMinutes(options.smallIncidents, options.perDay),
    latencies,
    thenIdle: true,
    thenReread: true,
  });
  const narrowing = options.narrowingScenario
    ? await measureRun(bundles, { incidents: options.incidents, lookbackMinutes: 24 * 60, latencies })
    : undefined;
  const slow = options.slowPages
    ? await measureRun(bundles, {
        incidents: options.slowPages.incidents,
        lookbackMinutes: spreadMinutes(options.slowPages.incidents, options.perDay),
        latencies: { ...latencies, apiPageMs: options.slowPages.apiPageMs },
      })
    : undefined;
  return { large, small, ...(narrowing ? { narrowing } : {}), ...(slow ? { slow } : {}) };
}

export function pipeliningResults(measured: PipeliningMeasurements, options: PipeliningOptions): BenchResult[] {
  const { large, small, narrowing, slow } = measured;
  const pipelining: Figure[] = [
    pipelineFigure(
      'pipeline.ratio',
      `wall / (pages x ${options.latencies.apiPageMs} ms), ${options.incidents.toLocaleString('en-US')} incidents`,
      large,
      options.latencies,
      true,
    ),
  ];
  if (narrowing) {
    pipelining.push(
      pipelineFigure(
        'pipeline.narrowingRatio',
        'same, all in one day: every window narrowed (no target)',
        narrowing,
        options.latencies,
        false,
      ),
    );
  }
  if (slow && options.slowPages) {
    const latencies = { ...options.latencies, apiPageMs: options.slowPages.apiPageMs };
    pipelining.push(
      pipelineFigure(
        'pipeline.slowPagesRatio',
        `wall / (pages x ${latencies.apiPageMs} ms), ${slow.incidents.toLocaleString('en-US')} incidents (no target)`,
        slow,
        latencies,
        false,
      ),
    );
  }
  const ratio = large.result.maxRssKb / small.result.maxRssKb;
  const memory: Figure[] = [
    ratioFigure(
      'memory.ratio',
      `peak RSS, ${options.incidents.toLocaleString('en-US')} / ${options.smallIncidents.toLocaleString('en-US')} incidents`,
      ratio,
      { op: '<=', limit: 1.5 },
      `${mb(large.result.maxRssKb).toFixed(0)} MiB / ${mb(small.result.maxRssKb).toFixed(0)} MiB; ${mb(large.readyRssKb).toFixed(0)} MiB after loading the bundle`,
    ),
    {
      id: 'memory.peakMb',
      label: `peak RSS of the ${options.incidents.toLocaleString('en-US')}-incident run, MiB`,
      value: mb(large.result.maxRssKb),
      text: mb(large.result.maxRssKb).toFixed(0),
      target: { op: '<', limit: 256 },
    },
  ];
  return [
    {
      name: `Pipelining (2): API page ${options.latencies.apiPageMs} ms, Firehose ${options.latencies.firehoseCallMs} ms, DynamoDB ${options.latencies.dynamodbCallMs} ms a call`,
      figures: pipelining,
    },
    { name: 'Memory (3)', figures: memory },
  ];
}

export async function runPipeliningBench(
  bundles: BenchBundles,
  options: PipeliningOptions,
): Promise<{ results: BenchResult[]; measured: PipeliningMeasurements }> {
  const measured = await measurePipelining(bundles, options);
  return { results: pipeliningResults(measured, options), measured };
}
