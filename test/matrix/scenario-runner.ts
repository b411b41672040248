import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { type Config, loadConfig } from '../../functions/config.js';
import type { MetricName, MetricUnit, RunLogger, RunMetrics } from '../../functions/ingest/ports.js';
import { run } from '../../functions/ingest/run.js';
import { reportMetrics, type RunSummary } from '../../functions/ingest/run-summary.js';
import { buildRunDependencies } from '../../functions/ingest/wiring.js';
import { SymantecCredentials } from '../../functions/symantec/credentials.js';
import { createSymantecClient } from '../../functions/symantec/incidents-client.js';
import { startLocalEnvironment } from '../../local/environment.js';
import type { IncidentStore, VersionRecord } from '../../local/incident-store.js';
import { createRandom } from '../../local/random.js';
import type { Fault, SimulatorBehaviour, SimulatorStats } from '../../local/symantec-simulator.js';
import { checkLedger, type DeliveredVersion, type LedgerCheck } from './ledger-check.js';
import { createScenarioScript, defaultShape, type ScenarioShape } from './scenario-script.js';
import { createSteppingClock } from './stepping-clock.js';

/**
 * Runs the real `run` with the real adapters (Symantec client over HTTP, DynamoDB checkpoints and
 * seen-set, Firehose sink) against the local environment, once per scheduled tick, on a simulated clock:
 * two days of a tenant's life in seconds. Then reconciles what Firehose received with what the simulator
 * created.
 */

/** A Monday at midnight: a fixed start keeps every scenario reproducible from its seed. */
export const SCENARIO_START_MS = Date.UTC(2026, 10, 2);
const MINUTE = 60_000;

export interface ScenarioOptions {
  /** @default 7 */
  seed?: number;
  behaviour?: Partial<SimulatorBehaviour>;
  /** Configuration variables on top of the local environment's (PAGE_SIZE, WINDOW_SPLIT_THRESHOLD, ...). */
  settings?: Record<string, string>;
  shape?: Partial<ScenarioShape>;
  /** Faults queued on the incidents endpoint before every `every`-th run. */
  faults?: readonly { every: number; fault: Fault }[];
  /** Lets a test act on the store before the first run (e.g. a large history). */
  prepare?: (context: { store: IncidentStore; startMs: number }) => void;
  /** Lets a test act on the store before the run of each tick, after the script. */
  onTick?: (context: { store: IncidentStore; nowMs: number; elapsedMs: number }) => void;
}

/** What the delivered documents say beyond their identity. */
export interface DocumentFacts {
  /** Digits of `event_id` across the documents. */
  readonly eventIdDigits: ReadonlySet<number>;
  /** Documents whose `event_id` found no lifecycle label. */
  readonly unlabelled: number;
}

export interface ScenarioResult {
  readonly runs: readonly RunSummary[];
  readonly metrics: Readonly<Partial<Record<MetricName, number>>>;
  readonly check: LedgerCheck;
  readonly simulator: SimulatorStats;
  readonly config: Config;
  readonly warnings: readonly string[];
  readonly logMessages: ReadonlySet<string>;
  /** Every version the simulator made, for a failing test to explain itself. */
  readonly versions: readonly VersionRecord[];
  readonly documents: DocumentFacts;
  /** Simulated time spent waiting (retry backoff, Retry-After). */
  readonly sleptMs: number;
}

