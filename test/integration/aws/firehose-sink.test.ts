import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { afterEach, describe, expect, it } from 'vitest';
import { FirehoseSink } from '../../../functions/aws/firehose-sink.js';
import { systemClock } from '../../../functions/clock.js';
import { startFirehoseEmulator, type FirehoseEmulator } from '../../../local/firehose-emulator.js';

const stream = 'symantec-edr-incidents';
let emulator: FirehoseEmulator | undefined;
let proxy: Server | undefined;
let client: FirehoseClient | undefined;

afterEach(async () => {
  client?.destroy();
  proxy?.closeAllConnections();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await emulator?.close();
  emulator = undefined;
  proxy = undefined;
  client = undefined;
});

/** The emulator behind a pass-through proxy that notes how many calls were in flight at once. */
async function start(latencyMs: number): Promise<{ firehose: FirehoseEmulator; sink: FirehoseSink; mostInFlight: () => number }> {
  emulator = await startFirehoseEmulator({ streams: [stream], behaviour: { latencyMs } });
  const upstream = new URL(emulator.url);
  let inFlight = 0;
  let most = 0;
  proxy = createServer((req, res) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    const outgoing = request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (incoming) => {
        res.writeHead(incoming.statusCode ?? 502, incoming.headers);
        incoming.pipe(res);
        incoming.once('end', () => (inFlight -= 1));
      },
    );
    req.pipe(outgoing);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  client = new FirehoseClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { firehose: emulator, sink: new FirehoseSink(client, stream, systemClock), mostInFlight: () => most };
}

const records = (count: number) => Array.from({ length: count }, (_, i) => Buffer.from(`${JSON.stringify({ n: i })}\n`));
const numbers = (data: Buffer[]) => data.map((record) => (JSON.parse(record.toString()) as { n: number }).n);

describe('FirehoseSink', () => {
  it('sends the batches of one put at the same time', async () => {
    // 1,500 records are three batches of 500; each call waits 300 ms in the emulator, so they overlap.
    const { firehose, sink, mostInFlight } = await start(300);

    const outcome = await sink.put(records(1_500), Date.now() + 30_000);

    expect(outcome).toMatchObject({ calls: 3 });
    expect(outcome.failed.size).toBe(0);
    expect(mostInFlight()).toBe(3);
    expect(numbers(firehose.records(stream)).sort((a, b) => a - b)).toEqual(numbers(records(1_500)));
  });

  it('resends only the records that failed, in their original order', async () => {
    const { firehose, sink } = await start(0);
    firehose.inject({ kind: 'partial', records: 9, count: 2 });

    const outcome = await sink.put(records(1_000), Date.now() + 30_000);

    const delivered = numbers(firehose.records(stream));
    const resent = delivered.slice(1_000 - 18);
    expect(outcome.failed.size).toBe(0);
    expect(outcome.calls).toBe(3);
    expect([...delivered].sort((a, b) => a - b)).toEqual(numbers(records(1_000)));
    expect(resent).toEqual([...resent].sort((a, b) => a - b));
  });
});
