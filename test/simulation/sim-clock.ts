/**
 * The simulation's clock. Simulated time moves only when the code waits (`sleep`) or when the engine
 * charges the modelled cost of a call or jumps to the next scheduled tick, so a backoff of 30 s or an
 * outage of 31 days costs no real time. Concurrent sleepers overlap: two runs each sleeping a second
 * from the same instant wake one simulated second later, not two.
 */
import type { Clock } from '../../functions/clock.js';

export interface SimClock extends Clock {
  /** Jumps forward to `epochMs`; never backwards. */
  jumpTo(epochMs: number): void;
}

export function createSimClock(startMs: number): SimClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const wakeAtMs = nowMs + Math.max(0, ms);
        // A macrotask, not a microtask: I/O that is already under way gets to finish first, as it would
        // during a real wait, and a retry loop cannot starve the event loop.
        setImmediate(() => {
          if (signal?.aborted) return reject(signal.reason);
          nowMs = Math.max(nowMs, wakeAtMs);
          resolve();
        });
      }),
    jumpTo(epochMs) {
      nowMs = Math.max(nowMs, epochMs);
    },
  };
}
