/**
 * The seen-set: which incident versions this source has already delivered. Kept in the checkpoint table
 * (`pk = seen#<source>#<fingerprint>`) with a TTL a day past the API's 30-day retention, so anything the API
 * can still return is remembered. Marked only after Firehose accepted the record: a crash in between can
 * duplicate, never lose.
 */
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock.js';
import { TTL_ATTRIBUTE, seenKey } from './table-keys.js';
import { mapConcurrently } from '../concurrency.js';

/** TTL of a seen mark: the API's 30 days of retention plus one day. */
export const SEEN_TTL_SECONDS = 31 * 86_400;
// BatchGetItem takes at most 100 keys and BatchWriteItem 25 requests per call.
const GET_BATCH = 100;
const WRITE_BATCH = 25;
const MAX_UNPROCESSED_ROUNDS = 8;
// A page of 2,000 versions is 20 reads and 80 writes: 32 at a time make them 1 and 3 round trips, not
// 100 (the SDK keeps up to 50 sockets per client).
const CONCURRENT_CALLS = 32;

export interface SeenSet {
  /** The fingerprints among `fingerprints` that were never marked seen. */
  filterUnseen(source: string, fingerprints: readonly string[]): Promise<Set<string>>;
  markSeen(source: string, fingerprints: readonly string[]): Promise<void>;
}

export class DynamoSeenSet implements SeenSet {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async filterUnseen(source: string, fingerprints: readonly string[]): Promise<Set<string>> {
    const unseen = new Set(fingerprints);
    await mapConcurrently(chunk([...unseen], GET_BATCH), CONCURRENT_CALLS, async (part) => {
        let request: KeysAndAttributes | undefined = {
          Keys: part.map((fingerprint) => ({ pk: { S: seenKey(source, fingerprint) } })),
          ProjectionExpression: 'pk',
          ConsistentRead: true,
        };
        for (let round = 0; request?.Keys?.length; round++) {
          if (round >= MAX_UNPROCESSED_ROUNDS) throw this.unprocessed(request.Keys.length, round);
          if (round > 0) await this.backoff(round);
          const result: BatchGetItemCommandOutput = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } }));
          for (const item of result.Responses?.[this.tableName] ?? []) {
            const key = item.pk?.S;
            if (key) unseen.delete(key.slice(seenKey(source, '').length));
          }
          request = result.UnprocessedKeys?.[this.tableName];
        }
    });
    return unseen;
  }

  async markSeen(source: string, fingerprints: readonly string[]): Promise<void> {
    const ttl = String(Math.floor(this.clock.now() / 1000) + SEEN_TTL_SECONDS);
    const unique = [...new Set(fingerprints)];
    await mapConcurrently(chunk(unique, WRITE_BATCH), CONCURRENT_CALLS, async (part) => {
      let requests: WriteRequest[] = part.map((fingerprint) => ({
        PutRequest: { Item: { pk: { S: seenKey(source, fingerprint) }, [TTL_ATTRIBUTE]: { N: ttl } } },
      }));
      for (let round = 0; requests.length > 0; round++) {
        if (round >= MAX_UNPROCESSED_ROUNDS) throw this.unprocessed(requests.length, round);
        if (round > 0) await this.backoff(round);
        try {
          const result = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }));
          requests = result.UnprocessedItems?.[this.tableName] ?? [];
        } catch (error) {
          // The records are in Firehose already: giving up here means delivering them again next run, so
          // throttling that outlasted the SDK's retries gets the same rounds as unprocessed items.
          if (!isTransient(error)) throw error;
        }
      }
    });
  }

  private unprocessed(count: number, rounds: number): Error {
    return new Error(`DynamoDB left ${count} seen-set items unprocessed after ${rounds} rounds on table ${this.tableName}`);
  }

  private backoff(round: number): Promise<void> {
    return this.clock.sleep(Math.min(2_000, 50 * 2 ** round));
  }
}

const THROTTLING_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** Throttling or a fault on DynamoDB's side: another round may succeed. */
function isTransient(error: unknown): boolean {
  const { name, $fault } = (error ?? {}) as { name?: unknown; $fault?: unknown };
  return $fault === 'server' || (typeof name === 'string' && THROTTLING_ERRORS.has(name));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}
