import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/config.js';
import { createSecurityLakeSink } from '../../../functions/aws/security-lake-wiring.js';
import { SymantecClientCache, buildRunDependencies, createAwsClients, useSecurityLakeSink } from '../../../functions/ingest/wiring.js';
import { run } from '../../../functions/ingest/run.js';
import { toOcsfDocument } from '../../../functions/ocsf/map-incident.js';
import { startLocalEnvironment, type LocalEnvironment } from '../../../local/environment.js';
import { pointProcessEnvAt } from '../../support/local-process-env.js';
import { plainRow } from '../../support/parquet-rows.js';

// As functions/security-lake-handler.ts does for the deployed function.
useSecurityLakeSink(createSecurityLakeSink);

const HOUR = 3_600_000;
const credentials = { clientId: 'lake-client', clientSecret: 'lake-secret-value' };
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, appendKeys: () => undefined };
const KEY_LAYOUT = /^ext\/symantec-edr-cloud\/region=us-east-1\/accountId=000000000000\/eventDay=(\d{8})\/[0-9a-f]{32}\.parquet$/;

let local: LocalEnvironment | undefined;
let restoreEnv: (() => void) | undefined;
afterEach(async () => {
  restoreEnv?.();
  await local?.close();
  local = restoreEnv = undefined;
});

async function startLake(): Promise<LocalEnvironment> {
  local = await startLocalEnvironment({ credentials, securityLake: {} });
  restoreEnv = pointProcessEnvAt(local);
  return local;
}

/** One run of the real `run` with the function's wiring, as the handler makes it. */
async function runOnce(settings: Record<string, string> = {}) {
  const config = loadConfig({ ...process.env, INITIAL_LOOKBACK: '30h', SETTLE_DELAY: '1s', PAGE_SIZE: '50', ...settings });
  const api = new SymantecClientCache().get(
    config,
    JSON.stringify({ client_id: credentials.clientId, client_secret: credentials.clientSecret }),
  );
  const nowMs = Date.now();
  return run(
    buildRunDependencies({
      config,
      clients: createAwsClients(),
      api,
      source: 'default',
      owner: 'lake-test',
      logger: quiet,
      deadlineMs: nowMs + 120_000,
      leaseMs: 180_000,
    }),
  );
}

/** Every object of the lake bucket, listed and read back with the SDK, its rows as JSON would carry them. */
async function readLake(env: LocalEnvironment): Promise<{ key: string; rows: Record<string, unknown>[] }[]> {
  const lake = env.securityLake!;
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: lake.bucket, Prefix: 'ext/' }));
    return await Promise.all(
      (listed.Contents ?? []).map(async ({ Key }) => {
        const body = await (await s3.send(new GetObjectCommand({ Bucket: lake.bucket, Key }))).Body!.transformToByteArray();
        const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
        return { key: Key as string, rows: (await parquetReadObjects({ file })).map(plainRow) as Record<string, unknown>[] };
      }),
    );
  } finally {
    s3.destroy();
  }
}

const versionOf = (finding: Record<string, unknown>) => {
  const [info] = finding.finding_info_list as { uid: string; modified_time?: number }[];
  return `${info?.uid}@${info?.modified_time}`;
};

describe('delivery to Security Lake', () => {
  it("writes each incident version once, as the mapper finds it, in Parquet under the custom source's event-day partitions", async () => {
    const env = await startLake();
    const nowMs = Date.now();
    env.simulator.store.createIncidentsBetween(120, nowMs - 29 * HOUR, nowMs - 2 * 60_000);
    const expected = new Map<string, unknown>();
    const snapshot = () => {
      // The API leaves the events out unless asked (INCLUDE_EVENTS is off).
      for (const { events: _events, ...incident } of env.simulator.store.all()) {
        const finding = JSON.parse(JSON.stringify(toOcsfDocument(incident, { preserveOriginalEvent: false })));
        expected.set(versionOf(finding), finding);
      }
    };
    snapshot();
    const first = await runOnce();
    // Analysts update some incidents (the update sweep finds them) and new ones arrive.
    env.simulator.store.updateIncidents(15, Date.now() - 1_500);
    env.simulator.store.createIncidents(5, Date.now() - 1_500);
    snapshot();
    await new Promise((done) => setTimeout(done, 1_100));

    const second = await runOnce({ UPDATE_SWEEP_INTERVAL: '1s' });
    const objects = await readLake(env);

    expect(first).toMatchObject({ status: 'completed', failed: 0, delivered: 120 });
    expect(second).toMatchObject({ failed: 0, delivered: 20 });
    const delivered = objects.flatMap((object) => object.rows.map(versionOf));
    expect(delivered).toHaveLength(140);
    expect(new Set(delivered).size).toBe(140);
    expect(new Set(objects.map((object) => object.key.match(KEY_LAYOUT)?.[1])).size).toBeGreaterThan(1);
    for (const { key, rows } of objects) {
      const day = key.match(KEY_LAYOUT)?.[1];
      expect(day, key).toBeDefined();
      for (const row of rows) {
        expect(new Date(row.time as number).toISOString().slice(0, 10).replaceAll('-', '')).toBe(day);
        expect(row).toEqual(expected.get(versionOf(row)));
      }
      expect(rows.map((row) => row.time)).toEqual(rows.map((row) => row.time as number).sort((a, b) => a - b));
    }
  });

  it('delivers nothing and keeps the checkpoint when the provider role refuses the external ID, then everything with the right one', async () => {
    const env = await startLake();
    env.simulator.store.createIncidentsBetween(30, Date.now() - 3 * HOUR, Date.now() - 2 * 60_000);

    const refused = await runOnce({ SECURITY_LAKE_EXTERNAL_ID: 'not-the-external-id' });
    const afterRefusal = env.securityLake!.s3.objects(env.securityLake!.bucket).length;
    const accepted = await runOnce();
    const objects = await readLake(env);

    expect(refused).toMatchObject({ status: 'failed', delivered: 0 });
    expect(env.securityLake!.sts.stats.refused).toBeGreaterThan(0);
    expect(afterRefusal).toBe(0);
    expect(accepted).toMatchObject({ status: 'completed', failed: 0, delivered: 30 });
    expect(objects.flatMap((object) => object.rows)).toHaveLength(30);
  });
});
