import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirehoseSink } from '../../../functions/aws/firehose-sink.js';
import { DynamoSeenSet } from '../../../functions/aws/seen-set.js';
import { systemClock } from '../../../functions/clock.js';
import { loadConfig } from '../../../functions/config.js';
import { markDelivered, preparePage, putPage, type DeliveryPorts, type SendOptions } from '../../../functions/ingest/deliver-page.js';
import { versionFingerprint } from '../../../functions/ingest/page-records.js';
import { createCheckpointTable, startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb-local.js';
import { startFirehoseEmulator, type FirehoseEmulator } from '../../../local/firehose-emulator.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const settings = loadConfig({ SYMANTEC_SECRET_ID: 's', CHECKPOINT_TABLE: 'seen', DELIVERY_STREAM: 'incidents' });
const incident = (n: number) => ({
  incident_uid: `uid-${n}`,
  modified: '2026-11-28T10:00:00.000+00:00',
  time: 1_795_860_000_000,
  conclusion: 'Malware',
});

let dynamo: DynamoDbLocal;
let firehose: FirehoseEmulator;
let dynamodbClient: DynamoDBClient;
let firehoseClient: FirehoseClient;
let ports: DeliveryPorts;

/** Both stages of a page, as the pager runs them one after the other. */
async function sendPage(incidents: readonly unknown[], options: SendOptions = {}) {
  return putPage(await preparePage(incidents, settings, Date.now(), ports, options), ports);
}

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  firehose = await startFirehoseEmulator({ streams: ['incidents'] });
  dynamodbClient = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials });
  firehoseClient = new FirehoseClient({ endpoint: firehose.url, region: 'us-east-1', credentials });
  await createCheckpointTable(dynamodbClient, 'seen');
  ports = {
    source: 'tenant',
    seen: new DynamoSeenSet(dynamodbClient, 'seen', systemClock),
    sink: new FirehoseSink(firehoseClient, 'incidents', systemClock),
    deadlineMs: Date.now() + 60_000,
  };
});
afterAll(async () => {
  dynamodbClient.destroy();
  firehoseClient.destroy();
  await firehose.close();
  await dynamo.close();
});

describe('sending a page while the seen-marks of the page before are still being written', () => {
  it('counts the versions of the page before as delivered, so the overlap rows go out once', async () => {
    const before = await sendPage([incident(1), incident(2), incident(3)]);

    // The marks of the first page are not written yet; the second page repeats its last two rows.
    const after = await sendPage([incident(2), incident(3), incident(4)], { inFlight: new Set(before.accepted) });
    await markDelivered([...before.accepted, ...after.accepted], ports);
    const again = await sendPage([incident(1), incident(4)]);

    expect(before).toMatchObject({ delivered: 3, duplicates: 0 });
    expect(after).toMatchObject({ delivered: 1, duplicates: 2, accepted: [versionFingerprint(incident(4))] });
    expect(again).toMatchObject({ delivered: 0, duplicates: 2 });
    expect(firehose.records('incidents')).toHaveLength(4);
  });
});
