/**
 * A run against the local environment for the paging tests: the simulator seeded with incidents spread
 * over the last hours, and the function's real dependencies for one source. The caller swaps ports.
 */
import { loadConfig } from '../../../functions/config.js';
import { SymantecClientCache, buildRunDependencies, createAwsClients } from '../../../functions/ingest/wiring.js';
import { startLocalEnvironment, type LocalEnvironment } from '../../../local/environment.js';
import { pointProcessEnvAt } from '../../support/local-process-env.js';

export const HOUR = 3_600_000;
const credentials = { clientId: 'paging-client', clientSecret: 'paging-secret-value' };
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, appendKeys: () => undefined };

export interface PagingRunOptions {
  /** Incidents spread evenly from `hours` ago (plus five minutes) to two minutes ago. */
  readonly incidents: number;
  readonly hours: number;
  /** Function settings on top of the local environment's (PAGE_SIZE, MAX_WINDOW, ...). */
  readonly settings: Record<string, string>;
  /** Milliseconds the simulator waits before each answer. @default 0 */
  readonly apiLatencyMs?: number;
}

export interface PagingRun {
  readonly local: LocalEnvironment;
  readonly deps: ReturnType<typeof buildRunDependencies>;
  close(): Promise<void>;
}

/** Starts the environment and points `process.env` at it; `close` restores both. */
export async function startPagingRun(options: PagingRunOptions): Promise<PagingRun> {
  const local = await startLocalEnvironment({ credentials });
  const restoreEnv = pointProcessEnvAt(local);
  const nowMs = Date.now();
  local.simulator.store.createIncidentsBetween(options.incidents, nowMs - options.hours * HOUR + 5 * 60_000, nowMs - 2 * 60_000);
  if (options.apiLatencyMs !== undefined) local.simulator.setBehaviour({ latencyMs: options.apiLatencyMs });
  const config = loadConfig({ ...process.env, INITIAL_LOOKBACK: `${options.hours}h`, ...options.settings });
  const api = new SymantecClientCache().get(
    config,
    JSON.stringify({ client_id: credentials.clientId, client_secret: credentials.clientSecret }),
  );
  const deps = buildRunDependencies({
    config,
    clients: createAwsClients(),
    api,
    source: 'default',
    owner: 'paging-test',
    logger: quiet,
    deadlineMs: nowMs + 120_000,
    leaseMs: 180_000,
  });
  return {
    local,
    deps,
    close: async () => {
      restoreEnv();
      await local.close();
    },
  };
}
