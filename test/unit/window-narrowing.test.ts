import { describe, expect, it } from 'vitest';
import { iso, narrowingShare, narrowWindow } from '../../functions/window.js';

const H = 3_600_000;

describe('narrowWindow with a share', () => {
  it('keeps the given share of the time span and restarts at offset 0', () => {
    expect(narrowWindow({ start: iso(0), end: iso(10 * H), next: 4000 }, 0.25)).toEqual({ start: iso(0), end: iso(2.5 * H), next: 0 });
  });

  it('keeps at least a millisecond, however small the share', () => {
    expect(narrowWindow({ start: iso(0), end: iso(10), next: 0 }, 0.01)).toEqual({ start: iso(0), end: iso(1), next: 0 });
  });

  it('refuses a share that keeps the whole window, and a window of one millisecond', () => {
    expect(narrowWindow({ start: iso(0), end: iso(H), next: 0 }, 1)).toBeUndefined();
    expect(narrowWindow({ start: iso(0), end: iso(1), next: 0 }, 0.072)).toBeUndefined();
  });
});

describe('narrowingShare', () => {
  it('aims at 80% of the threshold when the total is far above it', () => {
    // 100,000 rows in a day, threshold 9,000: keep 7,200 rows' worth, 7.2% of the day.
    expect(narrowingShare(100_000, 9_000)).toBeCloseTo(0.072, 6);
  });

  it('never keeps more than half, as a total equal to the API cap says nothing about the spread', () => {
    expect(narrowingShare(10_000, 9_000)).toBe(0.5);
    expect(narrowingShare(9_000, 9_000)).toBe(0.5);
  });
});
