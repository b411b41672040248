/**
 * Fuzz: arbitrary configuration values and secret contents. Configuration is either accepted, valid and
 * frozen, or refused with one ConfigError naming each bad variable; an accepted one drives a run that
 * succeeds or fails with one clear error. A secret is either read or refused with a message that quotes
 * none of its values.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../functions/config.js';
import { ConfigError } from '../../functions/errors.js';
import { run } from '../../functions/ingest/run.js';
import { buildRunDependencies, runTimeLimits, SymantecClientCache } from '../../functions/ingest/wiring.js';
import { parseCredentials } from '../../functions/symantec/credentials.js';
import { createSymantecClient } from '../../functions/symantec/incidents-client.js';
import { startLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import { createRandom } from '../../local/random.js';
import { createSimAwsClients } from '../simulation/sim-aws-clients.js';
import { createSimClock } from '../simulation/sim-clock.js';
import { SimLog } from '../simulation/sim-logger.js';

const DAY = 86_400_000;
const clock = createSimClock(Date.UTC(2025, 3, 1));
const CLIENT_SECRET = `canary-${createRandom(99).hex(32)}`;
let local: LocalEnvironment;
beforeAll(async () => {
  local = await startLocalEnvironment({ clock, seed: 13, credentials: { clientId: 'fuzz-config', clientSecret: CLIENT_SECRET } });
  local.simulator.store.createIncidentsBetween(40, clock.now() - 2 * DAY, clock.now() - 60_000);
});
afterAll(async () => {
  await local.close();
});

const junkText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', '-1', '0', '1e3', '0x10', 'NaN', 'true', '12abc', '\u0000'),
);

/**
 * Every variable the function reads, each absent or drawn from values of its kind (valid ones and the
 * edges around them) or, `junk` times in ten, from any text.
 */
function environment(junk: number): fc.Arbitrary<Record<string, string>> {
  const kind = (values: readonly string[]) =>
    fc.oneof({ weight: 10 - junk, arbitrary: fc.constantFrom(...values) }, { weight: junk, arbitrary: junkText });
  const duration = kind(['0s', '1s', '59s', '1m', '90s', '15m', '1h', '6h', '24h', '7d', '30d', '31d', '999999999d', '500ms']);
  // The settle delay and the request timeout have shorter ceilings (a day, 15 minutes): their own edges.
  const settle = kind(['0s', '1s', '59s', '90s', '1h', '24h', '25h']);
  const timeout = kind(['500ms', '999ms', '1s', '90s', '15m', '16m']);
  const count = kind(['0', '1', '2', '5', '25', '2000', '2001', '10000', '1000000']);
  const flag = kind(['true', 'false', 'yes', 'no', '1', '0', 'TRUE']);
  const url = kind([
    'https://api.sep.eu.securitycloud.symantec.com',
    'http://127.0.0.1:1',
    'http://localhost:2',
    'http://[::1]:3',
    'http://example.com',
    'http://10.0.0.1',
    'http://127.0.0.1.example.com',
    'ftp://127.0.0.1',
    'https://user:pass@example.com',
    'not a url',
  ]);
  return fc.record(
    {
      SYMANTEC_API_URL: url,
      SYMANTEC_TOKEN_URL: url,
      SYMANTEC_SECRET_ID: kind(['symantec-edr/test']),
      CHECKPOINT_TABLE: kind(['table']),
      DELIVERY_STREAM: kind(['stream']),
      SOURCE_ID: kind(['default', 'tenant-1', 'a'.repeat(64), 'a'.repeat(65), 'bad source!']),
      INITIAL_LOOKBACK: duration,
      SETTLE_DELAY: settle,
      MAX_WINDOW: duration,
      PAGE_SIZE: count,
      MAX_PAGES_PER_WINDOW: count,
      PAGE_OVERLAP: count,
      WINDOW_SPLIT_THRESHOLD: count,
      UPDATE_SWEEP_INTERVAL: duration,
      UPDATE_SWEEP_HORIZON: duration,
      INCLUDE_EVENTS: flag,
      QUERY: kind(['state_id: [0 TO 3]', 'no such: field', 'severity_id: 4 AND priority_id: 3']),
      OUTPUT_FORMAT: kind(['ecs', 'ses', 'ocsf', 'raw', 'RAW', 'OCSF', 'xml']),
      PRESERVE_ORIGINAL_EVENT: flag,
      PRESERVE_DUPLICATE_CUSTOM_FIELDS: flag,
      TAGS: kind(['a,b', ' , ', 'forwarded']),
      DATA_STREAM_NAMESPACE: kind(['default', 'prod_eu', 'Bad-Namespace', 'a'.repeat(101)]),
      DEDUPE: flag,
      REQUEST_TIMEOUT: timeout,
    },
    { requiredKeys: [] },
  );
}

