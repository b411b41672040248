import type { Clock } from '../functions/clock.js';

/**
 * A clock that moves only when told to: tests use it to expire tokens and age data without waiting.
 * `sleep` resolves once the clock has been advanced past the wake-up time.
 */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` and wakes the sleepers that are due. */
  advance(ms: number): void;
  /** Jumps to `epochMs` (never backwards) and wakes the sleepers that are due. */
  set(epochMs: number): void;
}

export function createManualClock(startMs: number): ManualClock {
  let nowMs = startMs;
  const sleepers = new Set<{ wakeAt: number; wake: () => void }>();

  const wakeDue = () => {
    for (const sleeper of [...sleepers]) {
      if (sleeper.wakeAt <= nowMs) {
        sleepers.delete(sleeper);
        sleeper.wake();
      }
    }
  };

  return {
    now: () => nowMs,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper = {
          wakeAt: nowMs + Math.max(0, ms),
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers.delete(sleeper);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.add(sleeper);
        wakeDue();
      }),
    advance(ms) {
      nowMs += Math.max(0, ms);
      wakeDue();
    },
    set(epochMs) {
      nowMs = Math.max(nowMs, epochMs);
      wakeDue();
    },
  };
}
