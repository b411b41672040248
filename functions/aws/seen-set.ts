/**
 * The seen-set: which incident versions this source has already delivered. Kept in the checkpoint table
 * in hour buckets: one item per source and hour of the versions' own time (`pk = seen#<source>#<hour>`),
 * holding the fingerprints of that hour's delivered versions as a string set, with a TTL a day past the
 * API's 30-day retention, renewed at each mark, so anything the API can still return is remembered.
 * Marked only after Firehose accepted the record: a crash in between can duplicate, never lose.
 *
 * Why buckets: the versions of one page fall in a few hours, so a page costs one read and a handful of
 * updates instead of one read per 100 versions and one write per 25 (100 calls a page of 2,000, which
 * cost the function more CPU than mapping, and a read unit per version on every update sweep).
 *
 * A bucket holds at most `shardCapacity` fingerprints per item. When it is full, the next marks go to
 * extra items (`seen#<source>#<hour>#<n>`), whose count the bucket's first item keeps in `more` (written
 * before the extra item, so a reader never misses one). Any one update adds at most `MAX_ADD` values, so
 * no item can grow past DynamoDB's 400 KB item limit.
 */
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
  UpdateItemCommand,
  type UpdateItemCommandInput,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock.js';
import { TTL_ATTRIBUTE, seenBucketKey } from './table-keys.js';
import { mapConcurrently } from '../concurrency.js';

/** TTL of a seen mark: the API's 30 days of retention plus one day. */
export const SEEN_TTL_SECONDS = 31 * 86_400;
// BatchGetItem takes at most 100 keys per call.
const GET_BATCH = 100;
const MAX_ROUNDS = 8;
// Buckets updated at the same time: a page's versions fall in a few hours, a sweep's in many.
const CONCURRENT_CALLS = 16;
/**
 * Fingerprints per bucket item before the next item is opened: 8,000 of 22 characters is ~180 KB, and
 * one update adds at most `MAX_ADD` (~45 KB) on top, well inside the 400 KB item limit.
 */
export const DEFAULT_SHARD_CAPACITY = 8_000;
const MAX_ADD = 2_000;
/** Attribute names in the bucket items. */
const SET = 'fps';
const MORE = 'more';

export interface SeenSet {
  /** The fingerprints among `fingerprints` that were never marked seen. */
  filterUnseen(source: string, fingerprints: readonly string[]): Promise<Set<string>>;
  markSeen(source: string, fingerprints: readonly string[]): Promise<void>;
}

/**
 * A fingerprint names its bucket: `<bucket>/<hash>` (see `versionFingerprint`). One without a `/` is
 * its own hash in the bucket `none`.
 */
export function splitFingerprint(fingerprint: string): { bucket: string; hash: string } {
  const slash = fingerprint.indexOf('/');
  return slash === -1 ? { bucket: 'none', hash: fingerprint } : { bucket: fingerprint.slice(0, slash), hash: fingerprint.slice(slash + 1) };
}

export interface DynamoSeenSetOptions {
  /** @default DEFAULT_SHARD_CAPACITY */
  readonly shardCapacity?: number;
}

