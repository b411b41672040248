import { describe, expect, it } from 'vitest';
import { createIncidentGenerator, type Incident } from '../../../local/incident-generator.js';
import {
  buildPage,
  orderIncidents,
  parseIncidentsRequest,
  type IncidentsRequest,
  type PagingBehaviour,
} from '../../../local/incident-paging.js';

const now = Date.parse('2024-05-31T00:00:00.000Z');
const day = 86_400_000;
const generator = createIncidentGenerator({ seed: 8 });
const rows: Incident[] = Array.from({ length: 5 }, (_, i) => generator.create(now - (5 - i) * 60_000));
const plain: PagingBehaviour = {
  order: 'asc',
  lastPage: 'next-equals-total',
  resultCap: undefined,
  resultCapTotal: 'true-count',
  maxPageSize: 2000,
};

function request(change: Partial<IncidentsRequest>): IncidentsRequest {
  return { startMs: now - day, endMs: now, next: 0, limit: 2, includeEvents: false, query: undefined, ...change };
}

function parse(body: unknown) {
  return parseIncidentsRequest(body, now);
}

describe('parseIncidentsRequest', () => {
  it('applies the vendor defaults: limit 15, next 0, no events, end now', () => {
    const parsed = parse({ start_date: '2024-05-30T00:00:00.000Z' });
    expect(parsed).toEqual({
      ok: true,
      request: { startMs: now - day, endMs: now, next: 0, limit: 15, includeEvents: false, query: undefined },
    });
  });

  it('accepts a start exactly 30 days back and refuses one a millisecond older', () => {
    expect(parse({ start_date: new Date(now - 30 * day).toISOString() }).ok).toBe(true);
    expect(parse({ start_date: new Date(now - 30 * day - 1).toISOString() })).toEqual({
      ok: false,
      message: 'start_date must not be older than 30 days',
    });
  });

  it.each([0, 2001, 1.5, '20'])('refuses limit %j', (limit) => {
    const parsed = parse({ start_date: '2024-05-30T00:00:00Z', limit });
    expect(parsed.ok).toBe(false);
  });

  it.each([
    [{}],
    [{ start_date: 'yesterday' }],
    [{ start_date: '2024-05-30T00:00:00Z', end_date: '2024-05-29T00:00:00Z' }],
    [{ start_date: '2024-05-30T00:00:00Z', next: -1 }],
    [{ start_date: '2024-05-30T00:00:00Z', include_events: 'yes' }],
    [[1, 2]],
  ])('refuses the body %j', (body) => {
    expect(parse(body).ok).toBe(false);
  });

  it('reads offsets in ISO dates', () => {
    const parsed = parse({ start_date: '2024-05-30T02:00:00.000+02:00' });
    expect(parsed.ok && parsed.request.startMs).toBe(now - day);
  });
});

describe('buildPage', () => {
  it('pages by offset and says next until the last page, where next equals total', () => {
    expect(buildPage(rows, request({ next: 0 }), plain)).toMatchObject({ total: 5, next: 2 });
    expect(buildPage(rows, request({ next: 2 }), plain)).toMatchObject({ total: 5, next: 4 });
    const last = buildPage(rows, request({ next: 4 }), plain);
    expect(last).toMatchObject({ total: 5, next: 5 });
    expect(last.incidents).toEqual([rows[4]]);
  });

  it('leaves next out or null on the last page when so switched', () => {
    expect(buildPage(rows, request({ next: 4 }), { ...plain, lastPage: 'next-absent' })).not.toHaveProperty('next');
    expect(buildPage(rows, request({ next: 4 }), { ...plain, lastPage: 'next-null' }).next).toBeNull();
  });

  it('answers an empty page past the end', () => {
    const page = buildPage(rows, request({ next: 9 }), plain);
    expect(page.incidents).toEqual([]);
    expect(page.total).toBe(5);
  });

  it('serves no row beyond the result cap while total tells the true count', () => {
    const capped = { ...plain, resultCap: 3 };
    expect(buildPage(rows, request({ next: 2 }), capped)).toMatchObject({ total: 5, next: 3 });
    expect(buildPage(rows, request({ next: 3 }), capped).incidents).toEqual([]);
    expect(buildPage(rows, request({ next: 0 }), { ...capped, resultCapTotal: 'capped' }).total).toBe(3);
  });

  it('serves fewer rows than asked when the page size is capped', () => {
    const page = buildPage(rows, request({ limit: 4 }), { ...plain, maxPageSize: 1 });
    expect(page.incidents).toHaveLength(1);
    expect(page.next).toBe(1);
  });
});

describe('orderIncidents', () => {
  it('sorts ascending or descending by the filter field', () => {
    const shuffled = [rows[3], rows[0], rows[4], rows[1], rows[2]] as Incident[];
    expect(orderIncidents(shuffled, 'time', 'asc', 1)).toEqual(rows);
    expect(orderIncidents(shuffled, 'time', 'desc', 1)).toEqual([...rows].reverse());
  });

  it('keeps the unordered order stable between calls and dependent on the seed', () => {
    const many = Array.from({ length: 30 }, (_, i) => generator.create(now - i));
    const once = orderIncidents(many, 'time', 'unordered', 1);
    expect(orderIncidents([...many].reverse(), 'time', 'unordered', 1)).toEqual(once);
    expect(orderIncidents(many, 'time', 'unordered', 2)).not.toEqual(once);
    expect(once).not.toEqual(orderIncidents(many, 'time', 'asc', 1));
  });
});
