import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock, type Clock } from '../functions/clock.js';
import { createCheckpointTable, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startFirehoseEmulator, type FirehoseEmulator, type FirehoseEmulatorOptions } from './firehose-emulator.js';
import { startS3Emulator, type S3Emulator } from './s3-emulator.js';
import { startSecretsEmulator, type SecretsEmulator } from './secrets-emulator.js';
import { startStsEmulator, type StsEmulator } from './sts-emulator.js';
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
  /**
   * Deliver to Security Lake instead: starts S3 and STS emulators, a lake bucket whose custom source's
   * prefix only the provider role (assumed with its external ID) may write, and sets the `SECURITY_LAKE_*`
   * settings and `OUTPUT_FORMAT=ocsf`. Objects are also written under `<outputDir>/<bucket>/`.
   */
  securityLake?: { bucket?: string; sourceName?: string };
}

/** The local Security Lake: its S3 and STS emulators and the custom source's settings. */
export interface LocalSecurityLake {
  s3: S3Emulator;
  sts: StsEmulator;
  bucket: string;
  sourceName: string;
  roleArn: string;
  externalId: string;
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
  AWS_ENDPOINT_URL_S3?: string;
  AWS_ENDPOINT_URL_STS?: string;
  OUTPUT_FORMAT?: string;
  SECURITY_LAKE_BUCKET?: string;
  SECURITY_LAKE_SOURCE_NAME?: string;
  SECURITY_LAKE_ROLE_ARN?: string;
  SECURITY_LAKE_EXTERNAL_ID?: string;
}

export interface LocalEnvironment {
  env: LocalEnv;
  simulator: SymantecSimulator;
  firehose: FirehoseEmulator;
  secrets: SecretsEmulator;
  dynamodb: DynamoDbLocal;
  /** Present when `securityLake` was asked for. */
  securityLake?: LocalSecurityLake;
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
    const securityLake = options.securityLake && (await startSecurityLake(options.securityLake, outputDir, clock, started));
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
      ...(securityLake && {
        AWS_ENDPOINT_URL_S3: securityLake.s3.url,
        AWS_ENDPOINT_URL_STS: securityLake.sts.url,
        OUTPUT_FORMAT: 'ocsf',
        SECURITY_LAKE_BUCKET: securityLake.bucket,
        SECURITY_LAKE_SOURCE_NAME: securityLake.sourceName,
        SECURITY_LAKE_ROLE_ARN: securityLake.roleArn,
        SECURITY_LAKE_EXTERNAL_ID: securityLake.externalId,
      }),
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
    return { env, simulator, firehose, secrets, dynamodb, ...(securityLake && { securityLake }), proxies, outputDir, close: closeAll };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

async function startSecurityLake(
  options: NonNullable<LocalEnvironmentOptions['securityLake']>,
  outputDir: string,
  clock: Clock,
  started: <T extends { close(): Promise<void> }>(service: T) => T,
): Promise<LocalSecurityLake> {
  const bucket = options.bucket ?? 'aws-security-data-lake-us-east-1-local';
  const sourceName = options.sourceName ?? 'symantec-edr-cloud';
  // The names Security Lake gives: one provider role per source, in the lake's account.
  const roleArn = `arn:aws:iam::000000000000:role/AmazonSecurityLake-Provider-${sourceName}-us-east-1`;
  const externalId = randomBytes(12).toString('hex');
  const sts = started(await startStsEmulator({ clock, roles: { [roleArn]: externalId } }));
  const s3 = started(
    await startS3Emulator({
      clock,
      buckets: [bucket],
      outputDir,
      authorizeWrite: (accessKeyId, _bucket, key) => sts.roleOf(accessKeyId) === roleArn && key.startsWith(`ext/${sourceName}/`),
    }),
  );
  return { s3, sts, bucket, sourceName, roleArn, externalId };
}
