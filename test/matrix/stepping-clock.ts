import type { Clock } from '../../functions/clock.js';

/**
 * A simulated clock for scenarios spanning days: it stands still while a run works, and a `sleep` (a retry
 * backoff, a Retry-After) moves it forward at once instead of waiting. So two simulated days of scheduled
 * runs take seconds, and every wait the code makes still shows in the times it records.
 */
export interface SteppingClock extends Clock {
  /** Jumps to `epochMs`; a clock already past it (sleeps moved it) stays where it is. */
  advanceTo(epochMs: number): void;
  /** Simulated milliseconds spent in `sleep` so far. */
  readonly sleptMs: number;
}

export function createSteppingClock(startMs: number): SteppingClock {
  let nowMs = startMs;
  let sleptMs = 0;
  return {
    now: () => nowMs,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      const wait = Math.max(0, ms);
      nowMs += wait;
      sleptMs += wait;
      // Yield once, as a real timer would, so concurrent work interleaves the same way.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
    },
    advanceTo(epochMs) {
      nowMs = Math.max(nowMs, epochMs);
    },
    get sleptMs() {
      return sleptMs;
    },
  };
}
