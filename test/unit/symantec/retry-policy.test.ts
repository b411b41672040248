import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../functions/clock.js';
import { ApiError } from '../../../functions/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  backoffDelayMs,
  isRetryable,
  parseRetryAfterMs,
  planRetry,
  withRetry,
} from '../../../functions/symantec/retry-policy.js';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

const arbitraryPolicy: fc.Arbitrary<RetryPolicy> = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 10 }),
  baseDelayMs: fc.integer({ min: 0, max: 5_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 60_000 }),
  jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  maxRetryAfterMs: fc.integer({ min: 0, max: 300_000 }),
});
const arbitraryRandom = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time: number) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

describe('parseRetryAfterMs', () => {
  it.each([
    ['7', 7_000],
    [' 0 ', 0],
    ['Wed, 01 May 2024 12:00:09 GMT', 9_000],
    ['Wed, 01 May 2024 11:59:00 GMT', 0],
  ])('reads %j as %i ms', (value, expected) => {
    // act
    const ms = parseRetryAfterMs(value, NOW);
    // assess
    expect(ms).toBe(expected);
  });

  it.each([null, '', 'soon', '-5', '1.5', '2024-05-01T12:00:09Z'])('ignores %j', (value) => {
    // act
    const ms = parseRetryAfterMs(value, NOW);
    // assess
    expect(ms).toBeUndefined();
  });
});

describe('retry decisions', () => {
  it('retries only ApiErrors that say they are retryable', () => {
    // act
    const decisions = [
      new ApiError('a', { status: 503, retryable: true }),
      new ApiError('b', { status: 400, retryable: false }),
      new Error('plain'),
      new DOMException('aborted', 'AbortError'),
    ].map(isRetryable);
    // assess
    expect(decisions).toEqual([true, false, false, false]);
  });

  it('doubles the backoff from the base up to the maximum', () => {
    // act
    const delays = [1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelayMs(DEFAULT_RETRY_POLICY, retry, 0));
    // assess
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('plans waits that stay within the bounds and end before the deadline', () => {
    fc.assert(
      fc.property(
        arbitraryPolicy,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 600_000 }),
        arbitraryRandom,
        fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
        (policy, attempt, remainingMs, random, retryAfterSeconds) => {
          // prepare
          const advice = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
          const error = new ApiError('busy', { status: 503, retryable: true, ...advice });
          // act
          const plan = planRetry(policy, { attempt, error, now: NOW, deadline: NOW + remainingMs, random });
          // assess
          if ('delayMs' in plan) {
            expect(attempt).toBeLessThan(policy.maxAttempts);
            expect(NOW + plan.delayMs).toBeLessThan(NOW + remainingMs);
            expect(plan.delayMs).toBeGreaterThanOrEqual(0);
            if (retryAfterSeconds === undefined) {
              const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
              expect(plan.delayMs).toBeLessThanOrEqual(full);
              expect(plan.delayMs).toBeGreaterThanOrEqual(Math.floor(full * (1 - policy.jitter)));
            } else {
              expect(plan.delayMs).toBe(retryAfterSeconds * 1000);
              expect(plan.delayMs).toBeLessThanOrEqual(policy.maxRetryAfterMs);
            }
          }
        },
      ),
    );
  });

  it('never sleeps past the deadline however often a call fails', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryPolicy, fc.integer({ min: 0, max: 120_000 }), arbitraryRandom, async (policy, remainingMs, random) => {
        // prepare
        const clock = new RecordingClock(NOW);
        let calls = 0;
        const failing = async () => {
          calls += 1;
          throw new ApiError('busy', { status: 503, retryable: true });
        };
        // act
        const error = await withRetry(failing, { policy, clock, random: () => random, deadline: NOW + remainingMs }).catch(
          (e: unknown) => e,
        );
        // assess
        expect(error).toBeInstanceOf(ApiError);
        expect(clock.now()).toBeLessThan(NOW + Math.max(1, remainingMs));
        expect(calls).toBeLessThanOrEqual(policy.maxAttempts);
        expect(clock.sleeps).toHaveLength(calls - 1);
      }),
    );
  });

  it('rethrows an error that is not retryable unchanged and without waiting', async () => {
    // prepare
    const clock = new RecordingClock(NOW);
    const refused = new ApiError('no', { status: 400, retryable: false });
    // act
    const error = await withRetry(
      async () => {
        throw refused;
      },
      { policy: DEFAULT_RETRY_POLICY, clock, random: () => 0, deadline: NOW + 60_000 },
    ).catch((e: unknown) => e);
    // assess
    expect(error).toBe(refused);
    expect(clock.sleeps).toEqual([]);
  });

  it('keeps status, retryability and the original as cause when it gives up', async () => {
    // prepare
    const clock = new RecordingClock(NOW);
    const busy = new ApiError('busy', { status: 429, retryable: true, retryAfterSeconds: 2 });
    // act
    const error = await withRetry(
      async () => {
        throw busy;
      },
      { policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 }, clock, random: () => 0, deadline: NOW + 60_000 },
    ).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({
      message: 'busy (gave up after 2 attempts)',
      status: 429,
      retryable: true,
      retryAfterSeconds: 2,
      cause: busy,
    });
    expect(clock.sleeps).toEqual([2_000]);
  });
});
