/**
 * A canary client secret, run through the real Lambda handler (Powertools logs and EMF metrics on
 * standard output, middy reading the secret from the Secrets Manager emulator) while the API and Firehose
 * misbehave. The canary, its Basic form and the secret's JSON must appear in no log line, metric, thrown
 * error, returned summary, delivered document or stored item. The fault simulation checks the same over
 * thousands of runs (test/simulation).
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../local/random.js';
import { type IngestHarness, startIngestHarness } from '../support/ingest-harness.js';

const CLIENT_ID = 'canary-client';
const CANARY = `canary-${createRandom(17).hex(40)}`;
const FORBIDDEN = [CANARY, Buffer.from(`${CLIENT_ID}:${CANARY}`).toString('base64'), CANARY.slice(8, 32)];

let harness: IngestHarness;
const said: string[] = [];
beforeAll(async () => {
  harness = await startIngestHarness(
    { PAGE_SIZE: '5', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    { credentials: { clientId: CLIENT_ID, clientSecret: CANARY }, simulator: { behaviour: { retryAfter: false } } },
  );
  harness.local.simulator.store.createIncidentsBetween(23, Date.now() - 3 * 3_600_000, Date.now() - 5 * 60_000);
});
afterAll(async () => {
  await harness.close();
});

async function invoke(): Promise<void> {
  try {
    said.push(JSON.stringify(await harness.invoke()));
  } catch (error) {
    said.push(`${String(error)}\n${(error as Error).stack ?? ''}\n${JSON.stringify(error)}`);
  }
}

describe('the canary secret', () => {
  it('appears nowhere after runs through token, API and Firehose faults', async () => {
    // act: each invocation meets another fault; the last ones run clean and deliver the rest
    const { simulator, firehose } = harness.local;
    simulator.inject({ kind: '401', target: 'token' });
    await invoke();
    simulator.inject({ kind: '401' });
    simulator.inject({ kind: 'truncated' });
    simulator.inject({ kind: 'malformed' });
    await invoke();
    simulator.inject({ kind: 'redirect', location: 'https://api.sep.eu.securitycloud.symantec.com/v1/incidents' });
    await invoke();
    simulator.inject({ kind: 'redirect', target: 'token', status: 307 });
    await invoke();
    firehose.inject({ kind: 'partial', records: 3 });
    simulator.inject({ kind: '500' });
    await invoke();
    await invoke();
    await invoke();

    // assess
    const dynamodb = new DynamoDBClient({});
    const items = await dynamodb.send(new ScanCommand({ TableName: harness.local.env.CHECKPOINT_TABLE }));
    dynamodb.destroy();
    const everything = [
      ...harness.output,
      ...said,
      ...harness.delivered().map((d) => JSON.stringify(d.document)),
      JSON.stringify(items.Items ?? []),
    ].join('\n');
    expect(harness.output.some((line) => line.includes('"level":"DEBUG"'))).toBe(true);
    expect(harness.output.some((line) => line.includes('"_aws"'))).toBe(true);
    expect(said.some((text) => text.includes('Redirects are not followed'))).toBe(true);
    expect(harness.delivered()).toHaveLength(23);
    for (const secret of FORBIDDEN) expect(everything).not.toContain(secret);
  });
});
