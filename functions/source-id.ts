/**
 * The one rule for a source (tenant) id, wherever one is read: the stack's props, the function's SOURCE_ID
 * and event, and the CLI's --source. The id names CloudFormation resources, alarm names, log keys and
 * DynamoDB keys (`source#<id>`, `seen#<id>#...`, where a `#` would let one source's keys reach into
 * another's), so it stays short and plain; existing checkpoints were written under this same rule.
 */

/** 1 to 48 characters of a-z, 0-9, `_` or `-`, starting with a letter or digit. */
export const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,47}$/;

/** The rule in words, for messages: "<what> must be ..." */
export const SOURCE_ID_RULE = '1-48 characters of a-z, 0-9, "_" or "-", starting with a letter or digit';

export function isValidSourceId(id: unknown): id is string {
  return typeof id === 'string' && SOURCE_ID_PATTERN.test(id);
}

/** Why `id` is not a source id (a sentence naming it), or `undefined` when it is one. */
export function sourceIdProblem(id: string): string | undefined {
  return isValidSourceId(id) ? undefined : `source id ${JSON.stringify(id)} must be ${SOURCE_ID_RULE}`;
}
