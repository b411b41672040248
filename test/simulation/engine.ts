/**
 * The simulation: the local environment on a simulated clock, a scheduled invocation every tick, data
 * arriving all the time (new incidents and updates of older ones), faults injected at random, one
 * outage longer than the API keeps data, and the books kept to reconcile at the end.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { checkpointKey } from '../../functions/aws/table-keys.js';
import { type Config, loadConfig } from '../../functions/config.js';
import { createSymantecClient, type SymantecClient } from '../../functions/symantec/incidents-client.js';
import { parseCredentials } from '../../functions/symantec/credentials.js';
import type { ClampedInterval } from '../../functions/window.js';
import { startLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import { createRandom, type Random } from '../../local/random.js';
import { type Accounting, type DuplicateCause, reconcile, versionKey } from './accounting.js';
import { splitThresholdFor } from './api-switches.js';
import { REQUEST_TIMEOUT_MS, drawKillPoint, injectEveryFault, injectRandomFault } from './fault-plan.js';
import { type InvocationContext, type InvocationOutcome, invoke } from './invocation.js';
import { describeKill } from './run-probe.js';
import { type ScenarioOptions, type Timeline, planTimeline } from './scenario.js';
import { createSimAwsClients } from './sim-aws-clients.js';
import { createSimClock, type SimClock } from './sim-clock.js';
import { SimLog } from './sim-logger.js';
import { countFiredFaults, SimulationTally } from './tally.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SOURCE = 'simulated';

export interface SimulationResult {
  readonly options: ScenarioOptions;
  /** The function settings the runs used, as the configuration read them. */
  readonly config: Pick<Config, 'pageSize' | 'pageOverlap' | 'splitThreshold' | 'updateSweepIntervalMs' | 'updateSweepHorizonMs'>;
  readonly timeline: Timeline;
  readonly accounting: Accounting;
  readonly tally: SimulationTally;
  readonly log: SimLog;
  readonly clamps: readonly ClampedInterval[];
  /** The last cursor before the long outage, where the announced loss must begin. */
  readonly cursorBeforeOutage: string | undefined;
  readonly realMs: number;
}

export async function simulate(options: ScenarioOptions, progress: (line: string) => void = () => undefined): Promise<SimulationResult> {
  const realStartMs = performance.now();
  const random = createRandom(options.seed);
  const timeline = planTimeline(options, random);
  const clock = createSimClock(timeline.startMs);
  const canary = `canary-${options.seed}-${random.hex(24)}`;
  const local = await startLocalEnvironment({
    clock,
    seed: options.seed,
    credentials: { clientId: 'simulated-client', clientSecret: canary },
    simulator: { tokenTtlSeconds: options.tokenTtlSeconds, behaviour: { ...options.api } },
  });
  try {
    return await simulateIn(local, clock, random, options, timeline, canary, progress, realStartMs);
  } finally {
    await local.close();
  }
}