function tryLoad(env: Record<string, string | undefined>): Config | ConfigError {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

describe('configuration from arbitrary values', () => {
  it('is accepted and consistent, or refused with one error naming every bad variable', () => {
    fc.assert(
      fc.property(environment(3), (env) => {
        // act
        const loaded = tryLoad(env);
        // assess
        if (loaded instanceof ConfigError) {
          expect(loaded.problems.length).toBeGreaterThan(0);
          for (const problem of loaded.problems) expect(problem).toMatch(/^[A-Z_]+(=| is required| must)/);
          expect(loaded.message).toBe(`Invalid configuration: ${loaded.problems.join('; ')}`);
          return;
        }
        expect(Object.isFrozen(loaded)).toBe(true);
        expect(loaded.pageSize).toBeGreaterThanOrEqual(1);
        expect(loaded.pageSize).toBeLessThanOrEqual(2000);
        expect(loaded.pageOverlap * 2).toBeLessThanOrEqual(loaded.pageSize);
        for (const endpoint of [loaded.apiUrl, loaded.tokenUrl])
          expect(endpoint).toMatch(/^(https:\/\/|http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/])/);
      }),
      { numRuns: 1_000 },
    );
  });

  it('drives a run that succeeds or fails with one clear error, whatever values were accepted', { timeout: 120_000 }, async () => {
    const clients = createSimAwsClients(local.env, clock, createRandom(5));
    // The function's client, on the simulated clock the run and the simulator share.
    const api = createSymantecClient({
      apiUrl: local.env.SYMANTEC_API_URL,
      credentials: parseCredentials(JSON.stringify({ client_id: 'fuzz-config', client_secret: CLIENT_SECRET })),
      clock,
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(environment(0), async (fuzzed) => {
        // prepare: the fuzzed values over a working environment, on a source of its own
        const loaded = tryLoad({
          ...local.env,
          ...fuzzed,
          SYMANTEC_API_URL: local.env.SYMANTEC_API_URL,
          SYMANTEC_TOKEN_URL: undefined,
          SOURCE_ID: `config-${++runs}`,
        });
        fc.pre(!(loaded instanceof ConfigError));
        const config = loaded as Config;
        // Thousands of one-minute windows prove nothing more than ten and take real time.
        fc.pre(Math.min(config.initialLookbackMs, 30 * DAY) / config.maxWindowMs <= 50);
        const log = new SimLog([CLIENT_SECRET]);
        // act
        const summary = await run(
          buildRunDependencies({
            config: { ...config, checkpointTable: local.env.CHECKPOINT_TABLE, deliveryStream: local.env.DELIVERY_STREAM },
            clients,
            api,
            source: config.sourceId,
            owner: `owner-${runs}`,
            logger: log.logger(() => false),
            clock,
            ...runTimeLimits(clock.now(), 300_000),
          }),
        );
        // assess
        expect(['completed', 'idle', 'stopped-for-time', 'failed']).toContain(summary.status);
        if (summary.status === 'failed') expect(summary.error).toMatch(/^(ApiError|DeliveryError|RangeError): [^\n]+$/);
        log.scan(JSON.stringify(summary), 'summary');
        expect(log.leaks).toEqual([]);
      }),
      // About 1.4% of the drawn environments are accepted (every variable's edges are drawn): room to skip.
      { numRuns: 60, maxSkipsPerRun: 500 },
    );
    clients.dynamodb.destroy();
    clients.firehose.destroy();
  });
});

describe('secrets with arbitrary contents', () => {
  const value = fc.string({ minLength: 1, maxLength: 20 }).map((text) => `canary-${text}`);
  const field = fc.oneof(value, fc.integer(), fc.constant(null), fc.array(value, { maxLength: 2 }), fc.constant(''));
  const secretText = fc.oneof(
    fc.record({ client_id: field, client_secret: field, oauth_credentials: field }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc.dictionary(value, field, { maxKeys: 3 }).map((o) => JSON.stringify(o)),
    value,
    fc.jsonValue().map((j) => JSON.stringify(j) ?? ''),
  );

  it('is read, or refused with a ConfigError that quotes none of its values', () => {
    fc.assert(
      fc.property(secretText, (text) => {
        // act
        let error: unknown;
        try {
          parseCredentials(text);
        } catch (thrown) {
          error = thrown;
        }
        // assess
        if (error === undefined) return;
        expect(error).toBeInstanceOf(ConfigError);
        const message = (error as Error).message;
        for (const secret of text.match(/canary-[^"\\]*/g) ?? []) expect(message).not.toContain(secret);
      }),
      { numRuns: 1_000 },
    );
  });

  it('never shows up in what a refused token request reports', { timeout: 60_000 }, async () => {
    const config = loadConfig({ ...local.env, REQUEST_TIMEOUT: '2s' });
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 6, maxLength: 30 }), fc.boolean(), async (text, oauthForm) => {
        // prepare: credentials the simulator does not know, in either form the secret may hold
        const secret = `canary-${text}`;
        const value = oauthForm
          ? JSON.stringify({ oauth_credentials: Buffer.from(`someone:${secret}`).toString('base64') })
          : JSON.stringify({ client_id: 'someone', client_secret: secret });
        // act
        const error = await new SymantecClientCache()
          .get(config, value)
          // The cache builds the client as the handler does, on the system clock.
          .checkToken({ deadline: Date.now() + 60_000 })
          .then(
            () => undefined,
            (thrown: unknown) => thrown,
          );
        // assess
        expect((error as Error).message).toMatch(/answered 401/);
        const said = `${(error as Error).message}\n${(error as Error).stack ?? ''}\n${JSON.stringify(error)}`;
        expect(said).not.toContain(secret);
        expect(said).not.toContain(Buffer.from(`someone:${secret}`).toString('base64'));
      }),
      { numRuns: 30 },
    );
  });
});
