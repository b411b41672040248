import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCheckpointStore } from '../../../functions/aws/checkpoint-store.js';
import { checkpointKey } from '../../../functions/aws/table-keys.js';
import { keepLeaseAlive } from '../../../functions/cli/lease-keeper.js';
import { systemClock } from '../../../functions/clock.js';
import { type LocalEnvironment, startLocalEnvironment } from '../../../local/environment.js';
import { runCli as cli } from '../../support/cli-run.js';
import { pointProcessEnvAt } from '../../support/local-process-env.js';
import { deliveriesByVersion } from '../../support/version-reach.js';

/** The lease a CLI run or replay holds: capped, renewed, released on a signal, shared by run and replay. */

const HOUR = 3_600_000;
const MINUTE = 60_000;
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
let local: LocalEnvironment;
let restoreEnv: () => void;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  local = await startLocalEnvironment({ seed: 31, secretName: 'symantec-edr/lease' });
  restoreEnv = pointProcessEnvAt(local);
  dynamodb = new DynamoDBClient({});
  local.simulator.store.createIncidentsBetween(30, Date.now() - 5 * HOUR, Date.now() - 10 * MINUTE);
});
afterAll(async () => {
  dynamodb.destroy();
  restoreEnv();
  await local.close();
});

async function leaseOf(source: string): Promise<{ owner: string; expiresAtMs: number } | undefined> {
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: local.env.CHECKPOINT_TABLE, Key: { pk: { S: checkpointKey(source) } }, ConsistentRead: true }),
  );
  const lease = Item?.lease?.M;
  return lease ? { owner: lease.owner?.S ?? '', expiresAtMs: Number(lease.expiresAt?.N) } : undefined;
}

async function waitForLease(source: string): Promise<{ owner: string; expiresAtMs: number }> {
  for (let tries = 0; tries < 400; tries++) {
    const lease = await leaseOf(source);
    if (lease) return lease;
    await systemClock.sleep(25);
  }
  throw new Error(`no lease appeared on source ${source}`);
}

/** Documents delivered since `before` records, parsed, with each version's key. */
function deliveredSince(before: number): { uid: string; modified: string }[] {
  return local.firehose
    .records(local.env.DELIVERY_STREAM)
    .slice(before)
    .map((data) => JSON.parse(data.toString('utf8')) as Record<string, any>)
    .map((document) => ({ uid: document.event?.id as string, modified: document.symantec_edr_cloud?.incident?.modified as string }));
}

const slowPages = { PAGE_SIZE: '5' };

