/**
 * The Lambda entry point. Wiring only: configuration read once per container, clients built once,
 * credentials from Secrets Manager (cached by middy), JSON logs and EMF metrics from Powertools, then
 * `run` does the work.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import secretsManager from '@middy/secrets-manager';
import { getInternal } from '@middy/util';
import type { Context } from 'aws-lambda';
import { type Config, loadConfig } from './config.js';
import { isValidSourceId, SOURCE_ID_RULE } from './source-id.js';
import { ConfigError } from './errors.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from './observability.js';
import type { ClientEvent } from './symantec/client-events.js';
import { run } from './ingest/run.js';
import { mapStackTraces } from './stack-traces.js';
import { VERSION } from './version.js';
import type { RunSummary } from './ingest/run-summary.js';
import { reportMetrics } from './ingest/run-summary.js';
import { SymantecClientCache, buildRunDependencies, createAwsClients, runTimeLimits } from './ingest/wiring.js';

// A secret filled in or rotated reaches warm containers within this time.
const SECRET_CACHE_MS = 15 * 60_000;

// In the bundle Lambda runs, errors' stack traces name the TypeScript sources (functions/stack-traces.ts).
// `__filename` is the bundle's own file there; unbundled sources have no map beside them.
if (typeof __filename === 'string') mapStackTraces({ bundleFile: __filename });

const logger = new Logger({ serviceName: SERVICE_NAME });
// Once per container: which code this container runs, before anything else it logs.
logger.info('starting', { version: VERSION });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
const loaded = readConfig();
const clients = createAwsClients();
const apiClients = new SymantecClientCache();

export interface IngestEvent {
  /** The source to run; the function's SOURCE_ID when absent. */
  readonly source?: string;
}

// The secret's value for the invocation in progress, keyed by its Lambda context. Not on the context
// itself: the context is what a log line like `logger.info({ context })` would print.
const secretOf = new WeakMap<Context, unknown>();

async function ingest(event: IngestEvent | null | undefined, context: Context): Promise<RunSummary> {
  const config = requireConfig();
  const source = event?.source ?? config.sourceId;
  if (typeof source !== 'string' || !isValidSourceId(source)) {
    throw new ConfigError(`The event's "source" must be ${SOURCE_ID_RULE}; got ${JSON.stringify(source)}`);
  }
  logger.appendKeys({ source });
  metrics.addDimension('source', source);
  const limits = runTimeLimits(Date.now(), context.getRemainingTimeInMillis());
  const api = apiClients.get(config, secretOf.get(context), { onEvent: logClientEvent });
  const summary = await run(buildRunDependencies({ config, clients, api, source, owner: context.awsRequestId, logger, ...limits }));
  reportMetrics(summary, metrics);
  if (summary.status === 'failed') {
    // Failing the invocation makes the function's Errors metric (and its alarm) see it.
    throw new Error(`Run for source "${source}" failed: ${summary.error}`);
  }
  return summary;
}

/** Retries are worth a warning (a tenant near its rate limit shows here first); the rest is debug detail. */
function logClientEvent(event: ClientEvent): void {
  if (event.type === 'retry') logger.warn('Symantec API call failed; retrying', { retry: event });
  else logger.debug('Symantec API', { api: event });
}

function readConfig(): { config: Config } | { error: ConfigError } {
  try {
    return { config: loadConfig(process.env) };
  } catch (error) {
    if (error instanceof ConfigError) return { error };
    throw error;
  }
}

function requireConfig(): Config {
  if ('error' in loaded) throw loaded.error;
  return loaded.config;
}

export const handler = middy(ingest)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use({
    // A bad configuration fails every invocation with one clear message, before any secret is fetched.
    before: () => {
      requireConfig();
    },
  })
  .use(
    secretsManager({
      fetchData: { symantecCredentials: 'config' in loaded ? loaded.config.secretId : '' },
      setToContext: false,
      cacheExpiry: SECRET_CACHE_MS,
      // One cache entry per secret: a container never serves one secret's value for another.
      cacheKey: `symantec-secret:${'config' in loaded ? loaded.config.secretId : ''}`,
      disablePrefetch: !('config' in loaded),
    }),
  )
  .use({
    // The secret middy fetched (kept in its request-internal store, not on the context) for `ingest`.
    before: async (request) => {
      const { symantecCredentials } = await getInternal(['symantecCredentials'], request);
      secretOf.set(request.context, symantecCredentials);
    },
  });
