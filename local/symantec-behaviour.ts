import type { EventIdDigits } from './incident-generator.js';
import type { LastPageStyle, Order } from './incident-paging.js';
import type { FilterField } from './incident-store.js';
import type { FaultKind, FaultTarget } from './symantec-faults.js';

/**
 * The simulator's switches: one for each fact about the API that public material leaves unknown (filter
 * field, order, end of paging, result cap, Retry-After, event_id width), plus latency and random faults
 * for the benchmarks and the simulation.
 */

export interface SimulatorBehaviour {
  /** Which timestamp the window filters on. @default 'time' */
  filterField: FilterField;
  /** @default 'asc' */
  order: Order;
  /** What the last page says about `next`. @default 'next-equals-total' */
  lastPage: LastPageStyle;
  /** Rows beyond this offset are never served (the event-search endpoint stops at 10,000). @default undefined */
  resultCap: number | undefined;
  /** What `total` reports when the cap applies. @default 'true-count' */
  resultCapTotal: 'true-count' | 'capped';
  /** Whether 429 and 503 answers carry `Retry-After`. @default true */
  retryAfter: boolean;
  /** The `Retry-After` value when a fault gives none. @default 1 */
  retryAfterSeconds: number;
  /** @default 7 */
  eventIdDigits: EventIdDigits;
  /** Incidents of the queried window updated (moved) before each follow-up page is answered. @default 0 */
  updatesDuringPaging: number;
  /** Real (wall) time added to every incidents page. @default 0 */
  latencyMs: number;
  /** Rows per page at most, whatever `limit` asks. @default 2000 */
  maxPageSize: number;
  /** Whether `end_date` is inclusive. @default false */
  endInclusive: boolean;
  /** Share of requests that get a random fault (seeded). @default 0 */
  faultRate: number;
  /** Kinds the random faults are drawn from. @default ['401', '429', '500', '502', '503', 'reset', 'truncated'] */
  faultKinds: FaultKind[];
  /** Which endpoint the random faults hit. @default 'any' */
  faultTarget: FaultTarget;
}

export const defaultBehaviour: SimulatorBehaviour = {
  filterField: 'time',
  order: 'asc',
  lastPage: 'next-equals-total',
  resultCap: undefined,
  resultCapTotal: 'true-count',
  retryAfter: true,
  retryAfterSeconds: 1,
  eventIdDigits: 7,
  updatesDuringPaging: 0,
  latencyMs: 0,
  maxPageSize: 2000,
  endInclusive: false,
  faultRate: 0,
  faultKinds: ['401', '429', '500', '502', '503', 'reset', 'truncated'],
  faultTarget: 'any',
};
