/**
 * The largest incidents page this process can take in, from the memory it has: a page's body is held,
 * turned into a string, parsed into objects and mapped while the next page's body comes in, so a page
 * costs several times its size. Above the cap the pager asks for fewer rows per page instead.
 */

const MiB = 1024 * 1024;

/**
 * Peak RSS per byte of page body, with two pages in flight (one mapped, the next prefetched). Measured on
 * the handler bundle in its own process (Node 20; 2,000-row pages of the simulator's incidents with 17
 * events each, 46 MiB; 53 MB at rest):
 *
 *   heap limit                      page body   in flight   peak RSS   (peak - 53 MB) / body
 *   none (V8 default)               46 MiB      1           239 MB     4.0
 *   none                            46 MiB      2           389 MB     7.3
 *   none                            23 MiB      2           281 MB     9.9
 *   --max-old-space-size=230        46 MiB      2           365 MB     6.8
 *   --max-old-space-size=230        23 MiB      2           230 MB     7.7
 *   --max-old-space-size=230        19 MiB      2           254 MB     10.5  (narrowed from 46 MiB: the
 *                                                                            refused answer's bytes too)
 *
 * Without a heap limit V8 collects lazily and small pages look costlier than they are; under one the
 * ratio stays under 11 with the refused answer's bytes included. 10 keeps a 256 MB function at 19 MiB
 * pages, some 250 MB at worst; the heap limit, when tighter than the memory, lowers the cap further.
 */
export const RSS_PER_BODY_BYTE = 10;
/** What the process holds before any page: the runtime, the bundle, the SDK clients (53 MB measured), with room. */
export const BASELINE_BYTES = 64 * MiB;
/** Never below this: one incident with many events must still fit in a page of one row. */
export const MIN_RESPONSE_BYTES = 2 * MiB;
/** Never above this, whatever the memory: a larger answer could not be a page of the API's 2,000 rows. */
export const MAX_RESPONSE_BYTES = 64 * MiB;

export interface MemoryLimits {
  /** The function's memory in MB (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE` in Lambda); undefined elsewhere. */
  readonly functionMemoryMb?: number | undefined;
  /** V8's heap limit (`--max-old-space-size` sets it). */
  readonly heapLimitBytes?: number | undefined;
}

/** The response cap for the given limits: the tighter of the two, within the bounds above. */
export function responseCapBytes(limits: MemoryLimits): number {
  const budgets = [limits.functionMemoryMb === undefined ? undefined : limits.functionMemoryMb * MiB, limits.heapLimitBytes]
    .filter((bytes): bytes is number => bytes !== undefined && Number.isFinite(bytes) && bytes > 0)
    .map((bytes) => Math.floor((bytes - BASELINE_BYTES) / RSS_PER_BODY_BYTE));
  const cap = Math.min(MAX_RESPONSE_BYTES, ...budgets);
  return Math.max(MIN_RESPONSE_BYTES, cap);
}

/** This process's limits: the Lambda memory setting when there is one, and V8's heap limit. */
export function currentMemoryLimits(env: Readonly<Record<string, string | undefined>> = process.env): MemoryLimits {
  const memory = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  return {
    functionMemoryMb: Number.isFinite(memory) && memory > 0 ? memory : undefined,
    // Loaded when asked, at the first client, not at the cold start: importing node:v8 up front cost the
    // handler's require about a tenth of the bare SDK clients' time (npm run bench, cold start).
    heapLimitBytes: process.getBuiltinModule?.('node:v8')?.getHeapStatistics().heap_size_limit,
  };
}
