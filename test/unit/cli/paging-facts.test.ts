import { describe, expect, it } from 'vitest';
import { analysePaging, type ObservedPage, timestampOf } from '../../../functions/cli/paging-facts.js';
import type { IncidentPage } from '../../../functions/ingest/ports.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 1);
const END = START + 24 * HOUR;
const WINDOW = { startMs: START, endMs: END };

/** An incident as the API writes its timestamps: `time` epoch ms, `created`/`modified` ISO with an offset. */
function row(timeMs: number, modifiedMs = timeMs, createdMs = timeMs, eventId: number | string = 8075004): Record<string, unknown> {
  const isoOf = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
  return {
    incident_uid: `uid-${timeMs}-${modifiedMs}`,
    time: timeMs,
    modified: isoOf(modifiedMs),
    created: isoOf(createdMs),
    event_id: eventId,
  };
}

function page(incidents: unknown[], total: number | undefined, next: number | null | undefined): IncidentPage {
  return { total, next, incidents, bytes: 0 };
}

/** One page holding every row; `next` as given (absent when given as undefined), else the row count. */
function onePage(incidents: unknown[], ...given: [next?: number | null | undefined]): ObservedPage[] {
  const next = given.length > 0 ? given[0] : incidents.length;
  return [{ offset: 0, page: page(incidents, incidents.length, next) }];
}

describe('timestampOf', () => {
  it('reads epoch milliseconds, ISO instants with an offset and digit strings', () => {
    expect(timestampOf({ time: 1_700_000_000_000 }, 'time')).toBe(1_700_000_000_000);
    expect(timestampOf({ modified: '2023-04-26T21:46:10.400+00:00' }, 'modified')).toBe(Date.UTC(2023, 3, 26, 21, 46, 10, 400));
    expect(timestampOf({ created: '1700000000000' }, 'created')).toBe(1_700_000_000_000);
  });

  it('answers undefined for a missing, empty or unreadable value', () => {
    expect(timestampOf({}, 'time')).toBeUndefined();
    expect(timestampOf({ created: '' }, 'created')).toBeUndefined();
    expect(timestampOf({ modified: 'yesterday' }, 'modified')).toBeUndefined();
    expect(timestampOf(null, 'time')).toBeUndefined();
  });
});