describe('the lease of a CLI run', () => {
  it('lasts at most about 15 minutes, whatever --max-duration says', async () => {
    local.simulator.setBehaviour({ latencyMs: 300 });

    const running = cli(['run', '--source', 'capped-tenant', '--max-duration', '30d'], slowPages);
    const lease = await waitForLease('capped-tenant');
    const takenMs = Date.now();
    const result = await running;
    local.simulator.setBehaviour({ latencyMs: 0 });

    expect(result.status).toBe(0);
    expect(lease.expiresAtMs).toBeLessThanOrEqual(takenMs + 16 * MINUTE);
    expect(lease.expiresAtMs).toBeGreaterThan(takenMs + 14 * MINUTE);
    expect(await leaseOf('capped-tenant')).toBeUndefined();
  });

  it('is renewed while its owner lives, and only while it holds it', async () => {
    const store = new DynamoCheckpointStore(dynamodb, local.env.CHECKPOINT_TABLE);
    const lease = (await store.acquire('renewed-tenant', 'keeper-test', Date.now(), 1_000))!;
    const logged: string[] = [];

    const keeper = keepLeaseAlive(store, {
      source: 'renewed-tenant',
      owner: 'keeper-test',
      leaseMs: 1_000,
      everyMs: 200,
      clock: systemClock,
      logger: { warn: (m) => logged.push(m) },
    });
    await systemClock.sleep(1_500);
    const renewed = await leaseOf('renewed-tenant');
    await store.release(lease);
    await systemClock.sleep(400);
    await keeper.stop();

    expect(renewed?.expiresAtMs).toBeGreaterThan(lease.expiresAtMs + 300);
    expect(await leaseOf('renewed-tenant')).toBeUndefined();
    expect(logged).toContain('could not renew the lease: this process no longer holds it');
  });

  it('is released when `symantec-edr run` gets SIGINT, which exits 130 after storing its progress', async () => {
    // prepare: a run of slow pages in a child process, as from a shell
    local.simulator.setBehaviour({ latencyMs: 700 });
    const child = spawn(process.execPath, ['bin/symantec-edr.mjs', 'run', '--source', 'sigint-tenant', '--max-duration', '30d'], {
      cwd: projectRoot,
      env: { ...process.env, ...slowPages },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;

    // act
    const held = await waitForLease('sigint-tenant');
    child.kill('SIGINT');
    const [code, signal] = await exited;
    local.simulator.setBehaviour({ latencyMs: 0 });

    // assess
    expect(held.owner).toMatch(/^cli-run-/);
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    expect(await leaseOf('sigint-tenant')).toBeUndefined();
    expect(output.stderr).toContain('SIGINT: stopping after the page in flight');
    expect(JSON.parse(output.stdout)).toMatchObject({ source: 'sigint-tenant', status: 'stopped-for-time' });
  }, 30_000);

  it('is not taken when the local clock is more than 30 s off DynamoDB’s', async () => {
    const secretReads = local.proxies.secrets.calls('GetSecretValue');
    const ahead = { now: () => Date.now() + 90_000, sleep: systemClock.sleep };

    const result = await cli(['run', '--source', 'skewed-tenant'], {}, { clock: ahead });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^symantec-edr run: this machine's clock is (89|90|91) s ahead of the DynamoDB service's \(at most 30 s allowed\)/,
    );
    expect(await leaseOf('skewed-tenant')).toBeUndefined();
    expect(local.proxies.secrets.calls('GetSecretValue')).toBe(secretReads);
  });
});

describe('replay and the lease', () => {
  it('delivers each version once when run and replay go over the same range at once', async () => {
    const before = local.firehose.records(local.env.DELIVERY_STREAM).length;
    local.simulator.setBehaviour({ latencyMs: 200 });
    const from = new Date(Date.now() - 6 * HOUR).toISOString();
    const to = new Date(Date.now() - MINUTE).toISOString();

    const [run, replay] = await Promise.all([
      cli(['run', '--source', 'race-tenant'], slowPages),
      cli(['replay', '--source', 'race-tenant', '--from', from, '--to', to], slowPages),
    ]);
    local.simulator.setBehaviour({ latencyMs: 0 });

    const counts = deliveriesByVersion(deliveredSince(before));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(30);
    expect([0, 4]).toContain(replay.status);
    expect(run.status).toBe(0);
  });

  it('exits 4 without reading the secret while another process holds the lease, and leaves the checkpoint alone', async () => {
    const store = new DynamoCheckpointStore(dynamodb, local.env.CHECKPOINT_TABLE);
    const other = (await store.acquire('held-tenant', 'scheduled-run', Date.now(), 5 * MINUTE))!;
    const secretReads = local.proxies.secrets.calls('GetSecretValue');

    const result = await cli([
      'replay',
      '--source',
      'held-tenant',
      '--from',
      new Date(Date.now() - HOUR).toISOString(),
      '--to',
      new Date().toISOString(),
    ]);
    const lease = await leaseOf('held-tenant');
    await store.release(other);

    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/another run or replay \(scheduled-run\) holds the lease on source "held-tenant" until /);
    expect(lease?.owner).toBe('scheduled-run');
    expect(local.proxies.secrets.calls('GetSecretValue')).toBe(secretReads);
  });
});
