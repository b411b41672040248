import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentPage } from '../../../functions/symantec/incident-page.js';
import { nextOffset } from '../../../functions/symantec/paging.js';

const pageOf = (rows: number, fields: { total?: number; next?: number | null }): IncidentPage => ({
  total: fields.total,
  next: fields.next,
  incidents: Array.from({ length: rows }, () => ({})),
  bytes: 0,
});

const arbitraryPage = (maxTotal: number) =>
  fc.record({
    rows: fc.integer({ min: 0, max: 3 }),
    total: fc.option(fc.integer({ min: 0, max: maxTotal }), { nil: undefined }),
    next: fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: 0, max: maxTotal + 5 })),
  });

describe('nextOffset', () => {
  it.each([
    ['next is absent (XSOAR)', pageOf(2, { total: 9 }), 0, { stop: 'next-absent' }],
    ['next is null', pageOf(2, { total: 9, next: null }), 0, { stop: 'next-null' }],
    ['next equals total (Elastic mock)', pageOf(1, { total: 2, next: 2 }), 1, { stop: 'next-reached-total' }],
    ['next passes total', pageOf(1, { total: 2, next: 5 }), 1, { stop: 'next-reached-total' }],
    ['next repeats the asked offset', pageOf(2, { total: 9, next: 4 }), 4, { stop: 'next-not-advancing' }],
    ['next goes back', pageOf(2, { total: 9, next: 2 }), 4, { stop: 'next-not-advancing' }],
    ['the page is empty', pageOf(0, { total: 9, next: 6 }), 4, { stop: 'empty-page' }],
  ])('stops when %s', (_name, page, asked, expected) => {
    // act
    const step = nextOffset(page, asked);
    // assess
    expect(step).toEqual(expected);
  });

  it.each([
    ['with a total', pageOf(2, { total: 9, next: 2 }), 0, { next: 2 }],
    ['without a total', pageOf(2, { next: 6 }), 4, { next: 6 }],
  ])('moves to next %s', (_name, page, asked, expected) => {
    // act
    const step = nextOffset(page, asked);
    // assess
    expect(step).toEqual(expected);
  });

  it('never continues at an offset that does not advance, reaches total, or follows an empty page', () => {
    fc.assert(
      fc.property(arbitraryPage(50), fc.integer({ min: 0, max: 60 }), ({ rows, total, next }, asked) => {
        // act
        const step = nextOffset(pageOf(rows, { total, next }), asked);
        // assess
        if ('next' in step) {
          expect(step.next).toBeGreaterThan(asked);
          expect(step.next).toBe(next);
          if (total !== undefined) expect(step.next).toBeLessThan(total);
          expect(rows).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('stops within total + 1 pages against any API whose totals stay within total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.array(arbitraryPage(30), { minLength: 1, maxLength: 40 }), (maxTotal, answers) => {
        // prepare: the API answers from the list in turn, with totals clipped to maxTotal
        let offset = 0;
        let pages = 0;
        let stopped = false;
        // act
        while (!stopped && pages <= maxTotal + 1) {
          const answer = answers[pages % answers.length]!;
          const total = answer.total === undefined ? maxTotal : Math.min(answer.total, maxTotal);
          pages += 1;
          const step = nextOffset(pageOf(answer.rows, { total, next: answer.next }), offset);
          if ('stop' in step) stopped = true;
          else offset = step.next;
        }
        // assess
        expect(stopped).toBe(true);
        expect(pages).toBeLessThanOrEqual(maxTotal + 1);
      }),
    );
  });
});
