/**
 * Faults queued by hand for the local emulators and proxies: each applies to the next `count` calls it
 * matches (1 by default; 0 or less queues nothing), first queued first.
 */
export interface QueuedFault {
  readonly count?: number;
}

export interface FaultQueue<F extends QueuedFault> {
  push(fault: F): void;
  /** The first queued fault that `matches` accepts, one of its calls used up; `undefined` when none does. */
  take(matches: (fault: F) => boolean): F | undefined;
  clear(): void;
}

export function createFaultQueue<F extends QueuedFault>(): FaultQueue<F> {
  const queue: { fault: F; left: number }[] = [];
  return {
    push(fault) {
      if ((fault.count ?? 1) > 0) queue.push({ fault, left: fault.count ?? 1 });
    },
    take(matches) {
      const entry = queue.find(({ fault }) => matches(fault));
      if (!entry) return undefined;
      entry.left -= 1;
      if (entry.left <= 0) queue.splice(queue.indexOf(entry), 1);
      return entry.fault;
    },
    clear() {
      queue.length = 0;
    },
  };
}
