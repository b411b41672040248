/** Runs `work` over `items` with at most `limit` in flight; resolves in input order, rejects on the first error. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Resolves after the event loop's current turn, once pending I/O callbacks have run: a request just
 * started reaches its socket, or an error event already on its way arrives, before the caller goes on.
 * (Node's `timers/promises` has the same, at the cost of loading it at every cold start.)
 */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
