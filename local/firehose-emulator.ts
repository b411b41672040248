import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../functions/clock.js';
import { countCall, parseAwsJsonCall, sendAwsError, sendAwsJson } from './aws-json.js';
import { closeServer, guard, listen, readBody, waitWallTime, type ListenOptions } from './http-kit.js';
import { createRandom } from './random.js';
import { createS3Writer, type S3Writer } from './firehose-s3-writer.js';
import { createFaultQueue } from './fault-queue.js';

/**
 * Amazon Data Firehose's JSON 1.1 API, enough for a producer: PutRecordBatch, PutRecord,
 * DescribeDeliveryStream, ListDeliveryStreams, with the service's limits and its failure modes.
 */

/** PutRecordBatch takes at most 500 records and 4 MiB, each record at most 1,000 KiB before base64. */
export const firehoseLimits = { recordsPerCall: 500, bytesPerCall: 4 * 1024 * 1024, bytesPerRecord: 1_024_000 };

export interface FirehoseBehaviour {
  /** Real (wall) time added to every call. @default 0 */
  latencyMs: number;
  /** Share of records that fail inside a successful PutRecordBatch (seeded). @default 0 */
  recordFailureRate: number;
  /** Share of put calls answered ServiceUnavailableException as a whole (seeded). @default 0 */
  throttleRate: number;
  /** Every call fails with ServiceUnavailableException until this time on the clock. @default undefined */
  outageUntilMs: number | undefined;
}

export type FirehoseFault =
  /** The next `count` PutRecordBatch calls succeed but fail exactly `records` of their records. */
  | { kind: 'partial'; records: number; count?: number }
  /** The next `count` put calls fail as a whole with ServiceUnavailableException (HTTP 503). */
  | { kind: 'throttle'; count?: number }
  /** The next `count` calls answer 500 InternalFailure. */
  | { kind: 'internal'; count?: number }
  /** The next `count` calls lose their connection. */
  | { kind: 'reset'; count?: number };

export interface FirehoseEmulatorOptions extends ListenOptions {
  /** @default ['symantec-edr-incidents'] */
  streams?: string[];
  /** Where delivered records are written as NDJSON files; none are written when absent. */
  outputDir?: string;
  /** Buffering of the output files; see S3WriterOptions. */
  flushRecords?: number;
  flushBytes?: number;
  flushIntervalMs?: number;
  /** Keep every delivered record in memory for `records()`. @default true */
  keepRecords?: boolean;
  /** @default systemClock */
  clock?: Clock;
  /** @default 1 */
  seed?: number;
  behaviour?: Partial<FirehoseBehaviour>;
}

export interface FirehoseStats {
  calls: Record<string, number>;
  recordsAccepted: number;
  recordsFailed: number;
  bytesAccepted: number;
  /** Calls refused as a whole (throttle, outage, internal, reset). */
  callsFailed: number;
  /** Calls refused for breaking a limit or naming an unknown stream. */
  callsRejected: number;
}

export interface FirehoseEmulator {
  url: string;
  readonly behaviour: Readonly<FirehoseBehaviour>;
  setBehaviour(change: Partial<FirehoseBehaviour>): void;
  inject(fault: FirehoseFault): void;
  /** Records delivered to `stream`, in order, exactly as sent. */
  records(stream: string): Buffer[];
  readonly stats: FirehoseStats;
  /** Output files written so far, relative to `outputDir`. */
  readonly files: readonly string[];
  flush(): Promise<void>;
  close(): Promise<void>;
}

const accountId = '000000000000';
const region = 'us-east-1';
/** 4 MiB of records grow by a third in base64, plus JSON framing. */
const maxBodyBytes = 8 * 1024 * 1024;