export async function runScenario(options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const seed = options.seed ?? 7;
  const shape: ScenarioShape = { ...defaultShape, ...options.shape };
  const clock = createSteppingClock(SCENARIO_START_MS);
  const credentials = { clientId: 'matrix-client', clientSecret: `matrix-secret-${seed}` };
  const local = await startLocalEnvironment({ clock, seed, credentials, simulator: { behaviour: options.behaviour ?? {} } });
  const clients = {
    dynamodb: awsClient(DynamoDBClient, local.dynamodb.url),
    firehose: awsClient(FirehoseClient, local.firehose.url),
  };
  try {
    const config = loadConfig({ ...local.env, ...options.settings });
    const random = createRandom(seed ^ 0x7e7);
    const client = createSymantecClient({
      apiUrl: config.apiUrl,
      credentials: SymantecCredentials.fromClientSecret(credentials.clientId, credentials.clientSecret),
      clock,
      random: () => random.next(),
    });
    const logger = collectingLogger();
    const metrics = summingMetrics();
    const script = createScenarioScript(local.simulator.store, shape, seed);
    script.prepare(SCENARIO_START_MS);
    options.prepare?.({ store: local.simulator.store, startMs: SCENARIO_START_MS });

    const runs: RunSummary[] = [];
    const endMs = SCENARIO_START_MS + shape.activeMs + shape.tailMs;
    for (let tick = 0; SCENARIO_START_MS + tick * shape.tickMs <= endMs; tick++) {
      clock.advanceTo(SCENARIO_START_MS + tick * shape.tickMs);
      const isRunDue = script.beforeTick(clock.now());
      options.onTick?.({ store: local.simulator.store, nowMs: clock.now(), elapsedMs: clock.now() - SCENARIO_START_MS });
      if (!isRunDue) continue;
      for (const { every, fault } of options.faults ?? []) if (tick % every === every - 1) local.simulator.inject(fault);
      const nowMs = clock.now();
      const deps = buildRunDependencies({
        config,
        clients,
        api: client,
        source: 'matrix',
        owner: `tick-${tick}`,
        logger,
        // A 15-minute Lambda less its margin; the clock moves only by retry waits, so no run stops for time.
        deadlineMs: nowMs + 14 * MINUTE,
        leaseMs: 16 * MINUTE,
        clock,
      });
      const summary = await run(deps);
      reportMetrics(summary, metrics);
      runs.push(summary);
    }

    const behaviour = local.simulator.behaviour;
    const records = local.firehose
      .records(local.env.DELIVERY_STREAM)
      .map((data) => JSON.parse(data.toString('utf8')) as Record<string, any>);
    const check = checkLedger({
      versions: local.simulator.store.versionsCreated(),
      delivered: records.map(identify),
      filterField: behaviour.filterField,
      originMs: SCENARIO_START_MS - config.initialLookbackMs,
      endMs: clock.now(),
      forwardLatencyMs: config.settleDelayMs + shape.tickMs + MINUTE,
      sweepLatencyMs: config.updateSweepIntervalMs + shape.tickMs + longestOutageMs(shape) + MINUTE,
    });
    return {
      runs,
      metrics: metrics.totals,
      check,
      simulator: local.simulator.stats,
      config,
      warnings: logger.warnings,
      logMessages: logger.messages,
      versions: [...local.simulator.store.versionsCreated()],
      documents: documentFacts(records),
      sleptMs: clock.sleptMs,
    };
  } finally {
    clients.dynamodb.destroy();
    clients.firehose.destroy();
    await local.close();
  }
}

function awsClient<T>(Client: new (config: object) => T, endpoint: string): T {
  return new Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

function longestOutageMs(shape: ScenarioShape): number {
  return Math.max(0, ...shape.outages.map((outage) => outage.toMs - outage.fromMs));
}

/** Each Firehose record is one ECS document (or one raw incident with OUTPUT_FORMAT=raw). */
function identify(document: Record<string, any>): DeliveredVersion {
  const incident = document.symantec_edr_cloud?.incident ?? document;
  return { uid: document.event?.id ?? incident.incident_uid, modified: incident.modified };
}

function documentFacts(documents: readonly Record<string, any>[]): DocumentFacts {
  const eventIdDigits = new Set<number>();
  let unlabelled = 0;
  for (const document of documents) {
    const incident = document.symantec_edr_cloud?.incident ?? {};
    if (incident.event_id !== undefined) eventIdDigits.add(String(incident.event_id).length);
    if (typeof incident.event !== 'string') unlabelled++;
  }
  return { eventIdDigits, unlabelled };
}

function collectingLogger(): RunLogger & { warnings: string[]; messages: Set<string> } {
  const warnings: string[] = [];
  const messages = new Set<string>();
  const keep =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      messages.add(message);
      if (level !== 'info' && level !== 'debug') warnings.push(`${level}: ${message} ${JSON.stringify(Object.assign({}, ...extra))}`);
    };
  return {
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    appendKeys: () => undefined,
    warnings,
    messages,
  };
}

function summingMetrics(): RunMetrics & { totals: Partial<Record<MetricName, number>> } {
  const totals: Partial<Record<MetricName, number>> = {};
  return {
    totals,
    addMetric(name: MetricName, _unit: MetricUnit, value: number) {
      totals[name] = (totals[name] ?? 0) + value;
    },
  };
}