export class DynamoSeenSet implements SeenSet {
  private readonly shardCapacity: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    options: DynamoSeenSetOptions = {},
  ) {
    this.shardCapacity = options.shardCapacity ?? DEFAULT_SHARD_CAPACITY;
  }

  async filterUnseen(source: string, fingerprints: readonly string[]): Promise<Set<string>> {
    const unseen = new Set(fingerprints);
    const byBucket = groupByBucket(unseen);
    const stored = await this.readBuckets(source, [...byBucket.keys()]);
    for (const [bucket, entries] of byBucket) {
      const hashes = stored.get(bucket);
      if (hashes === undefined) continue;
      for (const { fingerprint, hash } of entries) if (hashes.has(hash)) unseen.delete(fingerprint);
    }
    return unseen;
  }

  async markSeen(source: string, fingerprints: readonly string[]): Promise<void> {
    const ttl = String(Math.floor(this.clock.now() / 1000) + SEEN_TTL_SECONDS);
    const buckets = [...groupByBucket(new Set(fingerprints))];
    // Different buckets at once; the additions to one bucket one after the other, as they may fill an item.
    await mapConcurrently(buckets, CONCURRENT_CALLS, async ([bucket, entries]) => {
      const hashes = entries.map((entry) => entry.hash);
      for (let i = 0; i < hashes.length; i += MAX_ADD) await this.addToBucket(source, bucket, hashes.slice(i, i + MAX_ADD), ttl);
    });
  }

  /** Every fingerprint stored in each of `buckets`, first items and extra ones. */
  private async readBuckets(source: string, buckets: readonly string[]): Promise<Map<string, Set<string>>> {
    const stored = new Map<string, Set<string>>();
    const keep = (bucket: string, item: Record<string, AttributeValue>) => {
      const values = item[SET]?.SS ?? [];
      if (values.length === 0) return;
      const hashes = stored.get(bucket) ?? new Set<string>();
      for (const value of values) hashes.add(value);
      stored.set(bucket, hashes);
    };
    const extraKeys: Array<{ bucket: string; key: string }> = [];
    await this.getAll(
      buckets.map((bucket) => ({ bucket, key: seenBucketKey(source, bucket, 0) })),
      (bucket, item) => {
        keep(bucket, item);
        const more = Number(item[MORE]?.N ?? 0);
        for (let shard = 1; shard <= more; shard++) extraKeys.push({ bucket, key: seenBucketKey(source, bucket, shard) });
      },
    );
    if (extraKeys.length > 0) await this.getAll(extraKeys, keep);
    return stored;
  }

  /** Consistent reads of `keys`, 100 a call, unprocessed keys asked again; `found` gets each item. */
  private async getAll(
    keys: ReadonlyArray<{ bucket: string; key: string }>,
    found: (bucket: string, item: Record<string, AttributeValue>) => void,
  ): Promise<void> {
    const bucketOfKey = new Map(keys.map(({ bucket, key }) => [key, bucket]));
    const parts: string[][] = [];
    for (let i = 0; i < keys.length; i += GET_BATCH) parts.push(keys.slice(i, i + GET_BATCH).map(({ key }) => key));
    await mapConcurrently(parts, CONCURRENT_CALLS, async (part) => {
      let request: KeysAndAttributes | undefined = {
        Keys: part.map((key) => ({ pk: { S: key } })),
        ProjectionExpression: '#pk, #set, #more',
        ExpressionAttributeNames: { '#pk': 'pk', '#set': SET, '#more': MORE },
        ConsistentRead: true,
      };
      for (let round = 0; request?.Keys?.length; round++) {
        if (round >= MAX_ROUNDS) throw this.unprocessed(request.Keys.length, round);
        if (round > 0) await this.backoff(round);
        const result: BatchGetItemCommandOutput = await this.client.send(
          new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const bucket = bucketOfKey.get(item.pk?.S ?? '');
          if (bucket !== undefined) found(bucket, item);
        }
        request = result.UnprocessedKeys?.[this.tableName];
      }
    });
  }

  /**
   * Adds `hashes` to the bucket's first item with room: each item takes values while it holds fewer than
   * `shardCapacity`. A full item makes the next one the target, counted in the first item's `more` first.
   */
  private async addToBucket(source: string, bucket: string, hashes: readonly string[], ttl: string): Promise<void> {
    for (let shard = 0; ; shard++) {
      if (shard > 0) await this.countShard(source, bucket, shard, ttl);
      const added = await this.conditionalUpdate({
        TableName: this.tableName,
        Key: { pk: { S: seenBucketKey(source, bucket, shard) } },
        UpdateExpression: 'ADD #set :hashes SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#set) OR size(#set) < :capacity',
        ExpressionAttributeNames: { '#set': SET, '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':hashes': { SS: [...hashes] }, ':ttl': { N: ttl }, ':capacity': { N: String(this.shardCapacity) } },
      });
      if (added) return;
    }
  }

  /**
   * Raises the first item's `more` to `shard` (never lowers it), before anything is written to that item.
   * A failed condition means an earlier mark of this bucket counted it already.
   */
  private async countShard(source: string, bucket: string, shard: number, ttl: string): Promise<void> {
    await this.conditionalUpdate({
      TableName: this.tableName,
      Key: { pk: { S: seenBucketKey(source, bucket, 0) } },
      UpdateExpression: 'SET #more = :shard, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#more) OR #more < :shard',
      ExpressionAttributeNames: { '#more': MORE, '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':shard': { N: String(shard) }, ':ttl': { N: ttl } },
    });
  }

  /** One update, retried through throttling: true when it was made, false when its condition failed. */
  private conditionalUpdate(input: UpdateItemCommandInput): Promise<boolean> {
    return this.withRetries(() =>
      this.client.send(new UpdateItemCommand(input)).then(
        () => true,
        (error: unknown) => {
          if (isConditionFailure(error)) return false;
          throw error;
        },
      ),
    );
  }

  /**
   * The records are in Firehose already when marks are written: giving up means delivering them again
   * next run, so throttling that outlasted the SDK's own retries gets a few more rounds.
   */
  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let round = 0; ; round++) {
      try {
        return await call();
      } catch (error) {
        if (!isTransient(error) || round + 1 >= MAX_ROUNDS) throw error;
        await this.backoff(round + 1);
      }
    }
  }

  private unprocessed(count: number, rounds: number): Error {
    return new Error(`DynamoDB left ${count} seen-set keys unprocessed after ${rounds} rounds on table ${this.tableName}`);
  }

  private backoff(round: number): Promise<void> {
    return this.clock.sleep(Math.min(2_000, 50 * 2 ** round));
  }
}

function groupByBucket(fingerprints: Iterable<string>): Map<string, Array<{ fingerprint: string; hash: string }>> {
  const groups = new Map<string, Array<{ fingerprint: string; hash: string }>>();
  for (const fingerprint of fingerprints) {
    const { bucket, hash } = splitFingerprint(fingerprint);
    let group = groups.get(bucket);
    if (group === undefined) groups.set(bucket, (group = []));
    group.push({ fingerprint, hash });
  }
  return groups;
}

const THROTTLING_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** Throttling or a fault on DynamoDB's side: another round may succeed. */
function isTransient(error: unknown): boolean {
  const { name, $fault } = (error ?? {}) as { name?: unknown; $fault?: unknown };
  return $fault === 'server' || (typeof name === 'string' && THROTTLING_ERRORS.has(name));
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}
