/**
 * The shapes of the checkpoint table's items: one table holds every source's checkpoint and seen-set. The
 * stack's IAM policy builds each function's `dynamodb:LeadingKeys` condition from these same functions,
 * so a change of shape cannot leave a function locked out of its own items (or let it into another's).
 */
export const checkpointKey = (source: string) => `source#${source}`;

/** Every seen-set item of a source starts with this (the IAM condition matches `seenKey(source, '*')`). */
export const seenKey = (source: string, rest: string) => `seen#${source}#${rest}`;

/** Item `shard` (0 for the first) of a seen-set bucket: `seen#<source>#<bucket>`, then `#<shard>` after the first. */
export const seenBucketKey = (source: string, bucket: string, shard: number) =>
  seenKey(source, shard === 0 ? bucket : `${bucket}#${shard}`);

/** The attribute DynamoDB's TTL reads (epoch seconds): seen-marks expire by it. */
export const TTL_ATTRIBUTE = 'ttl';
