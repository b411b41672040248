/**
 * What a live tenant's answers reveal about the API facts nobody documents (docs/api-assumptions.md
 * tells how to read them): how the last page says it is last, the order of results, which timestamp the
 * window filters on, the digits of `event_id`. Pure: a function of the pages `check --verbose` fetched.
 */
import type { IncidentPage } from '../ingest/ports.js';

export const TIMESTAMP_FIELDS = ['time', 'modified', 'created'] as const;
export type TimestampField = (typeof TIMESTAMP_FIELDS)[number];
export type Order = 'ascending' | 'descending' | 'unordered' | 'too few rows';

export interface ObservedPage {
  readonly offset: number;
  readonly page: IncidentPage;
}

export interface PagingFacts {
  readonly pages: readonly { offset: number; rows: number; total: number | undefined; next: number | 'null' | 'absent' }[];
  readonly lastPage: 'next == total' | 'next absent' | 'next null' | 'next > total' | 'not reached';
  readonly order: Readonly<Record<TimestampField, Order>>;
  /** Per field: rows whose value lies inside the asked window, outside it, or is missing. */
  readonly inWindow: Readonly<Record<TimestampField, { inside: number; outside: number; missing: number }>>;
  /** The fields every row agrees with: the window filters on one of them. */
  readonly filterCandidates: readonly TimestampField[];
  readonly eventIdDigits: readonly number[];
  readonly largestTotal: number | undefined;
}

export function timestampOf(incident: unknown, field: TimestampField): number | undefined {
  if (typeof incident !== 'object' || incident === null) return undefined;
  const value = (incident as Record<string, unknown>)[field];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value !== '') {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export function analysePaging(
  observed: readonly ObservedPage[],
  window: { startMs: number; endMs: number },
  finished: boolean,
): PagingFacts {
  const rows = observed.flatMap((o) => o.page.incidents);
  const order = {} as Record<TimestampField, Order>;
  const inWindow = {} as Record<TimestampField, { inside: number; outside: number; missing: number }>;
  for (const field of TIMESTAMP_FIELDS) {
    const values = rows.map((row) => timestampOf(row, field));
    order[field] = orderOf(values.filter((v): v is number => v !== undefined));
    const counts = { inside: 0, outside: 0, missing: 0 };
    for (const v of values) {
      if (v === undefined) counts.missing++;
      else if (v >= window.startMs && v <= window.endMs) counts.inside++;
      else counts.outside++;
    }
    inWindow[field] = counts;
  }
  const last = observed.at(-1)?.page;
  const digits = new Set<number>();
  for (const row of rows) {
    const id = typeof row === 'object' && row !== null ? (row as Record<string, unknown>).event_id : undefined;
    if (typeof id === 'number' || typeof id === 'string') digits.add(String(id).length);
  }
  const totals = observed.map((o) => o.page.total).filter((t): t is number => t !== undefined);
  return {
    pages: observed.map(({ offset, page }) => ({
      offset,
      rows: page.incidents.length,
      total: page.total,
      next: page.next === undefined ? 'absent' : page.next === null ? 'null' : page.next,
    })),
    lastPage: !finished || !last ? 'not reached' : lastPageForm(last),
    order,
    inWindow,
    filterCandidates: TIMESTAMP_FIELDS.filter((f) => inWindow[f].outside === 0 && inWindow[f].inside > 0),
    eventIdDigits: [...digits].sort((a, b) => a - b),
    largestTotal: totals.length > 0 ? Math.max(...totals) : undefined,
  };
}

function lastPageForm(page: IncidentPage): PagingFacts['lastPage'] {
  if (page.next === undefined) return 'next absent';
  if (page.next === null) return 'next null';
  if (page.total !== undefined && page.next > page.total) return 'next > total';
  return 'next == total';
}

function orderOf(values: readonly number[]): Order {
  if (values.length < 3) return 'too few rows';
  let up = true;
  let down = true;
  for (let i = 1; i < values.length; i++) {
    if ((values[i] as number) < (values[i - 1] as number)) up = false;
    if ((values[i] as number) > (values[i - 1] as number)) down = false;
  }
  return up ? 'ascending' : down ? 'descending' : 'unordered';
}
