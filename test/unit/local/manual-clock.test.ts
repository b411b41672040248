import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../local/manual-clock.js';

describe('createManualClock', () => {
  it('moves only when advanced', () => {
    const clock = createManualClock(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
  });

  it('never jumps backwards', () => {
    const clock = createManualClock(1_000);
    clock.set(500);
    expect(clock.now()).toBe(1_000);
  });

  it('wakes a sleeper once the clock passes its wake-up time', async () => {
    // prepare
    const clock = createManualClock(0);
    let woke = false;
    const sleeping = clock.sleep(1_000).then(() => {
      woke = true;
    });

    // act
    clock.advance(999);
    await Promise.resolve();
    const earlyState = woke;
    clock.advance(1);
    await sleeping;

    // assess
    expect(earlyState).toBe(false);
    expect(woke).toBe(true);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = createManualClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });
});
