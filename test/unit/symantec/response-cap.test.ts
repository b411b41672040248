import { describe, expect, it } from 'vitest';
import { narrowedPageSize } from '../../../functions/ingest/window-pager.js';
import {
  BASELINE_BYTES,
  MAX_RESPONSE_BYTES,
  MIN_RESPONSE_BYTES,
  RSS_PER_BODY_BYTE,
  responseCapBytes,
} from '../../../functions/symantec/response-cap.js';

const MiB = 1024 * 1024;

describe('responseCapBytes', () => {
  it('leaves the default 256 MB function room for two pages in flight: 19.2 MiB', () => {
    const cap = responseCapBytes({ functionMemoryMb: 256 });

    expect(cap).toBe(Math.floor(19.2 * MiB));
    expect(BASELINE_BYTES + RSS_PER_BODY_BYTE * cap).toBeLessThanOrEqual(256 * MiB);
  });

  it('scales with the memory, up to the 64 MiB that no page of 2,000 rows needs more than', () => {
    expect(responseCapBytes({ functionMemoryMb: 128 })).toBe(Math.floor(6.4 * MiB));
    expect(responseCapBytes({ functionMemoryMb: 512 })).toBe(Math.floor(44.8 * MiB));
    expect(responseCapBytes({ functionMemoryMb: 1024 })).toBe(MAX_RESPONSE_BYTES);
    expect(responseCapBytes({})).toBe(MAX_RESPONSE_BYTES);
  });

  it('takes the tighter of the function memory and the heap limit', () => {
    expect(responseCapBytes({ functionMemoryMb: 1024, heapLimitBytes: 144 * MiB })).toBe(8 * MiB);
    expect(responseCapBytes({ functionMemoryMb: 128, heapLimitBytes: 4096 * MiB })).toBe(Math.floor(6.4 * MiB));
  });

  it('never goes below the room one incident with many events needs', () => {
    expect(responseCapBytes({ functionMemoryMb: 64 })).toBe(MIN_RESPONSE_BYTES);
    expect(responseCapBytes({ heapLimitBytes: 16 * MiB })).toBe(MIN_RESPONSE_BYTES);
  });

  it('ignores limits that are not positive numbers', () => {
    expect(responseCapBytes({ functionMemoryMb: Number.NaN, heapLimitBytes: 0 })).toBe(MAX_RESPONSE_BYTES);
  });
});

describe('narrowedPageSize', () => {
  it('asks for rows in proportion to the cap, with a fifth to spare, when the size was declared', () => {
    expect(narrowedPageSize(2000, { capBytes: 24 * MiB, declaredBytes: 46 * MiB })).toBe(834);
  });

  it('halves the page when the size was not declared, or when the proportion would not shrink it enough', () => {
    expect(narrowedPageSize(2000, { capBytes: 24 * MiB, declaredBytes: undefined })).toBe(1000);
    expect(narrowedPageSize(2000, { capBytes: 24 * MiB, declaredBytes: 25 * MiB })).toBe(1000);
  });

  it('never goes below one row', () => {
    expect(narrowedPageSize(1, { capBytes: MiB, declaredBytes: 100 * MiB })).toBe(1);
    expect(narrowedPageSize(3, { capBytes: MiB, declaredBytes: 100 * MiB })).toBe(1);
  });
});
