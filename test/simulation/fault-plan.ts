/**
 * The faults a tick can bring, drawn from the seeded random source and applied to the local services
 * through their own switches: the Symantec simulator's fault queue and behaviour, the Firehose emulator's
 * fault queue and outage, the DynamoDB fault proxy. Kills and overlapping invocations are the engine's.
 */
import type { LocalEnvironment } from '../../local/environment.js';
import type { Random } from '../../local/random.js';
import type { ApiSwitches } from './api-switches.js';
import type { KillPoint } from './run-probe.js';

export type FaultName =
  | 'api 5xx'
  | 'api 5xx burst (run gives up)'
  | 'api 429 with Retry-After'
  | 'api 429 with long Retry-After'
  | 'api 429 without Retry-After'
  | 'api timeout'
  | 'api connection reset'
  | 'api malformed JSON'
  | 'api truncated JSON'
  | 'api next missing'
  | 'api next not advancing'
  | 'api next beyond total'
  | 'api pages shifting'
  | 'token revoked mid-window'
  | 'token endpoint 5xx'
  | 'firehose partial failure'
  | 'firehose throttling'
  | 'firehose internal error'
  | 'firehose connection reset'
  | 'dynamodb throttling'
  | 'dynamodb error';

interface FaultKind {
  readonly name: FaultName;
  readonly weight: number;
  readonly apply: (local: LocalEnvironment, random: Random, api: ApiSwitches) => void;
}

const dynamoOperations = ['UpdateItem', 'BatchGetItem'] as const;

/**
 * Weights: paging and HTTP faults most often (they are what a page fetch meets), timeouts seldom (each
 * costs REQUEST_TIMEOUT of real time).
 */
const FAULT_KINDS: readonly FaultKind[] = [
  {
    name: 'api 5xx',
    weight: 10,
    apply: (l, r) => l.simulator.inject({ kind: r.pick(['500', '502', '503'] as const), count: r.int(1, 3) }),
  },
  { name: 'api 5xx burst (run gives up)', weight: 2, apply: (l) => l.simulator.inject({ kind: '503', count: 6 }) },
  { name: 'api 429 with Retry-After', weight: 6, apply: (l, r) => l.simulator.inject({ kind: '429', retryAfterSeconds: r.int(1, 30) }) },
  { name: 'api 429 with long Retry-After', weight: 2, apply: (l) => l.simulator.inject({ kind: '429', retryAfterSeconds: 600 }) },
  // By default the simulator runs with `retryAfter: false`, so a 429 without its own value carries no
  // header; with the switch on, it carries the simulator's default of 1 s.
  { name: 'api 429 without Retry-After', weight: 6, apply: (l, r) => l.simulator.inject({ kind: '429', count: r.int(1, 2) }) },
  { name: 'api timeout', weight: 1, apply: (l) => l.simulator.inject({ kind: 'slow', delayMs: TIMEOUT_DELAY_MS }) },
  { name: 'api connection reset', weight: 4, apply: (l) => l.simulator.inject({ kind: 'reset' }) },
  { name: 'api malformed JSON', weight: 4, apply: (l) => l.simulator.inject({ kind: 'malformed' }) },
  { name: 'api truncated JSON', weight: 4, apply: (l) => l.simulator.inject({ kind: 'truncated' }) },
  { name: 'api next missing', weight: 4, apply: (l) => l.simulator.inject({ kind: 'next-missing' }) },
  { name: 'api next not advancing', weight: 4, apply: (l) => l.simulator.inject({ kind: 'next-stuck' }) },
  { name: 'api next beyond total', weight: 4, apply: (l) => l.simulator.inject({ kind: 'next-beyond-total' }) },
  // On top of the switched baseline, for the rest of the tick.
  {
    name: 'api pages shifting',
    weight: 4,
    apply: (l, r, api) => l.simulator.setBehaviour({ updatesDuringPaging: api.updatesDuringPaging + r.int(1, 4) }),
  },
  { name: 'token revoked mid-window', weight: 4, apply: (l) => l.simulator.inject({ kind: '401' }) },
  { name: 'token endpoint 5xx', weight: 2, apply: (l, r) => l.simulator.inject({ kind: '503', target: 'token', count: r.int(1, 2) }) },
  { name: 'firehose partial failure', weight: 6, apply: (l, r) => l.firehose.inject({ kind: 'partial', records: r.int(1, 5) }) },
  { name: 'firehose throttling', weight: 5, apply: (l, r) => l.firehose.inject({ kind: 'throttle', count: r.int(1, 5) }) },
  { name: 'firehose internal error', weight: 2, apply: (l) => l.firehose.inject({ kind: 'internal' }) },
  { name: 'firehose connection reset', weight: 2, apply: (l) => l.firehose.inject({ kind: 'reset' }) },
  {
    name: 'dynamodb throttling',
    weight: 8,
    apply: (l, r) =>
      l.proxies.dynamodb.inject({
        kind: 'throttle',
        count: r.int(1, 4),
        match: r.pick(dynamoOperations),
        errorType: r.pick(['ProvisionedThroughputExceededException', 'ThrottlingException'] as const),
      }),
  },
  {
    name: 'dynamodb error',
    weight: 3,
    apply: (l, r) => l.proxies.dynamodb.inject({ kind: 'error', count: r.int(1, 2), match: r.pick(dynamoOperations) }),
  },
];

