/**
 * The shape of one `POST /v1/incidents` exchange: the request body we send and the checks on the page we
 * get back. Pure, so the rules are testable without a server.
 */
import { ApiError } from '../errors.js';

export interface IncidentQuery {
  readonly start: Date;
  readonly end: Date;
  /** The row offset, sent as `next`: 0 for the first page, then the previous page's `next`. */
  readonly offset: number;
  readonly limit: number;
  readonly includeEvents: boolean;
  /** A Lucene filter over incident fields; sent only when set. */
  readonly query?: string;
}

export interface IncidentPage {
  /** `total` as received; undefined when the answer had none. */
  readonly total: number | undefined;
  /** `next` in the form received: a number, `null`, or undefined when absent. */
  readonly next: number | null | undefined;
  readonly incidents: unknown[];
  /** Size of the response body in bytes. */
  readonly bytes: number;
}

export function toRequestBody(query: IncidentQuery): Record<string, unknown> {
  for (const [name, date] of [
    ['start', query.start],
    ['end', query.end],
  ] as const) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      throw new RangeError(`IncidentQuery.${name} is not a valid Date`);
    }
  }
  if (query.start.getTime() >= query.end.getTime()) {
    throw new RangeError(`IncidentQuery.start ${query.start.toISOString()} is not before end ${query.end.toISOString()}`);
  }
  if (!isCount(query.offset)) throw new RangeError(`IncidentQuery.offset must be a whole number >= 0, got ${query.offset}`);
  if (!isCount(query.limit) || query.limit < 1) {
    throw new RangeError(`IncidentQuery.limit must be a whole number >= 1, got ${query.limit}`);
  }
  return {
    // UTC with milliseconds (`2024-05-01T10:11:12.123Z`): the form every peer sends and the API accepts.
    start_date: query.start.toISOString(),
    end_date: query.end.toISOString(),
    next: query.offset,
    limit: query.limit,
    include_events: query.includeEvents,
    ...(query.query === undefined || query.query === '' ? {} : { query: query.query }),
  };
}

/**
 * Checks an answer's shape. A wrong shape is treated as retryable: it is most likely a gateway's or a
 * truncated answer, and the retry policy bounds how often we ask again.
 */
export function readIncidentPage(json: unknown, bytes: number, target: string): IncidentPage {
  const malformed = (why: string) =>
    new ApiError(`Symantec API answered 200 to ${target} with a malformed response: ${why}`, { status: 200, retryable: true });
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw malformed('the body is not a JSON object');
  const body = json as Record<string, unknown>;
  const { total, next, incidents } = body;
  if (total !== undefined && !isCount(total)) throw malformed('"total" is not a whole number >= 0');
  if (next !== undefined && next !== null && !isCount(next)) throw malformed('"next" is not a whole number >= 0');
  let rows: unknown[];
  if (Array.isArray(incidents)) {
    rows = incidents;
  } else if ((incidents === undefined || incidents === null) && total === 0) {
    // An API may leave out an empty list; only an explicit `total: 0` makes that safe to read as "none",
    // otherwise a bare `{}` from a misbehaving gateway would end a window with nothing fetched.
    rows = [];
  } else {
    throw malformed('"incidents" is not an array');
  }
  return { total: total as number | undefined, next: next as number | null | undefined, incidents: rows, bytes };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
