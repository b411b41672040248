import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock, type Clock } from '../functions/clock.js';
import { createCheckpointTable, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startFirehoseEmulator, type FirehoseEmulator, type FirehoseEmulatorOptions } from './firehose-emulator.js';
import { startSecretsEmulator, type SecretsEmulator } from './secrets-emulator.js';
import { startSymantecSimulator, type SymantecSimulator, type SymantecSimulatorOptions } from './symantec-simulator.js';

/**
 * Everything the ingestion talks to, on 127.0.0.1: the Symantec simulator, Firehose, Secrets Manager
 * and DynamoDB, each AWS service behind a fault proxy. `env` is what the function and the CLI read; the
 * AWS SDK finds the local services through its standard `AWS_ENDPOINT_URL_*` variables.
 */

export interface LocalEnvironmentOptions {
  /** Drives the simulator's data and tokens and the emulators' dates. @default systemClock */
  clock?: Clock;
  /** @default 1 */
  seed?: number;
  /** @default 'symantec-edr-incidents' */
  streamName?: string;
  /** @default 'symantec-edr/default' */
  secretName?: string;
  /** @default 'symantec-edr-checkpoints' */
  tableName?: string;
  /** Where Firehose writes its NDJSON files. @default a new temporary directory, removed on close */
  outputDir?: string;
  /** The API client the simulator accepts and the secret holds. @default 'local-client-id' and a random secret */
  credentials?: { clientId: string; clientSecret: string };
  simulator?: Omit<SymantecSimulatorOptions, 'clock' | 'seed' | 'clientId' | 'clientSecret'>;
  firehose?: Omit<FirehoseEmulatorOptions, 'clock' | 'seed' | 'streams' | 'outputDir'>;
}

export interface LocalEnv {
  SYMANTEC_API_URL: string;
  SYMANTEC_SECRET_ID: string;
  CHECKPOINT_TABLE: string;
  DELIVERY_STREAM: string;
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_ENDPOINT_URL_DYNAMODB: string;
  AWS_ENDPOINT_URL_FIREHOSE: string;
  AWS_ENDPOINT_URL_SECRETS_MANAGER: string;
}

export interface LocalEnvironment {
  env: LocalEnv;
  simulator: SymantecSimulator;
  firehose: FirehoseEmulator;
  secrets: SecretsEmulator;
  dynamodb: DynamoDbLocal;
  /** The proxies the `AWS_ENDPOINT_URL_*` variables point at: counts and faults per service. */
  proxies: { dynamodb: FaultProxy; firehose: FaultProxy; secrets: FaultProxy };
  outputDir: string;
  close(): Promise<void>;
}

export async function startLocalEnvironment(options: LocalEnvironmentOptions = {}): Promise<LocalEnvironment> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const streamName = options.streamName ?? 'symantec-edr-incidents';
  const secretName = options.secretName ?? 'symantec-edr/default';
  const tableName = options.tableName ?? 'symantec-edr-checkpoints';
  const credentials = options.credentials ?? { clientId: 'local-client-id', clientSecret: randomBytes(18).toString('base64url') };
  const ownsOutputDir = options.outputDir === undefined;
  const outputDir = options.outputDir ?? (await mkdtemp(join(tmpdir(), 'symantec-edr-local-')));
  const closers: (() => Promise<void>)[] = [];
  if (ownsOutputDir) closers.push(() => rm(outputDir, { recursive: true, force: true }));

  const closeAll = async () => {
    const failures: unknown[] = [];
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, 'Some local services did not close cleanly');
  };
  const started = <T extends { close(): Promise<void> }>(service: T): T => {
    closers.push(() => service.close());
    return service;
  };

  try {
    const { clientId, clientSecret } = credentials;
    const simulator = started(await startSymantecSimulator({ ...options.simulator, clock, seed, clientId, clientSecret }));
    const firehose = started(await startFirehoseEmulator({ ...options.firehose, clock, seed, streams: [streamName], outputDir }));
    const secrets = started(
      await startSecretsEmulator({
        clock,
        secrets: { [secretName]: JSON.stringify({ client_id: credentials.clientId, client_secret: credentials.clientSecret }) },
      }),
    );
    const dynamodb = started(await startDynamoDbLocal());
    const proxies = {
      dynamodb: started(await startFaultProxy({ target: dynamodb.url, seed })),
      firehose: started(await startFaultProxy({ target: firehose.url, seed: seed + 1 })),
      secrets: started(await startFaultProxy({ target: secrets.url, seed: seed + 2 })),
    };
    const env: LocalEnv = {
      SYMANTEC_API_URL: simulator.url,
      SYMANTEC_SECRET_ID: secretName,
      CHECKPOINT_TABLE: tableName,
      DELIVERY_STREAM: streamName,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.url,
      AWS_ENDPOINT_URL_FIREHOSE: proxies.firehose.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: proxies.secrets.url,
    };
    const client = new DynamoDBClient({
      endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    });
    try {
      await createCheckpointTable(client, tableName);
    } finally {
      client.destroy();
    }
    return { env, simulator, firehose, secrets, dynamodb, proxies, outputDir, close: closeAll };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
