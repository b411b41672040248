/**
 * Delivery to Amazon Data Firehose. Records that fail inside a successful call (`FailedPutCount`) are
 * resent, alone, with backoff, until they are accepted or the run's time is up; whatever is still failing
 * then is reported by index so the run neither marks it seen nor moves the checkpoint past it.
 */
import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { Clock } from '../clock.js';
import { mapConcurrently } from '../concurrency.js';
import { describeError } from '../errors.js';
import { planBatches } from '../delivery/batching.js';

export interface DeliveryOutcome {
  /** Indexes (into the records given) that Firehose never accepted. */
  readonly failed: ReadonlySet<number>;
  readonly calls: number;
  readonly lastError?: string;
}

export interface RecordSink {
  put(records: readonly Buffer[], deadlineMs: number): Promise<DeliveryOutcome>;
}

const BASE_DELAY_MS = 200;
// Errors that no retry mends: a wrong stream name, a missing permission, a malformed call.
const PERMANENT_ERRORS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'InvalidArgumentException',
  'ValidationException',
  'InvalidKMSResourceException',
]);
const MAX_DELAY_MS = 5_000;
// A 2,000-row page is four batches of 500: sent together they cost one round trip instead of four. Each
// call holds its body (up to 4 MiB, a third more in base64) until it is answered, so four bound the memory.
const CONCURRENT_CALLS = 4;

export class FirehoseSink implements RecordSink {
  constructor(
    private readonly client: FirehoseClient,
    private readonly streamName: string,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  async put(records: readonly Buffer[], deadlineMs: number): Promise<DeliveryOutcome> {
    let pending = records.map((_, index) => index);
    let calls = 0;
    let lastError: string | undefined;
    let permanent = false;
    for (let attempt = 0; pending.length > 0 && !permanent; attempt++) {
      if (attempt > 0) {
        const delayMs = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)) * (0.5 + this.random() / 2);
        if (this.clock.now() + delayMs >= deadlineMs) break;
        await this.clock.sleep(delayMs);
      }
      const stillFailing: number[] = [];
      const batches = planBatches(pending.map((index) => (records[index] as Buffer).length));
      await mapConcurrently(batches, CONCURRENT_CALLS, async (batch) => {
        const indexes = batch.map((position) => pending[position] as number);
        calls++;
        try {
          const result = await this.client.send(
            new PutRecordBatchCommand({
              DeliveryStreamName: this.streamName,
              Records: indexes.map((index) => ({ Data: records[index] as Buffer })),
            }),
          );
          if ((result.FailedPutCount ?? 0) > 0) {
            result.RequestResponses?.forEach((response, position) => {
              if (response.ErrorCode) stillFailing.push(indexes[position] as number);
            });
            lastError = `${result.FailedPutCount} records failed: ${result.RequestResponses?.find((r) => r.ErrorCode)?.ErrorCode}`;
          }
        } catch (error) {
          // The SDK already retried throttling and 5xx; the whole batch waits for our next round.
          stillFailing.push(...indexes);
          lastError = describeError(error);
          permanent ||= error instanceof Error && PERMANENT_ERRORS.has(error.name);
        }
      });
      // Batches answer in any order: the resend keeps the records' order.
      pending = stillFailing.sort((a, b) => a - b);
    }
    return lastError === undefined ? { failed: new Set(pending), calls } : { failed: new Set(pending), calls, lastError };
  }
}
