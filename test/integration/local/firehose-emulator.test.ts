import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  ResourceNotFoundException,
  ServiceUnavailableException,
  InvalidArgumentException,
} from '@aws-sdk/client-firehose';
import { afterEach, describe, expect, it } from 'vitest';
import { startFirehoseEmulator, type FirehoseEmulator, type FirehoseEmulatorOptions } from '../../../local/firehose-emulator.js';
import { createManualClock } from '../../../local/manual-clock.js';

const stream = 'symantec-edr-incidents';
let emulator: FirehoseEmulator | undefined;
let client: FirehoseClient | undefined;
let outputDir: string | undefined;

afterEach(async () => {
  client?.destroy();
  await emulator?.close();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
  emulator = undefined;
  client = undefined;
  outputDir = undefined;
});

async function start(options: FirehoseEmulatorOptions = {}, maxAttempts = 3): Promise<{ firehose: FirehoseEmulator; sdk: FirehoseClient }> {
  emulator = await startFirehoseEmulator(options);
  client = new FirehoseClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts,
  });
  return { firehose: emulator, sdk: client };
}

const doc = (n: number) => new TextEncoder().encode(`${JSON.stringify({ n })}\n`);
const batch = (count: number, from = 0) => ({
  DeliveryStreamName: stream,
  Records: Array.from({ length: count }, (_, i) => ({ Data: doc(from + i) })),
});

