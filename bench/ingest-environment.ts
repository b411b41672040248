/**
 * The local environment for the ingestion benchmarks, in the bench process: the Symantec simulator and
 * the AWS emulators with the latencies asked for, the call counters read around each invocation, and a
 * function process per measured container.
 */
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { checkpointKey } from '../functions/aws/table-keys.js';
import { startLocalEnvironment, type LocalEnvironment } from '../local/environment.js';
import { startApiLatencyGate } from './api-latency-gate.js';
import { startFunctionProcess, type FunctionProcess } from './function-process.js';

export interface Latencies {
  /** From request to answer of every incidents page (see api-latency-gate.ts). */
  readonly apiPageMs: number;
  /** Added by the fault proxy to every Firehose call. */
  readonly firehoseCallMs: number;
  /** Added by the fault proxy to every DynamoDB call. */
  readonly dynamodbCallMs: number;
}

/** What one invocation cost in requests, read from the simulator's and the proxies' counters. */
export interface CallCounts {
  readonly apiPages: number;
  readonly apiTokens: number;
  /** AWS calls by operation, e.g. `UpdateItem`, `PutRecordBatch`, `GetSecretValue`. */
  readonly aws: Readonly<Record<string, number>>;
  readonly awsTotal: number;
  readonly firehoseRecords: number;
  readonly firehoseBytes: number;
}

export interface BenchEnvironment {
  readonly local: LocalEnvironment;
  /** Incidents spread evenly from `daysBack` days ago (plus a margin) to two minutes ago. */
  seed(count: number, daysBack: number): void;
  counters(): CallCounts;
  /** Deletes a source's checkpoint, behind the counters' back: its next run starts over and re-reads. */
  forgetCheckpoint(source: string): Promise<void>;
  startFunction(settings?: Record<string, string>): Promise<FunctionProcess>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
// The run's window starts INITIAL_LOOKBACK before the run starts, a few seconds after seeding: incidents
// that old would fall before it. Five minutes covers the time seeding and starting take.
const SEED_MARGIN_MS = 5 * 60_000;
// Younger than the settle delay (60 s) plus the time to start, so the window's end is after the newest.
const NEWEST_AGE_MS = 2 * 60_000;

export async function startBenchEnvironment(
  latencies: Latencies,
  bundles: { ingestChild: string; handlerFile: string },
): Promise<BenchEnvironment> {
  const local = await startLocalEnvironment({
    seed: 11,
    // Only counts: the records' bytes would otherwise sit in the emulator's memory for the whole run.
    firehose: { keepRecords: false },
  });
  const api = await startApiLatencyGate({ upstream: local.simulator.url, latencyMs: latencies.apiPageMs });
  // Set after the table exists, so only the function's own calls are slowed.
  local.proxies.firehose.setBehaviour({ latencyMs: latencies.firehoseCallMs });
  local.proxies.dynamodb.setBehaviour({ latencyMs: latencies.dynamodbCallMs });
  const env = { ...local.env, SYMANTEC_API_URL: api.url };
  const functions: FunctionProcess[] = [];

  const counters = (): CallCounts => {
    const aws: Record<string, number> = {};
    let awsTotal = 0;
    const byTarget = [local.proxies.firehose.stats.byTarget, local.proxies.secrets.stats.byTarget, local.proxies.dynamodb.stats.byTarget];
    for (const counts of byTarget) {
      for (const [target, count] of Object.entries(counts)) {
        const operation = target.slice(target.indexOf('.') + 1);
        aws[operation] = (aws[operation] ?? 0) + count;
        awsTotal += count;
      }
    }
    const { incidentRequests, tokenRequests } = local.simulator.stats;
    const { recordsAccepted, bytesAccepted } = local.firehose.stats;
    return {
      apiPages: incidentRequests,
      apiTokens: tokenRequests,
      aws,
      awsTotal,
      firehoseRecords: recordsAccepted,
      firehoseBytes: bytesAccepted,
    };
  };

  return {
    local,
    seed: (count, daysBack) => {
      const nowMs = Date.now();
      const created = local.simulator.store.createIncidentsBetween(
        count,
        nowMs - daysBack * DAY_MS + SEED_MARGIN_MS,
        nowMs - NEWEST_AGE_MS,
      );
      // The function asks without events (INCLUDE_EVENTS=false, the default): stored, they would only
      // double this process's heap, whose major collections then stall every emulator in it mid-run.
      for (const incident of created) incident.events = undefined;
    },
    counters,
    forgetCheckpoint: async (source) => {
      const client = new DynamoDBClient({
        endpoint: local.dynamodb.url,
        region: local.env.AWS_REGION,
        credentials: { accessKeyId: local.env.AWS_ACCESS_KEY_ID, secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY },
      });
      try {
        await client.send(new DeleteItemCommand({ TableName: local.env.CHECKPOINT_TABLE, Key: { pk: { S: checkpointKey(source) } } }));
      } finally {
        client.destroy();
      }
    },
    startFunction: async (settings = {}) => {
      const started = await startFunctionProcess(bundles.ingestChild, bundles.handlerFile, { ...env, ...settings });
      functions.push(started);
      return started;
    },
    close: async () => {
      await Promise.all(functions.map((f) => f.close()));
      await api.close();
      await local.close();
    },
  };
}

/** `after - before`, operation by operation. */
export function callsBetween(before: CallCounts, after: CallCounts): CallCounts {
  const aws: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after.aws)) {
    const delta = count - (before.aws[operation] ?? 0);
    if (delta > 0) aws[operation] = delta;
  }
  return {
    apiPages: after.apiPages - before.apiPages,
    apiTokens: after.apiTokens - before.apiTokens,
    aws,
    awsTotal: after.awsTotal - before.awsTotal,
    firehoseRecords: after.firehoseRecords - before.firehoseRecords,
    firehoseBytes: after.firehoseBytes - before.firehoseBytes,
  };
}
