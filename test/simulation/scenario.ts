/**
 * What a simulation does, as numbers: how long it ticks, how much data arrives, how often faults strike,
 * and where the long outages fall; and how the simulated API behaves. Everything random is drawn from `seed`.
 */
import { type ApiSwitches, DEFAULT_API_SWITCHES } from './api-switches.js';

export interface ScenarioOptions {
  readonly seed: number;
  /** Days of scheduled ticks (the long outage comes on top). */
  readonly days: number;
  /** New incidents per simulated day. */
  readonly incidentsPerDay: number;
  /** Updates of older incidents per simulated day (each a new version with a fresh `time`/`modified`). */
  readonly updatesPerDay: number;
  /** The one outage with no run at all, in days; past 30 the checkpoint must be clamped. 0 for none. */
  readonly longOutageDays: number;
  /** Chance that a tick brings a fault of some kind (API, Firehose, DynamoDB). */
  readonly faultRate: number;
  /** Chance that a tick's process is killed at a random step. */
  readonly killRate: number;
  /** Chance that a tick starts two invocations at once. */
  readonly overlapRate: number;
  /** Firehose outages of `firehoseOutageHours` each. */
  readonly firehoseOutages: number;
  readonly firehoseOutageHours: number;
  /** The fault-free tail in which the lag is measured. */
  readonly quietHours: number;
  readonly tickMinutes: number;
  /** PAGE_SIZE: small pages make many pages, so paging faults have something to hit. */
  readonly pageSize: number;
  /** Token lifetime on the simulated clock: short, so tokens expire in the middle of windows. */
  readonly tokenTtlSeconds: number;
  /** UPDATE_SWEEP_INTERVAL in hours (the function's default is 6); 0 turns the sweep off. */
  readonly sweepHours: number;
  /** How the simulated API behaves where public material leaves it open. */
  readonly api: ApiSwitches;
  /** WINDOW_SPLIT_THRESHOLD. @default 90% of `api.resultCap`, or 200 without a cap (see api-switches.ts) */
  readonly splitThreshold?: number | undefined;
  /** PAGE_OVERLAP. @default the function's own: a quarter of PAGE_SIZE, at most 10 */
  readonly pageOverlap?: number | undefined;
}

export const FULL_SCENARIO: ScenarioOptions = {
  seed: 20_240_501,
  days: 36,
  incidentsPerDay: 240,
  updatesPerDay: 120,
  longOutageDays: 31,
  faultRate: 0.25,
  // One process in about 170 dies at a random step: far more often than a Lambda does, and each kill
  // between a put and its seen-mark re-delivers that page.
  killRate: 0.006,
  overlapRate: 0.01,
  firehoseOutages: 2,
  firehoseOutageHours: 4,
  quietHours: 24,
  tickMinutes: 5,
  pageSize: 25,
  tokenTtlSeconds: 1_200,
  sweepHours: 6,
  api: DEFAULT_API_SWITCHES,
};

/**
 * The cut-down run of `npm test` (`npm run simulate -- --scenario test`): a day and a quarter of ticks
 * around the 31-day outage, with faults, kills and overlaps more frequent than in the full run so that
 * every kind strikes in the short time.
 */
export const TEST_SCENARIO: ScenarioOptions = {
  ...FULL_SCENARIO,
  seed: 7,
  days: 1.25,
  incidentsPerDay: 120,
  updatesPerDay: 60,
  faultRate: 0.35,
  // Each kill between a put and its seen-mark re-delivers that page: at one kill in 50 runs the short
  // run stays under the duplicate target unless such a kill lands on a full catch-up page.
  killRate: 0.02,
  overlapRate: 0.03,
  firehoseOutages: 1,
  firehoseOutageHours: 2,
  quietHours: 3,
};

/** When things happen, in simulated epoch milliseconds. */
export interface Timeline {
  readonly startMs: number;
  readonly tickMs: number;
  /** The long outage: no tick in [from, to). */
  readonly longOutage: { readonly fromMs: number; readonly toMs: number } | undefined;
  /** Firehose refuses every call in each of these. */
  readonly firehoseOutages: readonly { readonly fromMs: number; readonly toMs: number }[];
  /** No new fault from here on (queued ones are drained before). */
  readonly faultsStopMs: number;
  readonly quietFromMs: number;
  readonly endMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A fixed start, so a seed replays to the same instants. */
export const SIMULATION_START_MS = Date.UTC(2025, 0, 6, 0, 0, 0);
/** Faults stop this long before the quiet tail, so queued ones have fired by then. */
const DRAIN_MS = 2 * HOUR;

export function planTimeline(options: ScenarioOptions, random: { next(): number }): Timeline {
  const startMs = SIMULATION_START_MS;
  const tickMs = options.tickMinutes * 60_000;
  const tickingMs = options.days * DAY;
  const firstHalfMs = Math.floor(tickingMs / 2 / tickMs) * tickMs;
  const longOutage =
    options.longOutageDays > 0 ? { fromMs: startMs + firstHalfMs, toMs: startMs + firstHalfMs + options.longOutageDays * DAY } : undefined;
  const outageMs = longOutage ? longOutage.toMs - longOutage.fromMs : 0;
  const endMs = startMs + tickingMs + outageMs;
  const quietFromMs = endMs - options.quietHours * HOUR;
  const faultsStopMs = quietFromMs - DRAIN_MS;

  // Firehose outages fall in the ticking time with faults, one in each equal slice, clear of the long outage.
  const firehoseOutages: { fromMs: number; toMs: number }[] = [];
  const lengthMs = options.firehoseOutageHours * HOUR;
  const usable = [
    { fromMs: startMs + HOUR, toMs: longOutage ? longOutage.fromMs : faultsStopMs },
    ...(longOutage ? [{ fromMs: longOutage.toMs + HOUR, toMs: faultsStopMs }] : []),
  ].filter((span) => span.toMs - span.fromMs > lengthMs + HOUR);
  for (let i = 0; i < options.firehoseOutages && usable.length > 0; i++) {
    const span = usable[i % usable.length] as { fromMs: number; toMs: number };
    const fromMs = span.fromMs + Math.floor(random.next() * (span.toMs - span.fromMs - lengthMs - HOUR));
    firehoseOutages.push({ fromMs, toMs: fromMs + lengthMs });
  }
  return { startMs, tickMs, longOutage, firehoseOutages, faultsStopMs, quietFromMs, endMs };
}
