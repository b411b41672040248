import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCheckpointStore } from '../../../functions/aws/checkpoint-store.js';
import { type LocalEnvironment, startLocalEnvironment } from '../../../local/environment.js';
import { runCli as cli } from '../../support/cli-run.js';
import { pointProcessEnvAt } from '../../support/local-process-env.js';

const HOUR = 3_600_000;
let local: LocalEnvironment;
let restoreEnv: () => void;

// Three sources, each left in one state by real runs: one ran, one failed, one's lease is held by a run
// that has not ended.
beforeAll(async () => {
  local = await startLocalEnvironment({ seed: 23, secretName: 'symantec-edr/status' });
  restoreEnv = pointProcessEnvAt(local);
  local.simulator.store.createIncidentsBetween(12, Date.now() - 3 * HOUR, Date.now() - 10 * 60_000);
  expect((await cli(['run', '--source', 'ran'])).status).toBe(0);
  expect((await cli(['run', '--source', 'held'])).status).toBe(0);
  expect(
    (
      await cli(['run', '--source', 'broken'], {
        SYMANTEC_API_URL: 'http://127.0.0.1:9',
        SYMANTEC_TOKEN_URL: 'http://127.0.0.1:9/oauth2/tokens',
      })
    ).status,
  ).toBe(1);
  const client = new DynamoDBClient({});
  await new DynamoCheckpointStore(client, local.env.CHECKPOINT_TABLE).acquire('held', 'run-still-going', Date.now(), 10 * 60_000);
  client.destroy();
}, 120_000);
afterAll(async () => {
  restoreEnv();
  await local.close();
});

describe('symantec-edr status', () => {
  it('tells each source from the checkpoint table alone: healthy, failed with its error, lease held', async () => {
    const result = await cli(['status', '--json'], { CHECKPOINT_TABLE: local.env.CHECKPOINT_TABLE });

    expect(result.status).toBe(1);
    const sources = JSON.parse(result.stdout) as { source: string; [key: string]: unknown }[];
    expect(sources.map((s) => s.source)).toEqual(['broken', 'held', 'ran']);
    const [broken, held, ran] = sources;
    expect(ran).toMatchObject({ state: 'Healthy', lastRun: { status: 'completed' }, sweptAt: expect.any(String) });
    expect(ran?.lastSucceededAt).toBe((ran?.lastRun as { at: string } | undefined)?.at);
    expect(ran?.lagSeconds).toBeLessThan(3_600);
    expect(ran?.lease).toBeUndefined();
    expect(broken).toMatchObject({ state: 'Error', lastRun: { status: 'failed', error: expect.stringMatching(/127\.0\.0\.1:9/) } });
    expect(broken?.lastSucceededAt).toBeUndefined();
    expect(held).toMatchObject({ state: 'Healthy', lease: { owner: 'run-still-going', held: true } });
  });

  it("prints a table with a row per source and the failed run's error under its row", async () => {
    const result = await cli(['status'], { CHECKPOINT_TABLE: local.env.CHECKPOINT_TABLE });

    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^SOURCE +STATUS +LAST SUCCESS +LAST RUN +CURSOR +LAG +LEASE +SWEPT AT +SWEEP$/);
    expect(lines[1]).toMatch(/^broken +Error +- +failed \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+s ago\) +- +- +free /);
    expect(lines[2]).toMatch(/^ {2}error: .*127\.0\.0\.1:9/);
    expect(lines[3]).toMatch(/^held +Healthy .* held by run-still-going until /);
    expect(lines[4]).toMatch(/^ran +Healthy +\S+Z \(\d+s ago\) +completed /);
  });

  it('reads one source by its key with --source, and needs no variable but CHECKPOINT_TABLE', async () => {
    const env = { CHECKPOINT_TABLE: local.env.CHECKPOINT_TABLE, SYMANTEC_SECRET_ID: '', DELIVERY_STREAM: '', SOURCE_ID: '' };

    const one = await cli(['status', '--json', '--source', 'ran'], env);
    const unknown = await cli(['status', '--json', '--source', 'nobody'], env);

    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual([expect.objectContaining({ source: 'ran', state: 'Healthy' })]);
    expect(JSON.parse(unknown.stdout)).toEqual([{ source: 'nobody', state: 'Never run' }]);
  });

  it('follows runs whose summaries name the package version that ran (read from package.json unbundled)', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

    const summary = JSON.parse((await cli(['run', '--source', 'ran'])).stdout) as { version?: string };

    expect(summary.version).toBe(version);
  });

  it('says which variable is missing without CHECKPOINT_TABLE', async () => {
    const result = await cli(['status'], { CHECKPOINT_TABLE: '' });

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/set CHECKPOINT_TABLE/);
  });
});
