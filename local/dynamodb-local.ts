import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { CreateTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../functions/clock.js';
import { closeServer, listen, type ListenOptions } from './http-kit.js';
import { TTL_ATTRIBUTE } from '../functions/aws/table-keys.js';

/** DynamoDB on this machine: dynalite (in memory), plus the checkpoint table the project expects. */

export interface DynamoDbLocalOptions extends ListenOptions {
  /** How long a new table stays CREATING; dynalite's own default is 500 ms. @default 0 */
  createTableMs?: number;
}

export interface DynamoDbLocal {
  url: string;
  close(): Promise<void>;
}

type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

// dynalite is CommonJS and ships no type declarations; its factory returns a plain node:http Server.
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const wait = options.createTableMs ?? 0;
  const server = dynalite({ createTableMs: wait, deleteTableMs: wait, updateTableMs: wait });
  const url = await listen(server, options);
  return { url, close: () => closeServer(server) };
}

/**
 * Creates the checkpoint table (key `pk`, on demand) unless it exists, waits until it is ACTIVE and turns
 * TTL on where the server supports it (dynalite does not: it never expires items, which tests tolerate).
 */
export async function createCheckpointTable(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  // The SDK's waiter polls every 20 s at least; the local table is ready within milliseconds. The wait is
  // on real time because dynalite's own timers are.
  const deadline = systemClock.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    if (systemClock.now() > deadline) {
      throw new Error(`Table ${tableName} is still ${Table?.TableStatus ?? 'unknown'} after ${timeoutMs} ms`);
    }
    await systemClock.sleep(20);
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'UnknownOperationException') throw error;
  }
}
