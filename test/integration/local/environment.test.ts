import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type LocalEnvironment } from '../../../local/environment.js';
import { createManualClock } from '../../../local/manual-clock.js';

const now = Date.parse('2024-05-31T12:00:00.000Z');
let local: LocalEnvironment;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  local = await startLocalEnvironment({ clock: createManualClock(now), seed: 9 });
  // The SDK must find every service from the standard variables alone, as the Lambda and the CLI do.
  for (const [name, value] of Object.entries(local.env)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await local.close();
});

describe('startLocalEnvironment', () => {
  it('publishes the settings the function reads, every service on 127.0.0.1', () => {
    expect(local.env).toMatchObject({
      SYMANTEC_SECRET_ID: 'symantec-edr/default',
      CHECKPOINT_TABLE: 'symantec-edr-checkpoints',
      DELIVERY_STREAM: 'symantec-edr-incidents',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    for (const name of [
      'SYMANTEC_API_URL',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_FIREHOSE',
      'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    ] as const) {
      expect(local.env[name]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('holds API credentials in Secrets Manager that the simulator accepts', async () => {
    // prepare
    const secrets = new SecretsManagerClient({});
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: local.env.SYMANTEC_SECRET_ID }));
    secrets.destroy();
    const { client_id, client_secret } = JSON.parse(SecretString ?? '{}') as { client_id: string; client_secret: string };

    // act
    const res = await fetch(`${local.env.SYMANTEC_API_URL}/v1/oauth2/tokens`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });

    // assess
    expect(res.status).toBe(200);
    expect(local.proxies.secrets.calls('GetSecretValue')).toBe(1);
  });

  it('has the checkpoint table ready behind the DynamoDB proxy', async () => {
    const dynamodb = new DynamoDBClient({});
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: local.env.CHECKPOINT_TABLE }));
    dynamodb.destroy();
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(local.proxies.dynamodb.calls('DescribeTable')).toBeGreaterThanOrEqual(2);
  });

  it('delivers records to the stream and writes them under the output directory', async () => {
    const firehose = new FirehoseClient({});
    await firehose.send(
      new PutRecordBatchCommand({ DeliveryStreamName: local.env.DELIVERY_STREAM, Records: [{ Data: Buffer.from('{"a":1}\n') }] }),
    );
    firehose.destroy();
    await local.firehose.flush();
    expect(local.firehose.records(local.env.DELIVERY_STREAM).map(String)).toEqual(['{"a":1}\n']);
    expect(await readFile(join(local.outputDir, local.firehose.files[0] ?? ''), 'utf8')).toBe('{"a":1}\n');
    expect(local.proxies.firehose.calls('PutRecordBatch')).toBe(1);
  });

  it('drives the simulator data from the given clock', () => {
    const [incident] = local.simulator.store.createIncidents(1);
    expect(incident?.time).toBe(now);
  });
});

describe('startLocalEnvironment close', () => {
  it('stops every service and removes the temporary output directory it made', async () => {
    // prepare
    const other = await startLocalEnvironment();

    // act
    await other.close();

    // assess
    expect(existsSync(other.outputDir)).toBe(false);
    await expect(fetch(`${other.env.SYMANTEC_API_URL}/v1/incidents`, { method: 'POST' })).rejects.toThrow();
    await expect(fetch(other.env.AWS_ENDPOINT_URL_DYNAMODB)).rejects.toThrow();
  });
});
