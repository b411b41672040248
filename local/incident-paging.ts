import type { Incident } from './incident-generator.js';
import { retentionMs, timestampOf, type FilterField } from './incident-store.js';
import { hashString } from './random.js';

/** Validation of a `POST /v1/incidents` body, ordering and offset paging: pure, no I/O. */

/** The vendor's default page size is 15 and its maximum 2000 (Broadcom's API samples and peer integrations). */
export const defaultLimit = 15;
export const maxLimit = 2000;

export interface IncidentsRequest {
  startMs: number;
  endMs: number;
  next: number;
  limit: number;
  includeEvents: boolean;
  query: string | undefined;
}

export type ParsedRequest = { ok: true; request: IncidentsRequest } | { ok: false; message: string };

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function parseInstant(value: unknown, name: string): number | string {
  if (typeof value !== 'string' || !isoPattern.test(value) || Number.isNaN(Date.parse(value))) {
    return `Invalid ${name}: expected an ISO 8601 date-time, got ${JSON.stringify(value) ?? 'nothing'}`;
  }
  return Date.parse(value);
}

export function parseIncidentsRequest(body: unknown, nowMs: number): ParsedRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'Invalid request body: expected a JSON object' };
  }
  const fields = body as Record<string, unknown>;
  const startMs = parseInstant(fields.start_date, 'start_date');
  if (typeof startMs === 'string') return { ok: false, message: startMs };
  const endMs = fields.end_date === undefined ? nowMs : parseInstant(fields.end_date, 'end_date');
  if (typeof endMs === 'string') return { ok: false, message: endMs };
  if (startMs < nowMs - retentionMs) return { ok: false, message: 'start_date must not be older than 30 days' };
  if (endMs < startMs) return { ok: false, message: 'end_date must not be before start_date' };
  const limit = fields.limit ?? defaultLimit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    return { ok: false, message: `limit must be an integer between 1 and ${maxLimit}` };
  }
  const next = fields.next ?? 0;
  if (typeof next !== 'number' || !Number.isInteger(next) || next < 0) {
    return { ok: false, message: 'next must be a non-negative integer' };
  }
  const includeEvents = fields.include_events ?? false;
  if (typeof includeEvents !== 'boolean') return { ok: false, message: 'include_events must be a boolean' };
  const query = fields.query;
  if (query !== undefined && typeof query !== 'string') return { ok: false, message: 'query must be a string' };
  return { ok: true, request: { startMs, endMs, next, limit, includeEvents, query } };
}

export type Order = 'asc' | 'desc' | 'unordered';
export type LastPageStyle = 'next-equals-total' | 'next-absent' | 'next-null';

export interface PagingBehaviour {
  order: Order;
  lastPage: LastPageStyle;
  /** Rows beyond this offset are never served. */
  resultCap: number | undefined;
  /** What `total` says when the cap applies: the true count, or the cap. */
  resultCapTotal: 'true-count' | 'capped';
  /** The server serves at most this many rows per page whatever `limit` asks. */
  maxPageSize: number;
}

/** Sorts by the filter field, ties by uid; `unordered` is a shuffle that stays put between requests. */
export function orderIncidents(rows: Incident[], field: FilterField, order: Order, seed: number): Incident[] {
  if (order === 'unordered') {
    const key = (incident: Incident) => hashString(incident.incident_uid, seed);
    return [...rows].sort((a, b) => key(a) - key(b) || a.incident_uid.localeCompare(b.incident_uid));
  }
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => sign * (timestampOf(a, field) - timestampOf(b, field)) || a.incident_uid.localeCompare(b.incident_uid));
}

export interface Page {
  total: number;
  next?: number | null;
  incidents: Incident[];
}

export function buildPage(ordered: Incident[], request: IncidentsRequest, behaviour: PagingBehaviour): Page {
  const available = behaviour.resultCap === undefined ? ordered.length : Math.min(ordered.length, behaviour.resultCap);
  const size = Math.min(request.limit, behaviour.maxPageSize);
  const incidents = ordered.slice(Math.min(request.next, available), Math.min(request.next + size, available));
  const after = request.next + incidents.length;
  const total = behaviour.resultCapTotal === 'capped' ? available : ordered.length;
  if (after < available) return { total, next: after, incidents };
  if (behaviour.lastPage === 'next-absent') return { total, incidents };
  if (behaviour.lastPage === 'next-null') return { total, next: null, incidents };
  return { total, next: after, incidents };
}