describe('Firehose emulator through the real SDK client', () => {
  it('accepts a batch and keeps the records in order, exactly as sent', async () => {
    const { firehose, sdk } = await start();
    const answer = await sdk.send(new PutRecordBatchCommand(batch(3)));
    expect(answer.FailedPutCount).toBe(0);
    expect(answer.Encrypted).toBe(false);
    expect(answer.RequestResponses?.every((entry) => typeof entry.RecordId === 'string')).toBe(true);
    expect(firehose.records(stream).map((record) => record.toString())).toEqual(['{"n":0}\n', '{"n":1}\n', '{"n":2}\n']);
    expect(firehose.stats.calls).toEqual({ PutRecordBatch: 1 });
  });

  it('fails the asked number of records inside a successful call', async () => {
    const { firehose, sdk } = await start();
    firehose.inject({ kind: 'partial', records: 2 });
    const answer = await sdk.send(new PutRecordBatchCommand(batch(5)));
    expect(answer.FailedPutCount).toBe(2);
    const failed = answer.RequestResponses?.filter((entry) => entry.ErrorCode !== undefined) ?? [];
    expect(failed.map((entry) => entry.ErrorCode)).toEqual(['ServiceUnavailableException', 'ServiceUnavailableException']);
    expect(firehose.records(stream)).toHaveLength(3);
    expect(firehose.stats).toMatchObject({ recordsAccepted: 3, recordsFailed: 2 });
  });

  it('fails records at the set rate, seeded', async () => {
    const { firehose, sdk } = await start({ seed: 5, behaviour: { recordFailureRate: 0.3 } });
    const answer = await sdk.send(new PutRecordBatchCommand(batch(100)));
    expect(answer.FailedPutCount).toBeGreaterThan(10);
    expect(answer.FailedPutCount).toBeLessThan(60);
    expect(firehose.records(stream)).toHaveLength(100 - (answer.FailedPutCount ?? 0));
  });

  it('refuses more than 500 records with a 400 client error', async () => {
    const { firehose, sdk } = await start();
    const error = await sdk.send(new PutRecordBatchCommand(batch(501))).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(firehose.records(stream)).toHaveLength(0);
  });

  it('refuses a record over 1,000 KiB and accepts one of exactly 1,000 KiB', async () => {
    const { sdk } = await start();
    const tooBig = { DeliveryStreamName: stream, Records: [{ Data: new Uint8Array(1_024_001) }] };
    await expect(sdk.send(new PutRecordBatchCommand(tooBig))).rejects.toMatchObject({ name: 'ValidationException' });
    const justFits = { DeliveryStreamName: stream, Records: [{ Data: new Uint8Array(1_024_000) }] };
    expect((await sdk.send(new PutRecordBatchCommand(justFits))).FailedPutCount).toBe(0);
  });

  it('refuses a call over 4 MiB with InvalidArgumentException', async () => {
    const { sdk } = await start();
    const records = Array.from({ length: 5 }, () => ({ Data: new Uint8Array(900 * 1024) }));
    const error = await sdk
      .send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: records }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentException);
  });

  it('answers ResourceNotFoundException for an unknown stream', async () => {
    const { sdk } = await start();
    const error = await sdk.send(new PutRecordBatchCommand({ ...batch(1), DeliveryStreamName: 'nope' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('throttles a whole call with a 503 that the SDK retries', async () => {
    const { firehose, sdk } = await start();
    firehose.inject({ kind: 'throttle' });
    const answer = await sdk.send(new PutRecordBatchCommand(batch(2)));
    expect(answer.FailedPutCount).toBe(0);
    expect(firehose.stats.calls.PutRecordBatch).toBe(2);
    expect(answer.$metadata.attempts).toBe(2);
  });

  it('fails every call during an outage on the clock, then recovers', async () => {
    // prepare
    const clock = createManualClock(1_000_000);
    const { firehose, sdk } = await start({ clock, behaviour: { outageUntilMs: 1_060_000 } }, 1);

    // act
    const during = await sdk.send(new PutRecordBatchCommand(batch(1))).catch((caught: unknown) => caught);
    clock.advance(60_000);
    const after = await sdk.send(new PutRecordBatchCommand(batch(1)));

    // assess
    expect(during).toBeInstanceOf(ServiceUnavailableException);
    expect((during as ServiceUnavailableException).$metadata.httpStatusCode).toBe(503);
    expect(after.FailedPutCount).toBe(0);
    expect(firehose.records(stream)).toHaveLength(1);
  });

  it('answers a 500 that the SDK retries', async () => {
    const { firehose, sdk } = await start();
    firehose.inject({ kind: 'internal' });
    await sdk.send(new PutRecordBatchCommand(batch(1)));
    expect(firehose.stats).toMatchObject({ callsFailed: 1, recordsAccepted: 1 });
  });

  it('drops the connection on reset without taking the records', async () => {
    const { firehose, sdk } = await start({}, 1);
    firehose.inject({ kind: 'reset' });
    await expect(sdk.send(new PutRecordBatchCommand(batch(1)))).rejects.toThrow();
    expect(firehose.records(stream)).toHaveLength(0);
    expect((await sdk.send(new PutRecordBatchCommand(batch(1)))).FailedPutCount).toBe(0);
  });

  it('takes single records, describes and lists its streams', async () => {
    const { firehose, sdk } = await start();
    const put = await sdk.send(new PutRecordCommand({ DeliveryStreamName: stream, Record: { Data: doc(7) } }));
    expect(typeof put.RecordId).toBe('string');
    const described = await sdk.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: stream }));
    expect(described.DeliveryStreamDescription).toMatchObject({ DeliveryStreamName: stream, DeliveryStreamStatus: 'ACTIVE' });
    expect(described.DeliveryStreamDescription?.CreateTimestamp).toBeInstanceOf(Date);
    expect((await sdk.send(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames).toEqual([stream]);
    expect(firehose.records(stream).map(String)).toEqual(['{"n":7}\n']);
  });

  it('writes delivered records as NDJSON files in the S3 key layout on flush', async () => {
    // prepare
    outputDir = await mkdtemp(join(tmpdir(), 'firehose-emulator-test-'));
    const clock = createManualClock(Date.parse('2024-05-01T10:20:30.000Z'));
    const { firehose, sdk } = await start({ outputDir, clock });

    // act
    await sdk.send(new PutRecordBatchCommand(batch(2)));
    await sdk.send(new PutRecordBatchCommand(batch(1, 2)));
    await firehose.flush();

    // assess
    expect(firehose.files).toEqual([join(stream, '2024', '05', '01', '10', `${stream}-1-2024-05-01-10-20-30.ndjson`)]);
    const text = await readFile(join(outputDir, firehose.files[0] ?? ''), 'utf8');
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it('holds every call back by the set latency, long enough for a client deadline to pass', async () => {
    const { firehose, sdk } = await start({ behaviour: { latencyMs: 3_000 } }, 1);
    const send = sdk.send(new PutRecordBatchCommand(batch(1)), { abortSignal: AbortSignal.timeout(100) });
    await expect(send).rejects.toThrow(/abort/i);
    firehose.setBehaviour({ latencyMs: 0 });
    expect((await sdk.send(new PutRecordBatchCommand(batch(1)))).FailedPutCount).toBe(0);
  });
});
