/**
 * The one rule for a source (tenant) id, used by the function, the CLI and the CDK app: the id names
 * CloudFormation resources, alarm names, log keys and DynamoDB keys (`source#<id>`, `seen#<id>#...`, where a
 * `#` would let one source's keys reach into another's), so it stays short and plain.
 */
export const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,47}$/;

/** The rule in words, for messages and docs. */
export const SOURCE_ID_RULE = '1-48 characters of a-z, 0-9, "_" or "-", starting with a letter or digit';

export function isValidSourceId(id: unknown): id is string {
  return typeof id === 'string' && SOURCE_ID_PATTERN.test(id);
}