export async function startFirehoseEmulator(options: FirehoseEmulatorOptions = {}): Promise<FirehoseEmulator> {
  const clock = options.clock ?? systemClock;
  const random = createRandom((options.seed ?? 1) ^ 0xf14e);
  const keep = options.keepRecords ?? true;
  const behaviour: FirehoseBehaviour = {
    latencyMs: 0,
    recordFailureRate: 0,
    throttleRate: 0,
    outageUntilMs: undefined,
    ...options.behaviour,
  };
  const delivered = new Map<string, Buffer[]>((options.streams ?? ['symantec-edr-incidents']).map((name) => [name, []]));
  const createdSeconds = clock.now() / 1000;
  const writer: S3Writer | undefined =
    options.outputDir === undefined ? undefined : createS3Writer({ ...options, outputDir: options.outputDir, clock });
  const queue = createFaultQueue<FirehoseFault>();
  const stats: FirehoseStats = { calls: {}, recordsAccepted: 0, recordsFailed: 0, bytesAccepted: 0, callsFailed: 0, callsRejected: 0 };
  const closing = new AbortController();
  let recordSequence = 0n;

  const takeFault = (operation: string) => {
    const isPut = operation === 'PutRecordBatch' || operation === 'PutRecord';
    return queue.take((fault) => (fault.kind === 'partial' ? operation === 'PutRecordBatch' : fault.kind === 'throttle' ? isPut : true));
  };
  const streamArn = (name: string) => `arn:aws:firehose:${region}:${accountId}:deliverystream/${name}`;
  const recordId = () => {
    recordSequence += 1n;
    // Real record ids are long decimal strings; ordering by sequence is all a reader may rely on.
    return (49_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n + recordSequence).toString();
  };
  const accept = (stream: string, records: Buffer[]) => {
    if (keep) delivered.get(stream)?.push(...records);
    writer?.append(stream, records);
    stats.recordsAccepted += records.length;
    stats.bytesAccepted += records.reduce((sum, record) => sum + record.length, 0);
  };

  /**
   * Decodes and checks the records; answers the error to send when a limit is broken. A broken member
   * constraint comes back from the service as a ValidationException ("1 validation error detected: ...
   * failed to satisfy constraint", as quoted in public bug reports); the 4 MiB total as InvalidArgumentException.
   */
  const decodeRecords = (input: Record<string, unknown>, many: boolean): Buffer[] | { type: string; message: string } => {
    const raw = many ? input.Records : [input.Record];
    const violation = (at: string, rule: string) => ({
      type: 'ValidationException',
      message: `1 validation error detected: Value at '${at}' failed to satisfy constraint: Member must ${rule}`,
    });
    if (!Array.isArray(raw) || raw.length === 0) return violation(many ? 'records' : 'record', 'not be null or empty');
    if (raw.length > firehoseLimits.recordsPerCall) {
      return violation('records', `have length less than or equal to ${firehoseLimits.recordsPerCall}`);
    }
    const records: Buffer[] = [];
    for (const [index, item] of raw.entries()) {
      const data = (item as { Data?: unknown } | null)?.Data;
      if (typeof data !== 'string') return { type: 'SerializationException', message: `Record ${index} has no base64 Data` };
      const bytes = Buffer.from(data, 'base64');
      if (bytes.length > firehoseLimits.bytesPerRecord) {
        return violation(`records.${index + 1}.member.data`, `have length less than or equal to ${firehoseLimits.bytesPerRecord}`);
      }
      records.push(bytes);
    }
    const total = records.reduce((sum, record) => sum + record.length, 0);
    if (total > firehoseLimits.bytesPerCall) return { type: 'InvalidArgumentException', message: 'Records size exceeds 4 MB limit' };
    return records;
  };

  const put = (res: ServerResponse, operation: string, input: Record<string, unknown>, fault: FirehoseFault | undefined) => {
    const many = operation === 'PutRecordBatch';
    const name = input.DeliveryStreamName;
    if (typeof name !== 'string' || !delivered.has(name)) {
      stats.callsRejected += 1;
      return sendAwsError(res, 400, 'ResourceNotFoundException', `Firehose ${String(name)} under account ${accountId} not found.`);
    }
    const records = decodeRecords(input, many);
    if (!Array.isArray(records)) {
      stats.callsRejected += 1;
      return sendAwsError(res, 400, records.type, records.message);
    }
    if (!many) {
      if (random.chance(behaviour.recordFailureRate)) {
        stats.callsFailed += 1;
        stats.recordsFailed += 1;
        return sendAwsError(res, 503, 'ServiceUnavailableException', 'Slow down.');
      }
      accept(name, records);
      return sendAwsJson(res, { RecordId: recordId(), Encrypted: false });
    }
    const failing = new Set<number>();
    if (fault?.kind === 'partial') {
      random
        .shuffle(records.map((_, index) => index))
        .slice(0, fault.records)
        .forEach((index) => failing.add(index));
    }
    records.forEach((_, index) => {
      if (random.chance(behaviour.recordFailureRate)) failing.add(index);
    });
    const responses = records.map((_, index) =>
      failing.has(index) ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' } : { RecordId: recordId() },
    );
    accept(
      name,
      records.filter((_, index) => !failing.has(index)),
    );
    stats.recordsFailed += failing.size;
    sendAwsJson(res, { FailedPutCount: failing.size, Encrypted: false, RequestResponses: responses });
  };

  const describe = (res: ServerResponse, input: Record<string, unknown>) => {
    const name = input.DeliveryStreamName;
    if (typeof name !== 'string' || !delivered.has(name)) {
      return sendAwsError(res, 400, 'ResourceNotFoundException', `Firehose ${String(name)} under account ${accountId} not found.`);
    }
    sendAwsJson(res, {
      DeliveryStreamDescription: {
        DeliveryStreamName: name,
        DeliveryStreamARN: streamArn(name),
        DeliveryStreamStatus: 'ACTIVE',
        DeliveryStreamType: 'DirectPut',
        VersionId: '1',
        CreateTimestamp: createdSeconds,
        Destinations: [],
        HasMoreDestinations: false,
      },
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const call = parseAwsJsonCall(req, await readBody(req, maxBodyBytes), 'Firehose_20150804');
    if (!call.ok) return sendAwsError(res, call.status, call.type, call.message);
    countCall(stats.calls, call.operation);
    if (behaviour.latencyMs > 0) await waitWallTime(behaviour.latencyMs, closing.signal);
    const isPut = call.operation === 'PutRecordBatch' || call.operation === 'PutRecord';
    const fault = takeFault(call.operation);
    if (fault?.kind === 'reset') {
      stats.callsFailed += 1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'internal') {
      stats.callsFailed += 1;
      return sendAwsError(res, 500, 'InternalFailure', 'The request processing has failed because of an unknown error.');
    }
    const inOutage = behaviour.outageUntilMs !== undefined && clock.now() < behaviour.outageUntilMs;
    if (inOutage || (isPut && (fault?.kind === 'throttle' || random.chance(behaviour.throttleRate)))) {
      stats.callsFailed += 1;
      return sendAwsError(res, 503, 'ServiceUnavailableException', 'Slow down.');
    }
    switch (call.operation) {
      case 'PutRecordBatch':
      case 'PutRecord':
        return put(res, call.operation, call.input, fault);
      case 'DescribeDeliveryStream':
        return describe(res, call.input);
      case 'ListDeliveryStreams':
        return sendAwsJson(res, { DeliveryStreamNames: [...delivered.keys()], HasMoreDeliveryStreams: false });
      default:
        return sendAwsError(res, 400, 'UnknownOperationException', `The local Firehose does not implement ${call.operation}`);
    }
  };

  const server = createServer(guard(handle));
  const url = await listen(server, options);
  return {
    url,
    behaviour,
    setBehaviour: (change) => void Object.assign(behaviour, change),
    inject: (fault) => queue.push(fault),
    records: (stream) => [...(delivered.get(stream) ?? [])],
    stats,
    files: writer?.files ?? [],
    flush: async () => writer?.flush(),
    close: async () => {
      closing.abort(new Error('Firehose emulator closed'));
      await closeServer(server);
      await writer?.flush();
    },
  };
}
