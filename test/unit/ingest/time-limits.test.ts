import { describe, expect, it } from 'vitest';
import { runTimeLimits } from '../../../functions/ingest/wiring.js';

describe('the time limits of a run', () => {
  it.each([
    // remaining time, margin kept before it: 10% of the time, at least 5 s and at most 30 s
    [6_000, 5_000],
    [100_000, 10_000],
    [300_000, 30_000],
    [900_000, 30_000],
  ])('with %i ms left, stop paging %i ms before the end', (remainingMs, marginMs) => {
    const limits = runTimeLimits(1_000_000, remainingMs);

    expect(limits.deadlineMs).toBe(1_000_000 + remainingMs - marginMs);
  });

  it('keep the lease a minute past the invocation, so only a run that died leaves it to expire', () => {
    expect(runTimeLimits(0, 300_000).leaseMs).toBe(360_000);
  });
});
