/**
 * The shapes of the checkpoint table's items: one table holds every source's checkpoint and seen-set. The
 * stack's IAM policy builds each function's `dynamodb:LeadingKeys` condition from these same functions,
 * so a change of shape cannot leave a function locked out of its own items (or let it into another's).
 */
export const checkpointKey = (source: string) => `source#${source}`;

export const seenKey = (source: string, fingerprint: string) => `seen#${source}#${fingerprint}`;

/** The attribute DynamoDB's TTL reads (epoch seconds): seen-marks expire by it. */
export const TTL_ATTRIBUTE = 'ttl';
