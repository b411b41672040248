/**
 * When and how long to wait before trying a call again. The decision is a pure function
 * (`planRetry`) so its bounds can be proven by property tests; `withRetry` only applies it, and waits
 * through the Clock so a simulated clock drives every backoff.
 */
import type { Clock } from '../clock.js';
import { ApiError } from '../errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  /** The wait before the first retry; it doubles for each further retry. */
  readonly baseDelayMs: number;
  /** No backoff wait is longer than this. */
  readonly maxDelayMs: number;
  /** Share of each backoff wait drawn at random: 0 none, 1 anywhere from zero to the full wait. */
  readonly jitter: number;
  /** The longest `Retry-After` honoured; a longer one ends the attempts (the next run resumes). */
  readonly maxRetryAfterMs: number;
}

/**
 * Five attempts with 1, 2, 4, 8 s between them ride out a gateway restart in about 15 s. Half the wait
 * is jittered so that many sources scheduled at the same minute do not retry in step. A Retry-After
 * longer than a minute (the event-search sibling allows 500 requests an hour) is better spent ending the
 * run: the schedule brings the next one and it resumes at the checkpoint.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: 0.5,
  maxRetryAfterMs: 60_000,
});

/** 408 and 429 ask to come back later; 500, 502, 503, 504 are what gateways say when briefly unwell. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Only ApiErrors that say so: network errors, timeouts, retryable statuses, malformed bodies. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiError && error.retryable;
}

/**
 * Milliseconds to wait from a `Retry-After` value: delay-seconds or an HTTP-date (RFC 9110 10.2.3),
 * measured against `nowMs`. A date in the past means no wait; anything unreadable means no advice.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the IMF-fixdate shape (`Sun, 06 Nov 1994 08:49:37 GMT`): Date.parse accepts far too much.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The backoff wait before retry number `retry` (1 for the first retry); `random` is in [0, 1). */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(full - full * policy.jitter * random);
}

/** Wait and try again; or stop, rethrowing a retryable error with `giveUp` as the reason, any other as is. */
export type RetryPlan = { readonly delayMs: number } | { readonly giveUp: string | undefined };

/**
 * Whether to retry after attempt number `attempt` failed with `error`, and after how long. Never plans a
 * wait that ends at or past `deadline`: the caller would have no time left to make the call.
 */
export function planRetry(
  policy: RetryPolicy,
  input: { attempt: number; error: unknown; now: number; deadline: number; random: number },
): RetryPlan {
  if (!isRetryable(input.error)) return { giveUp: undefined };
  const tried = `gave up after ${input.attempt} attempt${input.attempt === 1 ? '' : 's'}`;
  if (input.attempt >= policy.maxAttempts) return { giveUp: tried };
  const retryAfterSeconds = (input.error as ApiError).retryAfterSeconds;
  let delayMs: number;
  if (retryAfterSeconds !== undefined) {
    delayMs = Math.ceil(retryAfterSeconds * 1000);
    if (delayMs > policy.maxRetryAfterMs) {
      const most = policy.maxRetryAfterMs / 1000;
      return { giveUp: `${tried}: the API asked to wait ${retryAfterSeconds} s, longer than the ${most} s a run waits` };
    }
  } else {
    delayMs = backoffDelayMs(policy, input.attempt, input.random);
  }
  if (input.now + delayMs >= input.deadline) {
    return { giveUp: `${tried}: waiting ${delayMs} ms more would pass the run's deadline` };
  }
  return { delayMs };
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  /** Returns a number in [0, 1); `Math.random` outside tests. */
  readonly random: () => number;
  /** Epoch milliseconds on `clock`. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  /** Narrows `isRetryable` (e.g. an error that already went through its own retries). */
  readonly shouldRetry?: (error: unknown) => boolean;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `operation` until it succeeds or the plan says stop. A retryable error that is given up on is
 * rethrown with the reason appended (same status and retryability, original as `cause`); any other error
 * is rethrown unchanged.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const allowed = options.shouldRetry?.(error) ?? true;
      const plan: RetryPlan = allowed
        ? planRetry(options.policy, {
            attempt,
            error,
            now: options.clock.now(),
            deadline: options.deadline,
            random: options.random(),
          })
        : { giveUp: undefined };
      if ('giveUp' in plan) throw plan.giveUp === undefined ? error : givenUp(error as ApiError, plan.giveUp);
      options.onRetry?.({ attempt, delayMs: plan.delayMs, error });
      await options.clock.sleep(plan.delayMs, options.signal);
    }
  }
}

function givenUp(error: ApiError, reason: string): ApiError {
  return new ApiError(`${error.message} (${reason})`, {
    retryable: error.retryable,
    cause: error,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
  });
}
