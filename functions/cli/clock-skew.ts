/**
 * Leases expire by the clocks of the processes that take them: a CLI whose clock runs ahead would take a
 * lease a Lambda still holds, one behind would hold it past its time. The CLI reads the source's item
 * before it starts (who holds the lease, until when) and, from the same response, the service's `Date`
 * header, and refuses to run when its own clock is off by more than MAX_CLOCK_SKEW_MS.
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { checkpointKey } from '../aws/table-keys.js';
import type { Clock } from '../clock.js';

export const MAX_CLOCK_SKEW_MS = 30_000;

export interface SourceState {
  /** Local clock minus the service's, in ms (positive: the local clock is ahead); undefined without a Date header. */
  readonly skewMs: number | undefined;
  /** The lease on the source when it was read, if any. */
  readonly lease: { readonly owner: string; readonly expiresAtMs: number } | undefined;
}

export async function readSourceState(dynamodb: DynamoDBClient, table: string, source: string, clock: Clock): Promise<SourceState> {
  const command = new GetItemCommand({ TableName: table, Key: { pk: { S: checkpointKey(source) } }, ConsistentRead: true });
  let serverDate: string | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
      serverDate = headers.date ?? headers.Date;
      return result;
    },
    { step: 'deserialize', name: 'readServerDate' },
  );
  const sentMs = clock.now();
  const result = await dynamodb.send(command);
  const receivedMs = clock.now();
  const serverMs = serverDate === undefined ? Number.NaN : Date.parse(serverDate);
  // The header has whole seconds: the request's midpoint against the middle of the server's second.
  const skewMs = Number.isNaN(serverMs) ? undefined : Math.round((sentMs + receivedMs) / 2 - (serverMs + 500));
  const lease = result.Item?.lease?.M;
  const owner = lease?.owner?.S;
  const expiresAtMs = Number(lease?.expiresAt?.N);
  return { skewMs, lease: owner !== undefined && Number.isFinite(expiresAtMs) ? { owner, expiresAtMs } : undefined };
}

/** The sentence refusing to run, or undefined when the clock is close enough (or could not be compared). */
export function clockSkewProblem(skewMs: number | undefined): string | undefined {
  if (skewMs === undefined || Math.abs(skewMs) <= MAX_CLOCK_SKEW_MS) return undefined;
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  return `this machine's clock is ${seconds} s ${skewMs > 0 ? 'ahead of' : 'behind'} the DynamoDB service's (at most ${MAX_CLOCK_SKEW_MS / 1000} s allowed): leases would expire at the wrong time; set the clock right (NTP) and try again`;
}