async function simulateIn(
  local: LocalEnvironment,
  clock: SimClock,
  random: Random,
  options: ScenarioOptions,
  timeline: Timeline,
  canary: string,
  progress: (line: string) => void,
  realStartMs: number,
): Promise<SimulationResult> {
  const secretText = await readSecret(local);
  const log = new SimLog([canary, Buffer.from(`simulated-client:${canary}`).toString('base64'), secretText]);
  const config = loadConfig({
    ...local.env,
    SOURCE_ID: SOURCE,
    PAGE_SIZE: String(options.pageSize),
    WINDOW_SPLIT_THRESHOLD: String(splitThresholdFor(options.api, options.splitThreshold)),
    ...(options.pageOverlap === undefined ? {} : { PAGE_OVERLAP: String(options.pageOverlap) }),
    REQUEST_TIMEOUT: `${REQUEST_TIMEOUT_MS / 1000}s`,
    UPDATE_SWEEP_INTERVAL: `${options.sweepHours}h`,
  });
  const credentials = parseCredentials(secretText);
  // Each container has its own client (and token cache); a killed process comes back as a new container.
  const newApiClient = (): SymantecClient =>
    createSymantecClient({
      apiUrl: config.apiUrl,
      tokenUrl: config.tokenUrl,
      credentials,
      clock,
      random: () => random.next(),
      requestTimeoutMs: config.requestTimeoutMs,
    });
  const tally = new SimulationTally();
  const cursorMoves: { atMs: number; cursor: string }[] = [];
  const context: InvocationContext = {
    config,
    clients: createSimAwsClients(local.env, clock, createRandom(options.seed ^ 0xa75)),
    clock,
    log,
    random: createRandom(options.seed ^ 0x51c),
    listener: { cursorMoved: (atMs, cursor) => cursorMoves.push({ atMs, cursor }) },
  };
  const direct = new DynamoDBClient({
    endpoint: local.dynamodb.url,
    region: local.env.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const store = local.simulator.store;
  const appearedAtMs: number[] = [];
  const tagNewVersions = () => {
    for (let n = store.versionsCreated().length; appearedAtMs.length < n; ) appearedAtMs.push(clock.now());
  };
  const unmarked = new Map<string, DuplicateCause>();
  const noteUnmarked = (outcome: InvocationOutcome) => {
    for (const record of outcome.unmarked?.records ?? []) {
      const parsed = parseDelivered(record);
      if (parsed) unmarked.set(versionKey(parsed.uid, parsed.modified), outcome.unmarked?.cause ?? 'run-ended');
    }
  };

  // Data: a day of history inside the first run's lookback, then arrivals all along.
  const arrivalRandom = createRandom(options.seed ^ 0xda7a);
  store.createIncidentsBetween(
    Math.round((options.incidentsPerDay * 20) / 24),
    timeline.startMs - 20 * HOUR,
    timeline.startMs - 10 * 60_000,
  );
  tagNewVersions();
  let arrivedUntilMs = timeline.startMs;
  const arrive = (untilMs: number) => {
    const spanMs = untilMs - arrivedUntilMs;
    if (spanMs <= 0) return;
    const events = [
      ...times(arrivalRandom, (options.incidentsPerDay * spanMs) / DAY, arrivedUntilMs, spanMs).map((atMs) => ({ atMs, update: false })),
      ...times(arrivalRandom, (options.updatesPerDay * spanMs) / DAY, arrivedUntilMs, spanMs).map((atMs) => ({ atMs, update: true })),
    ].sort((a, b) => a.atMs - b.atMs);
    for (const event of events) {
      if (event.update) store.updateIncidents(1, event.atMs);
      else store.createIncidents(1, event.atMs);
    }
    arrivedUntilMs = untilMs;
    tagNewVersions();
  };

  let api = newApiClient();
  let cursor: string | undefined;
  let cursorBeforeOutage: string | undefined;
  let quietSnapshot: number | undefined;
  let nextDayMs = timeline.startMs + DAY;
  const firehoseOutages = [...timeline.firehoseOutages];
  let backlogAhead = true;
  for (let tickMs = timeline.startMs; tickMs < timeline.endMs; tickMs += timeline.tickMs) {
    const outage = timeline.longOutage;
    if (outage && tickMs >= outage.fromMs && tickMs < outage.toMs) {
      cursorBeforeOutage = cursor;
      for (let hourMs = tickMs; hourMs < outage.toMs; hourMs += HOUR) {
        clock.jumpTo(hourMs);
        arrive(hourMs);
      }
      tickMs = outage.toMs;
      tally.longOutages++;
      backlogAhead = true;
      // The platform is back, the containers are new.
      api = newApiClient();
    }
    clock.jumpTo(tickMs);
    arrive(clock.now());
    const injecting = clock.now() < timeline.faultsStopMs;
    if (firehoseOutages[0] && clock.now() >= firehoseOutages[0].fromMs) {
      local.firehose.setBehaviour({ outageUntilMs: firehoseOutages[0].toMs });
      firehoseOutages.shift();
      tally.countFault('firehose outage of several hours');
    }
    if (quietSnapshot === undefined && clock.now() >= timeline.quietFromMs) {
      local.simulator.clearFaults();
      quietSnapshot = countFiredFaults(local);
    }
    if (injecting && backlogAhead) for (const name of injectEveryFault(local, random, options.api)) tally.countFault(name);
    backlogAhead = false;
    while (injecting && random.chance(options.faultRate)) tally.countFault(injectRandomFault(local, random, options.api));
    const killAt = injecting && random.chance(options.killRate) ? drawKillPoint(random) : undefined;
    const overlapping = injecting && random.chance(options.overlapRate);

    const tick = Math.round((tickMs - timeline.startMs) / timeline.tickMs);
    const invocations = [invoke(context, api, `tick-${tick}-a`, killAt)];
    if (overlapping) invocations.push(invoke(context, newApiClient(), `tick-${tick}-b`, undefined));
    const outcomes = await Promise.all(invocations);
    if (overlapping) tally.overlaps++;
    for (const outcome of outcomes) {
      tally.countRun(outcome);
      noteUnmarked(outcome);
      if (outcome.killed) tally.countKill(describeKill(outcome.killed));
    }
    if (killAt && outcomes[0]?.killed) api = newApiClient();
    // A "pages shifting" fault lasts one tick; the switched baseline stays.
    local.simulator.setBehaviour({ updatesDuringPaging: options.api.updatesDuringPaging });
    tagNewVersions();
    // The next arrivals carry times after this tick's runs: an incident stamped before a run that already
    // read past that time would be one the API indexed later than SETTLE_DELAY, which nothing promises.
    arrivedUntilMs = Math.max(arrivedUntilMs, clock.now());

    const stored = await readCursor(direct, local.env.CHECKPOINT_TABLE);
    if (stored !== undefined && cursor !== undefined && stored < cursor) tally.regressions++;
    if (stored !== undefined && (cursor === undefined || stored > cursor)) cursor = stored;
    if (cursor !== undefined) tally.observeLag(clock.now(), clock.now() - Date.parse(cursor), timeline, options.tickMinutes * 60_000);
    if (clock.now() >= nextDayMs) {
      progress(tally.progressLine(clock.now() - timeline.startMs, store.versionsCreated().length, local.firehose.stats.recordsAccepted));
      nextDayMs += DAY;
    }
  }
  tally.faultsFiredWhileQuiet = quietSnapshot === undefined ? 0 : countFiredFaults(local) - quietSnapshot;
  tally.firedAtServices = firedByService(local);
  direct.destroy();
  context.clients.dynamodb.destroy();
  context.clients.firehose.destroy();

  const delivered: { uid: string; modified: string }[] = [];
  for (const record of local.firehose.records(local.env.DELIVERY_STREAM)) {
    const text = record.toString('utf8');
    log.scan(text, 'document');
    const parsed = parseDelivered(record);
    if (parsed) delivered.push(parsed);
    else tally.unreadableDocuments++;
  }
  const clamps = [...tally.clampsReported, ...log.clampWarnings];
  const accounting = reconcile({
    versions: store.versionsCreated(),
    appearedAtMs,
    delivered,
    cursorMoves,
    clamps,
    finalCursor: cursor,
    unmarked,
    reach: {
      filterField: options.api.filterField,
      sweepIntervalMs: config.updateSweepIntervalMs,
      sweepHorizonMs: config.updateSweepHorizonMs,
      // A due sweep waits while Firehose is down (its runs deliver nothing) and while faults fail its runs;
      // an hour more covers those and the catch-up after the long outage (under half an hour in the full run).
      sweepSlackMs: options.firehoseOutageHours * HOUR + HOUR,
      noRuns: timeline.longOutage,
      endMs: clock.now(),
    },
  });
  const { pageSize, pageOverlap, splitThreshold, updateSweepIntervalMs, updateSweepHorizonMs } = config;
  return {
    options,
    config: { pageSize, pageOverlap, splitThreshold, updateSweepIntervalMs, updateSweepHorizonMs },
    timeline,
    accounting,
    tally,
    log,
    clamps,
    cursorBeforeOutage,
    realMs: performance.now() - realStartMs,
  };
}

/** Event instants in [fromMs, fromMs + spanMs): a Poisson count with mean `mean`, spread uniformly. */
function times(random: Random, mean: number, fromMs: number, spanMs: number): number[] {
  // Knuth's method; the means here are small (a few per tick, a few dozen per hour of outage).
  const limit = Math.exp(-mean);
  let count = -1;
  for (let p = 1; p > limit; p *= random.next()) count++;
  return Array.from({ length: Math.max(0, count) }, () => fromMs + 1 + Math.floor(random.next() * (spanMs - 1)));
}

function parseDelivered(record: Buffer): { uid: string; modified: string } | undefined {
  try {
    const document = JSON.parse(record.toString('utf8'));
    const uid = document.event?.id;
    const modified = document.symantec_edr_cloud?.incident?.modified;
    return typeof uid === 'string' && typeof modified === 'string' ? { uid, modified } : undefined;
  } catch {
    return undefined;
  }
}

async function readSecret(local: LocalEnvironment): Promise<string> {
  const client = new SecretsManagerClient({
    endpoint: local.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    region: local.env.AWS_REGION,
    credentials: { accessKeyId: local.env.AWS_ACCESS_KEY_ID, secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY },
  });
  try {
    const result = await client.send(new GetSecretValueCommand({ SecretId: local.env.SYMANTEC_SECRET_ID }));
    return result.SecretString ?? '';
  } finally {
    client.destroy();
  }
}

async function readCursor(client: DynamoDBClient, table: string): Promise<string | undefined> {
  const result = await client.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: checkpointKey(SOURCE) } }, ConsistentRead: true }),
  );
  return result.Item?.cursor?.S;
}

function firedByService(local: LocalEnvironment): Record<string, number> {
  const fired: Record<string, number> = {};
  for (const [kind, count] of Object.entries(local.simulator.stats.faults)) fired[`symantec ${kind}`] = count ?? 0;
  for (const [kind, count] of Object.entries(local.proxies.dynamodb.stats.faults)) fired[`dynamodb ${kind}`] = count ?? 0;
  fired['firehose calls refused'] = local.firehose.stats.callsFailed;
  fired['firehose records refused'] = local.firehose.stats.recordsFailed;
  return fired;
}
