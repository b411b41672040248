/**
 * Builds `run`'s collaborators from the configuration: the one place that knows which adapter serves
 * which port. The Lambda handler and the CLI both come through here, so they run the same code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { DynamoCheckpointStore } from '../aws/checkpoint-store.js';
import { FirehoseSink, type RecordSink } from '../aws/firehose-sink.js';
import type { SecurityLakeTarget } from '../aws/security-lake-wiring.js';
import { DynamoSeenSet } from '../aws/seen-set.js';
import { type Clock, systemClock } from '../clock.js';
import type { Config } from '../config.js';
import { type SymantecClient, createSymantecClient } from '../symantec/incidents-client.js';
import { parseCredentials } from '../symantec/credentials.js';
import { currentMemoryLimits, responseCapBytes } from '../symantec/response-cap.js';
import type { ClientEventListener } from '../symantec/client-events.js';
import type { RetryPolicy } from '../symantec/retry-policy.js';
import type { RunDependencies, RunLogger } from './ports.js';

/** The AWS clients, created once per container: endpoints and region come from the SDK's own variables. */
export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly firehose: FirehoseClient;
}

export function createAwsClients(): AwsClients {
  return { dynamodb: new DynamoDBClient({}), firehose: new FirehoseClient({}) };
}

export interface RunContext {
  readonly config: Config;
  readonly clients: AwsClients;
  readonly api: SymantecClient;
  readonly source: string;
  readonly owner: string;
  readonly logger: RunLogger;
  readonly deadlineMs: number;
  readonly leaseMs: number;
  readonly clock?: Clock;
}

export function buildRunDependencies(context: RunContext): RunDependencies {
  const { config, clients } = context;
  const clock = context.clock ?? systemClock;
  return {
    source: context.source,
    owner: context.owner,
    settings: config,
    api: context.api,
    checkpoints: new DynamoCheckpointStore(clients.dynamodb, config.checkpointTable),
    seen: config.dedupe ? new DynamoSeenSet(clients.dynamodb, config.checkpointTable, clock) : undefined,
    sink: createSink(config, clients, clock),
    clock,
    logger: context.logger,
    deadlineMs: context.deadlineMs,
    leaseMs: context.leaseMs,
  };
}

/** Firehose, or Security Lake when its settings are given (the settings table makes one of them complete). */
function createSink(config: Config, clients: AwsClients, clock: Clock): RecordSink {
  const {
    securityLakeBucket: bucket,
    securityLakeSourceName: sourceName,
    securityLakeRoleArn: roleArn,
    securityLakeExternalId: externalId,
  } = config;
  if (bucket && sourceName && roleArn && externalId) return lazySecurityLakeSink({ bucket, sourceName, roleArn, externalId });
  if (!config.deliveryStream) throw new Error('No delivery configured: set DELIVERY_STREAM, or the SECURITY_LAKE_* settings');
  return new FirehoseSink(clients.firehose, config.deliveryStream, clock);
}

/**
 * Makes the Security Lake sink. Only the entry points that can deliver there (functions/security-lake-handler.ts,
 * the CLI) register it: its S3 and STS clients and the Parquet writer would otherwise be in the bundle of
 * every function, and they made the handler's require time 1.74 times the bare SDK clients' instead of 1.25.
 */
let securityLakeSinkFactory: ((target: SecurityLakeTarget) => RecordSink) | undefined;

export function useSecurityLakeSink(factory: (target: SecurityLakeTarget) => RecordSink): void {
  securityLakeSinkFactory = factory;
}

function lazySecurityLakeSink(target: SecurityLakeTarget): RecordSink {
  if (!securityLakeSinkFactory) {
    throw new Error('This build has no Security Lake sink: deploy functions/security-lake-handler.ts for a Security Lake delivery');
  }
  return securityLakeSinkFactory(target);
}

/**
 * Keeps one API client (and so one cached token) across warm invocations, as long as the secret's value
 * is the same; a changed secret builds a new client.
 */
export class SymantecClientCache {
  #client: SymantecClient | undefined;
  #secretText: string | undefined;

  /** `secret` is the secret's value as read: its JSON text, or the object middy parsed from it. */
  get(config: Config, secret: unknown, options: { onEvent?: ClientEventListener; retry?: Partial<RetryPolicy> } = {}): SymantecClient {
    const secretText = typeof secret === 'string' ? secret : JSON.stringify(secret ?? null);
    if (!this.#client || this.#secretText !== secretText) {
      const credentials = parseCredentials(secretText);
      this.#secretText = secretText;
      this.#client = createSymantecClient({
        apiUrl: config.apiUrl,
        tokenUrl: config.tokenUrl,
        allowedApiHosts: config.allowedApiHosts,
        credentials,
        requestTimeoutMs: config.requestTimeoutMs,
        // Scaled to this process's memory: a page too large for it narrows the page size instead of
        // killing the function on the same page every run.
        maxResponseBytes: responseCapBytes(currentMemoryLimits()),
        ...options,
      });
    }
    return this.#client;
  }
}

/**
 * How long a run may go on, from the time the platform gives it: it stops starting pages a margin before
 * the end (10% of the time, between 5 and 30 seconds) so it can store progress and release the lease.
 */
export function runTimeLimits(nowMs: number, remainingMs: number): { deadlineMs: number; leaseMs: number } {
  const marginMs = Math.min(30_000, Math.max(5_000, remainingMs * 0.1));
  // The lease outlives the invocation by a minute: it frees the source only if this run died.
  return { deadlineMs: nowMs + remainingMs - marginMs, leaseMs: remainingMs + 60_000 };
}