/** REQUEST_TIMEOUT in the simulation, and how long a "slow" answer is held back: it times out. */
export const REQUEST_TIMEOUT_MS = 2_000;
const TIMEOUT_DELAY_MS = REQUEST_TIMEOUT_MS + 500;

const TOTAL_WEIGHT = FAULT_KINDS.reduce((sum, kind) => sum + kind.weight, 0);

/** Draws one fault kind by weight and applies it; answers its name. */
export function injectRandomFault(local: LocalEnvironment, random: Random, api: ApiSwitches): FaultName {
  let left = random.next() * TOTAL_WEIGHT;
  let chosen = FAULT_KINDS[FAULT_KINDS.length - 1] as FaultKind;
  for (const kind of FAULT_KINDS) {
    left -= kind.weight;
    if (left < 0) {
      chosen = kind;
      break;
    }
  }
  chosen.apply(local, random, api);
  return chosen.name;
}

/**
 * Every kind once, queued at the same tick: the run that meets them pages through a backlog (the first
 * run, the catch-up after the long outage), so paging faults land on pages in the middle of windows.
 */
export function injectEveryFault(local: LocalEnvironment, random: Random, api: ApiSwitches): FaultName[] {
  for (const kind of FAULT_KINDS) kind.apply(local, random, api);
  return FAULT_KINDS.map((kind) => kind.name);
}

/** Every step of a run a process can die at; the calls that usually happen more than once get a later index too. */
const KILL_STEPS: readonly Omit<KillPoint, 'call'>[] = [
  { port: 'checkpoints', method: 'acquire', when: 'before' },
  { port: 'checkpoints', method: 'acquire', when: 'after' },
  { port: 'api', method: 'fetchIncidentPage', when: 'before' },
  { port: 'api', method: 'fetchIncidentPage', when: 'after' },
  { port: 'seen', method: 'filterUnseen', when: 'before' },
  { port: 'seen', method: 'filterUnseen', when: 'after' },
  { port: 'sink', method: 'put', when: 'before' },
  { port: 'sink', method: 'put', when: 'after' },
  { port: 'seen', method: 'markSeen', when: 'before' },
  { port: 'seen', method: 'markSeen', when: 'after' },
  { port: 'checkpoints', method: 'saveProgress', when: 'before' },
  { port: 'checkpoints', method: 'saveProgress', when: 'after' },
  { port: 'checkpoints', method: 'complete', when: 'before' },
  { port: 'checkpoints', method: 'complete', when: 'after' },
  { port: 'checkpoints', method: 'saveSweep', when: 'before' },
  { port: 'checkpoints', method: 'finishSweep', when: 'before' },
  { port: 'checkpoints', method: 'release', when: 'before' },
];

// Calls a run makes at most once.
const ONCE_A_RUN = new Set(['acquire', 'release', 'saveSweep', 'finishSweep']);

export function drawKillPoint(random: Random): KillPoint {
  const step = random.pick(KILL_STEPS);
  const once = ONCE_A_RUN.has(step.method);
  return { ...step, call: once ? 1 : random.pick([1, 1, 2, 3]) };
}