describe('analysePaging', () => {
  it('lists total and next of every page as received', () => {
    const observed: ObservedPage[] = [
      { offset: 0, page: page([row(START + HOUR)], 3, 1) },
      { offset: 1, page: page([row(START + 2 * HOUR)], 3, 2) },
      { offset: 2, page: page([row(START + 3 * HOUR)], undefined, null) },
    ];

    const facts = analysePaging(observed, WINDOW, true);

    expect(facts.pages).toEqual([
      { offset: 0, rows: 1, total: 3, next: 1 },
      { offset: 1, rows: 1, total: 3, next: 2 },
      { offset: 2, rows: 1, total: undefined, next: 'null' },
    ]);
    expect(facts.largestTotal).toBe(3);
  });

  it.each([
    ['next == total', 3],
    ['next absent', undefined],
    ['next null', null],
    ['next > total', 50],
  ] as const)('names the last-page form %s', (form, next) => {
    const facts = analysePaging(onePage([row(START + HOUR), row(START + 2 * HOUR), row(START + 3 * HOUR)], next), WINDOW, true);

    expect(facts.lastPage).toBe(form);
  });

  it('says the last page was not reached when paging stopped at the page limit', () => {
    const facts = analysePaging(onePage([row(START + HOUR)], 1), WINDOW, false);

    expect(facts.lastPage).toBe('not reached');
  });

  it('tells ascending, descending and unordered results apart for each timestamp', () => {
    // Sorted by `created` descending; `time` climbs; `modified` zigzags.
    const rows = [
      row(START + 1 * HOUR, START + 5 * HOUR, START + 9 * HOUR),
      row(START + 2 * HOUR, START + 3 * HOUR, START + 8 * HOUR),
      row(START + 3 * HOUR, START + 7 * HOUR, START + 7 * HOUR),
    ];

    const facts = analysePaging(onePage(rows), WINDOW, true);

    expect(facts.order).toEqual({ time: 'ascending', modified: 'unordered', created: 'descending' });
  });

  it('reads the order across pages, not within one', () => {
    const observed: ObservedPage[] = [
      { offset: 0, page: page([row(START + 1 * HOUR), row(START + 2 * HOUR)], 4, 2) },
      { offset: 2, page: page([row(START + 1.5 * HOUR), row(START + 3 * HOUR)], 4, 4) },
    ];

    expect(analysePaging(observed, WINDOW, true).order.time).toBe('unordered');
  });

  it('reports too few rows to judge an order below three', () => {
    expect(analysePaging(onePage([row(START + 2 * HOUR), row(START + HOUR)]), WINDOW, true).order.time).toBe('too few rows');
  });

  it('names created as the filter when updated incidents carry time and modified after the window', () => {
    // Created inside the window, updated after it ended: only `created` agrees with every row.
    const rows = [row(START + HOUR), row(END + HOUR, END + HOUR, START + 2 * HOUR), row(START + 3 * HOUR)];

    const facts = analysePaging(onePage(rows), WINDOW, true);

    expect(facts.filterCandidates).toEqual(['created']);
    expect(facts.inWindow.time).toEqual({ inside: 2, outside: 1, missing: 0 });
  });

  it('names time as the filter when an edit moved modified past the window and an old incident was updated inside it', () => {
    const rows = [row(START + HOUR, END + HOUR), row(START + 2 * HOUR, START + 2 * HOUR, START - 48 * HOUR), row(START + 3 * HOUR)];

    expect(analysePaging(onePage(rows), WINDOW, true).filterCandidates).toEqual(['time']);
  });

  it('names modified as the filter when an old incident edited inside the window keeps its old time', () => {
    const rows = [row(START - 48 * HOUR, START + HOUR, START - 48 * HOUR), row(START + 2 * HOUR), row(START + 3 * HOUR)];

    expect(analysePaging(onePage(rows), WINDOW, true).filterCandidates).toEqual(['modified']);
  });

  it('keeps every field that agrees with every row as a candidate when nothing changed', () => {
    const rows = [row(START + HOUR), row(START + 2 * HOUR), row(START + 3 * HOUR)];

    expect(analysePaging(onePage(rows), WINDOW, true).filterCandidates).toEqual(['time', 'modified', 'created']);
  });

  it('counts the window end as inside and a missing timestamp as missing, never as a candidate', () => {
    const rows = [row(END), { incident_uid: 'bare', time: START + HOUR }];

    const facts = analysePaging(onePage(rows), WINDOW, true);

    expect(facts.inWindow.time).toEqual({ inside: 2, outside: 0, missing: 0 });
    expect(facts.inWindow.created).toEqual({ inside: 1, outside: 0, missing: 1 });
    expect(facts.filterCandidates).toEqual(['time', 'modified', 'created']);
  });

  it('has no candidate when no row was seen', () => {
    const facts = analysePaging(onePage([]), WINDOW, true);

    expect(facts.filterCandidates).toEqual([]);
    expect(facts.eventIdDigits).toEqual([]);
  });

  it('lists the event_id widths seen, numbers and strings alike, smallest first', () => {
    const rows = [
      row(START + HOUR, START + HOUR, START + HOUR, 80760004),
      row(START + 2 * HOUR, START + 2 * HOUR, START + 2 * HOUR, '8075004'),
      row(START + 3 * HOUR, START + 3 * HOUR, START + 3 * HOUR, 1234567890),
    ];

    expect(analysePaging(onePage(rows), WINDOW, true).eventIdDigits).toEqual([7, 8, 10]);
  });

  it('reports no total when no page carried one', () => {
    const observed: ObservedPage[] = [{ offset: 0, page: page([row(START + HOUR)], undefined, undefined) }];

    expect(analysePaging(observed, WINDOW, true).largestTotal).toBeUndefined();
  });
});
