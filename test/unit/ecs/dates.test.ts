import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, readEpochMillis, readIsoDate } from '../../../functions/ecs/dates.js';
import { isoDateCase } from '../../support/incident-arbitrary.js';

// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in epoch milliseconds (`new Date('0000-01-01T00:00:00Z')`).
const FIRST_MS = -62_167_219_200_000;
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('formatInstant', () => {
  it('writes what Date#toISOString writes for every instant of years 0000-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_MS, max: LAST_MS }), (ms) => formatInstant(ms) === new Date(ms).toISOString()),
      { numRuns: 5000 },
    );
  });

  it('writes the first and last instants of the format', () => {
    expect(formatInstant(FIRST_MS)).toBe('0000-01-01T00:00:00.000Z');
    expect(formatInstant(LAST_MS)).toBe('9999-12-31T23:59:59.999Z');
  });

  it('refuses instants outside the format', () => {
    expect(formatInstant(FIRST_MS - 1)).toBeUndefined();
    expect(formatInstant(LAST_MS + 1)).toBeUndefined();
    expect(formatInstant(Number.NaN)).toBeUndefined();
    expect(formatInstant(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('cuts fractions of a millisecond', () => {
    expect(formatInstant(1682545570400.9)).toBe('2023-04-26T21:46:10.400Z');
  });
});

describe('readEpochMillis', () => {
  it.each([
    [1682545570400, '2023-04-26T21:46:10.400Z'],
    ['1682545570400', '2023-04-26T21:46:10.400Z'],
    [0, '1970-01-01T00:00:00.000Z'],
    ['0', '1970-01-01T00:00:00.000Z'],
  ])('reads %j', (value, expected) => {
    expect(readEpochMillis(value)).toBe(expected);
  });

  it('gives each value its own reading, also right after another value', () => {
    // The last reading is kept for the next call: a different value, even an equal-looking one, is read anew.
    const values: unknown[] = [1682545570400, 1682545570400, '1682545570400', 1682545570401, 'x', 'x', Number.NaN, 0, '0', 0];

    const readings = values.map((value) => readEpochMillis(value));

    expect(readings).toEqual([
      '2023-04-26T21:46:10.400Z',
      '2023-04-26T21:46:10.400Z',
      '2023-04-26T21:46:10.400Z',
      '2023-04-26T21:46:10.401Z',
      undefined,
      undefined,
      undefined,
      '1970-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
    ]);
  });

  it.each([
    ['-1682545570400'],
    ['1682545570400.5'],
    [' 1682545570400'],
    [''],
    ['2023-04-26T21:46:10.400Z'],
    ['9'.repeat(16)],
    [true],
    [null],
    [{}],
    [1e20],
  ])('refuses %j', (value) => {
    expect(readEpochMillis(value)).toBeUndefined();
  });
});

describe('readIsoDate', () => {
  it.each([
    ['2023-04-26T21:46:10.400+00:00', '2023-04-26T21:46:10.400Z'],
    ['2023-04-26T21:46:10.400Z', '2023-04-26T21:46:10.400Z'],
    ['2023-04-26T21:46:10Z', '2023-04-26T21:46:10.000Z'],
    ['2023-04-26T21:46:10.4Z', '2023-04-26T21:46:10.400Z'],
    ['2023-04-26T21:46:10.45Z', '2023-04-26T21:46:10.450Z'],
    ['2023-04-26T21:46:10.123456789Z', '2023-04-26T21:46:10.123Z'],
    ['2023-04-26T21:46:10,123Z', '2023-04-26T21:46:10.123Z'],
    ['2023-04-26T23:46:10.400+02:00', '2023-04-26T21:46:10.400Z'],
    ['2023-04-26T23:46:10.400+0200', '2023-04-26T21:46:10.400Z'],
    ['2023-04-26T23:46:10.400+02', '2023-04-26T21:46:10.400Z'],
    ['2023-04-26T16:16:10.400-05:30', '2023-04-26T21:46:10.400Z'],
    ['2023-04-26T21:46:10.400', '2023-04-26T21:46:10.400Z'],
    ['2023-04-26T21:46Z', '2023-04-26T21:46:00.000Z'],
    ['2023-04-26t21:46:10z', '2023-04-26T21:46:10.000Z'],
    ['2023-04-26', '2023-04-26T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-01-01T00:30:00+01:00', '1999-12-31T23:30:00.000Z'],
    ['0050-03-01T00:00:00Z', '0050-03-01T00:00:00.000Z'],
    ['0000-02-29T00:00:00Z', '0000-02-29T00:00:00.000Z'],
    ['2000-02-29T23:59:59.999+00:00', '2000-02-29T23:59:59.999Z'],
    ['0000-02-29T00:00:00.000Z', '0000-02-29T00:00:00.000Z'],
  ])('reads %s', (text, expected) => {
    expect(readIsoDate(text)).toBe(expected);
  });

  it.each([
    ['2023-02-29T00:00:00Z'],
    // The API's own spelling takes a shorter way: the same limits hold there.
    ['2023-02-29T00:00:00.000+00:00'],
    ['1900-02-29T00:00:00.000Z'],
    ['2023-13-01T00:00:00.000Z'],
    ['2023-00-10T00:00:00.000+00:00'],
    ['2023-04-00T00:00:00.000Z'],
    ['2023-04-31T00:00:00.000+00:00'],
    ['2023-04-26T24:00:00.000Z'],
    ['2023-04-26T21:60:00.000+00:00'],
    ['2023-04-26T21:46:60.000Z'],
    ['2023-04-26T21:46:10.400+00:00\n'],
    ['2023-13-01T00:00:00Z'],
    ['2023-04-31T00:00:00Z'],
    ['2023-04-26T24:00:00Z'],
    ['2023-04-26T21:60:00Z'],
    ['2023-04-26T21:46:60Z'],
    ['2023-04-26T21:46:10.Z'],
    ['2023-04-26T21:46:10.1234567890Z'],
    ['2023-04-26T21:46:10+24:00'],
    ['2023-04-26T21:46:10+02:60'],
    ['2023-04-26T21:46:10+2'],
    ['2023-04-26T21:46:10 +02:00'],
    ['2023-04-26 21:46:10Z'],
    ['2023-04-26T21'],
    ['2023/04/26'],
    ['0000-01-01T00:00:00+00:01'],
    ['9999-12-31T23:59:59.999-00:01'],
    ['yesterday'],
    [''],
    [1682545570400],
  ])('refuses %j', (value) => {
    expect(readIsoDate(value)).toBeUndefined();
  });

  it('reads any offset and any number of fraction digits to the same instant', () => {
    fc.assert(
      fc.property(isoDateCase, ({ text, expected }) => readIsoDate(text) === expected),
      { numRuns: 2000 },
    );
  });
});
