import { FirehoseClient, PutRecordBatchCommand, ServiceUnavailableException } from '@aws-sdk/client-firehose';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../local/fault-proxy.js';
import { startFirehoseEmulator, type FirehoseEmulator } from '../../../local/firehose-emulator.js';
import { startSecretsEmulator, type SecretsEmulator } from '../../../local/secrets-emulator.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function firehoseBehindProxy(seed = 1): Promise<{ firehose: FirehoseEmulator; proxy: FaultProxy; sdk: FirehoseClient }> {
  const firehose = await startFirehoseEmulator({ streams: ['s'] });
  const proxy = await startFaultProxy({ target: firehose.url, seed });
  const sdk = new FirehoseClient({ endpoint: proxy.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  closers.push(
    () => firehose.close(),
    () => proxy.close(),
    () => sdk.destroy(),
  );
  return { firehose, proxy, sdk };
}

async function secretsBehindProxy(): Promise<{ secrets: SecretsEmulator; proxy: FaultProxy; sdk: SecretsManagerClient }> {
  const secrets = await startSecretsEmulator({ secrets: { a: 'one' } });
  const proxy = await startFaultProxy({ target: secrets.url });
  const sdk = new SecretsManagerClient({ endpoint: proxy.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  closers.push(
    () => secrets.close(),
    () => proxy.close(),
    () => sdk.destroy(),
  );
  return { secrets, proxy, sdk };
}

const put = { DeliveryStreamName: 's', Records: [{ Data: Buffer.from('{}\n') }] };

describe('startFaultProxy', () => {
  it('forwards calls unchanged and counts them by target', async () => {
    const { firehose, proxy, sdk } = await firehoseBehindProxy();
    await sdk.send(new PutRecordBatchCommand(put));
    await sdk.send(new PutRecordBatchCommand(put));
    expect(proxy.stats.byTarget).toEqual({ 'Firehose_20150804.PutRecordBatch': 2 });
    expect(proxy.stats.total).toBe(2);
    expect(firehose.records('s')).toHaveLength(2);
  });

  it("throttles Firehose with the service's 503 ServiceUnavailableException", async () => {
    const { firehose, proxy, sdk } = await firehoseBehindProxy();
    proxy.inject({ kind: 'throttle' });
    await expect(sdk.send(new PutRecordBatchCommand(put))).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(firehose.stats.calls).toEqual({});
  });

  it('throttles calls at the set rate, seeded', async () => {
    const { proxy, sdk } = await firehoseBehindProxy(4);
    proxy.setBehaviour({ throttleRate: 0.5 });
    let failed = 0;
    for (let i = 0; i < 30; i++)
      failed += await sdk.send(new PutRecordBatchCommand(put)).then(
        () => 0,
        () => 1,
      );
    expect(failed).toBe(proxy.stats.faults.throttle);
    expect(failed).toBeGreaterThan(3);
    expect(failed).toBeLessThan(27);
  });

  it('throttles Secrets Manager with ThrottlingException', async () => {
    const { proxy, sdk } = await secretsBehindProxy();
    proxy.inject({ kind: 'throttle' });
    await expect(sdk.send(new GetSecretValueCommand({ SecretId: 'a' }))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('drops the connection on reset and serves the next call', async () => {
    const { proxy, sdk } = await secretsBehindProxy();
    proxy.inject({ kind: 'reset' });
    await expect(sdk.send(new GetSecretValueCommand({ SecretId: 'a' }))).rejects.toThrow();
    expect((await sdk.send(new GetSecretValueCommand({ SecretId: 'a' }))).SecretString).toBe('one');
  });

  it('holds calls back by the set latency, long enough for a client deadline to pass', async () => {
    const { proxy, sdk } = await secretsBehindProxy();
    proxy.setBehaviour({ latencyMs: 3_000 });
    const send = sdk.send(new GetSecretValueCommand({ SecretId: 'a' }), { abortSignal: AbortSignal.timeout(100) });
    await expect(send).rejects.toThrow(/abort/i);
  });

  it('answers 502 when the emulator behind is gone', async () => {
    const { secrets, proxy } = await secretsBehindProxy();
    await secrets.close();
    const res = await fetch(proxy.url, { method: 'POST', headers: { 'X-Amz-Target': 'secretsmanager.GetSecretValue' }, body: '{}' });
    expect(res.status).toBe(502);
  });
});
