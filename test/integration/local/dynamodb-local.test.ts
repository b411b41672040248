import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpointTable, startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb-local.js';
import { startFaultProxy, type FaultProxy } from '../../../local/fault-proxy.js';

const table = 'checkpoints-test';
let dynamodb: DynamoDbLocal;
let proxy: FaultProxy;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamodb = await startDynamoDbLocal();
  proxy = await startFaultProxy({ target: dynamodb.url, seed: 1 });
  client = new DynamoDBClient({
    endpoint: proxy.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createCheckpointTable(client, table);
});

afterAll(async () => {
  client.destroy();
  await proxy.close();
  await dynamodb.close();
});

const item = (pk: string) => ({ TableName: table, Item: { pk: { S: pk }, version: { N: '1' } } });

describe('dynalite behind the fault proxy, through the real SDK client', () => {
  it('creates the checkpoint table keyed on pk, on demand and active', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('treats an existing table as done', async () => {
    await expect(createCheckpointTable(client, table)).resolves.toBeUndefined();
  });

  it('stores and reads an item and counts the calls by target', async () => {
    const before = proxy.calls('PutItem');
    await client.send(new PutItemCommand(item('source#a')));
    const read = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'source#a' } } }));
    expect(read.Item?.version).toEqual({ N: '1' });
    expect(proxy.calls('PutItem')).toBe(before + 1);
    expect(proxy.stats.byTarget['DynamoDB_20120810.GetItem']).toBeGreaterThanOrEqual(1);
  });

  it('throttles a call with ProvisionedThroughputExceededException, which the SDK retries', async () => {
    // prepare
    const before = proxy.calls('PutItem');
    proxy.inject({ kind: 'throttle', match: 'PutItem' });

    // act
    const answer = await client.send(new PutItemCommand(item('source#b')));

    // assess
    expect(answer.$metadata.attempts).toBe(2);
    expect(proxy.calls('PutItem')).toBe(before + 2);
    expect(proxy.stats.faults.throttle).toBeGreaterThanOrEqual(1);
  });

  it('gives up with the throttling error when every attempt is throttled', async () => {
    const impatient = new DynamoDBClient({
      endpoint: proxy.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 2,
    });
    proxy.inject({ kind: 'throttle', match: 'GetItem', count: 2, errorType: 'ThrottlingException' });
    const error = await impatient
      .send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'x' } } }))
      .catch((caught: unknown) => caught);
    impatient.destroy();
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 2 } });
  });

  it('answers a 500 that the SDK retries', async () => {
    proxy.inject({ kind: 'error', match: 'PutItem' });
    const answer = await client.send(new PutItemCommand(item('source#c')));
    expect(answer.$metadata.attempts).toBe(2);
  });

  it('only hits the operation the fault names', async () => {
    proxy.inject({ kind: 'throttle', match: 'DeleteItem' });
    const answer = await client.send(new PutItemCommand(item('source#d')));
    expect(answer.$metadata.attempts).toBe(1);
  });
});
