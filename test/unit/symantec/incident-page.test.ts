import { describe, expect, it } from 'vitest';
import { readIncidentPage, toRequestBody } from '../../../functions/symantec/incident-page.js';

const base = {
  start: new Date('2024-05-01T10:00:00Z'),
  end: new Date('2024-05-01T11:00:00Z'),
  offset: 0,
  limit: 2000,
  includeEvents: false,
};

describe('toRequestBody', () => {
  it('writes the instants as UTC with milliseconds whatever the Date was built from', () => {
    // act
    const body = toRequestBody({ ...base, start: new Date('2024-05-01T12:11:12.5+02:00') });
    // assess
    expect(body).toEqual({
      start_date: '2024-05-01T10:11:12.500Z',
      end_date: '2024-05-01T11:00:00.000Z',
      next: 0,
      limit: 2000,
      include_events: false,
    });
  });

  it('leaves an empty query out', () => {
    // act
    const body = toRequestBody({ ...base, query: '' });
    // assess
    expect(body).not.toHaveProperty('query');
  });

  it.each([
    ['an invalid start', { start: new Date('nope') }, 'IncidentQuery.start is not a valid Date'],
    ['an empty window', { end: base.start }, 'is not before end'],
    ['a negative offset', { offset: -1 }, 'IncidentQuery.offset must be a whole number >= 0'],
    ['a fractional offset', { offset: 1.5 }, 'IncidentQuery.offset must be a whole number >= 0'],
    ['a zero limit', { limit: 0 }, 'IncidentQuery.limit must be a whole number >= 1'],
  ])('refuses %s', (_name, change, message) => {
    // act
    const build = () => toRequestBody({ ...base, ...change });
    // assess
    expect(build).toThrow(RangeError);
    expect(build).toThrow(message);
  });
});

describe('readIncidentPage', () => {
  it('keeps total and next as received and counts the bytes given', () => {
    // act
    const page = readIncidentPage({ total: 5, next: null, incidents: [{ a: 1 }], extra: true }, 123, 'POST x');
    // assess
    expect(page).toEqual({ total: 5, next: null, incidents: [{ a: 1 }], bytes: 123 });
  });

  it('accepts a missing incidents list only beside total 0', () => {
    // act
    const empty = readIncidentPage({ total: 0, incidents: null }, 20, 'POST x');
    const bare = () => readIncidentPage({ next: 3 }, 10, 'POST x');
    // assess
    expect(empty.incidents).toEqual([]);
    expect(bare).toThrow('"incidents" is not an array');
  });

  it.each([
    [{ total: 1.5, incidents: [] }, '"total"'],
    [{ total: '3', incidents: [] }, '"total"'],
    [{ next: -2, incidents: [] }, '"next"'],
    [{ next: 2 ** 60, incidents: [] }, '"next"'],
    ['text', 'not a JSON object'],
    [null, 'not a JSON object'],
  ])('refuses %j as malformed and retryable', (json, what) => {
    // act
    let error: unknown;
    try {
      readIncidentPage(json, 1, 'POST https://h/v1/incidents');
    } catch (e) {
      error = e;
    }
    // assess
    expect(error).toMatchObject({ name: 'ApiError', status: 200, retryable: true });
    expect((error as Error).message).toMatch(/^Symantec API answered 200 to POST https:\/\/h\/v1\/incidents with a malformed response: /);
    expect((error as Error).message).toContain(what);
  });
});
