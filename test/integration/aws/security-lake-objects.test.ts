import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { SecurityLakeSink, eventDayPrefix, roleAccount } from '../../../functions/aws/security-lake-sink.js';
import { toOcsfDocument } from '../../../functions/ocsf/map-incident.js';
import { startS3Emulator, type S3Emulator } from '../../../local/s3-emulator.js';

const TARGET = { bucket: 'lake', sourceName: 'edr', region: 'eu-west-1', accountId: '123456789012' };
const DAY_1 = Date.UTC(2024, 4, 1, 23, 59);
const DAY_2 = Date.UTC(2024, 4, 2, 0, 1);

let s3: S3Emulator | undefined;
let client: S3Client | undefined;
afterEach(async () => {
  client?.destroy();
  await s3?.close();
  s3 = client = undefined;
});

async function startSink(refusedPrefix?: string): Promise<{ sink: SecurityLakeSink; s3: S3Emulator }> {
  s3 = await startS3Emulator({
    buckets: ['lake'],
    authorizeWrite: (_key, _bucket, objectKey) => refusedPrefix === undefined || !objectKey.startsWith(refusedPrefix),
  });
  client = new S3Client({
    endpoint: s3.url,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  return { sink: new SecurityLakeSink(client, TARGET), s3 };
}

const record = (uid: string, time: number) =>
  Buffer.from(`${JSON.stringify(toOcsfDocument({ incident_uid: uid, time, modified: new Date(time).toISOString() }))}\n`);

describe('SecurityLakeSink', () => {
  it('puts one object per event day, and the same objects again when the same page is sent again', async () => {
    const { sink, s3 } = await startSink();
    const page = [record('a', DAY_1), record('b', DAY_2), record('c', DAY_1)];

    const first = await sink.put(page, Number.MAX_SAFE_INTEGER);
    const keys = s3.objects('lake').map((object) => object.key);
    const again = await sink.put(page, Number.MAX_SAFE_INTEGER);

    expect(first).toEqual({ failed: new Set(), calls: 2 });
    expect(again).toEqual({ failed: new Set(), calls: 2 });
    expect(keys.map((key) => key.slice(0, key.lastIndexOf('/') + 1))).toEqual([
      eventDayPrefix(TARGET, DAY_1),
      eventDayPrefix(TARGET, DAY_2),
    ]);
    expect(keys[0]).toMatch(/^ext\/edr\/region=eu-west-1\/accountId=123456789012\/eventDay=20240501\/[0-9a-f]{32}\.parquet$/);
    expect(s3.objects('lake').map((object) => object.key)).toEqual(keys);
  });

  it('reports as failed exactly the records of an object that was refused', async () => {
    const { sink } = await startSink(eventDayPrefix(TARGET, DAY_2));

    const outcome = await sink.put(
      [record('a', DAY_1), record('b', DAY_2), record('c', DAY_1), record('d', DAY_2)],
      Number.MAX_SAFE_INTEGER,
    );

    expect(outcome.failed).toEqual(new Set([1, 3]));
    expect(outcome.lastError).toMatch(
      /^PutObject s3:\/\/lake\/ext\/edr\/region=eu-west-1\/accountId=123456789012\/eventDay=20240502\/[0-9a-f]{32}\.parquet failed: /,
    );
  });

  it('reads the account of the provider role from its ARN, and refuses an ARN without one', () => {
    expect(roleAccount('arn:aws:iam::123456789012:role/AmazonSecurityLake-Provider-edr-eu-west-1')).toBe('123456789012');
    expect(() => roleAccount('not-an-arn')).toThrow('Cannot read the account of role ARN "not-an-arn"');
  });
});
