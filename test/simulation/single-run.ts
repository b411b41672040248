/**
 * One run of the real code against a local environment on a simulated clock, outside the tick loop:
 * what the security and regression tests need to look at a single run closely.
 */
import { type Config, loadConfig } from '../../functions/config.js';
import { run } from '../../functions/ingest/run.js';
import type { RunSummary } from '../../functions/ingest/run-summary.js';
import { buildRunDependencies, runTimeLimits } from '../../functions/ingest/wiring.js';
import { SymantecCredentials } from '../../functions/symantec/credentials.js';
import { createSymantecClient, type SymantecClientOptions } from '../../functions/symantec/incidents-client.js';
import type { LocalEnvironment } from '../../local/environment.js';
import { createRandom } from '../../local/random.js';
import { createSimAwsClients } from './sim-aws-clients.js';
import type { SimClock } from './sim-clock.js';
import { SimLog } from './sim-logger.js';

export interface SingleRunOptions {
  readonly source: string;
  /** The client the local environment was started with. */
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
  /** Environment variables over the local environment's. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Changes to the API client's options. */
  readonly client?: Partial<SymantecClientOptions>;
}

export async function runOnce(
  local: LocalEnvironment,
  clock: SimClock,
  options: SingleRunOptions,
): Promise<{ summary: RunSummary; log: SimLog; config: Config }> {
  const { source, credentials } = options;
  const config = loadConfig({ ...local.env, SOURCE_ID: source, ...options.settings });
  const clients = createSimAwsClients(local.env, clock, createRandom(source.length));
  const log = new SimLog([credentials.clientSecret]);
  try {
    const api = createSymantecClient({
      apiUrl: config.apiUrl,
      credentials: SymantecCredentials.fromClientSecret(credentials.clientId, credentials.clientSecret),
      clock,
      random: () => 0.5,
      ...options.client,
    });
    const logger = log.logger(() => false);
    const summary = await run(
      buildRunDependencies({
        config,
        clients,
        api,
        source,
        owner: `${source}-${clock.now()}`,
        logger,
        clock,
        ...runTimeLimits(clock.now(), 300_000),
      }),
    );
    log.scan(JSON.stringify(summary), 'summary');
    return { summary, log, config };
  } finally {
    clients.dynamodb.destroy();
    clients.firehose.destroy();
  }
}
