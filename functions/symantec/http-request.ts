/**
 * One HTTP exchange with Node's `fetch`, made safe for credentials: no redirect is ever followed (the
 * caller turns a 3xx into an error), every request has a timeout, and the response body is read as a
 * stream and cut off once it passes a byte cap, so an endless or oversized body cannot exhaust memory.
 */
import type { Clock } from '../clock.js';
import { ApiError, ConfigError } from '../errors.js';
import { apiHostProblem, urlProblem } from '../url-policy.js';
import type { ClientEventListener } from './client-events.js';

/**
 * An answer larger than the response cap. The same request would be as large next time, so it is not
 * retried; a page of fewer rows can pass (the pager asks for one).
 */
export class ResponseTooLargeError extends ApiError {
  constructor(
    message: string,
    readonly capBytes: number,
    /** The size the server declared (Content-Length), when it did. */
    readonly declaredBytes: number | undefined,
    status: number | undefined,
  ) {
    super(message, { retryable: false, ...(status === undefined ? {} : { status }) });
  }
}

export interface HttpCall {
  readonly method: 'POST';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Abort the exchange (headers and body) after this many milliseconds of real time. */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** The caller's own cancellation: its reason is rethrown as is, never retried. */
  readonly signal?: AbortSignal;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

export interface HttpObserver {
  readonly clock: Clock;
  readonly onEvent?: ClientEventListener;
}

/**
 * Parses and checks an endpoint URL by the same rules as the configuration (`url-policy.ts`): https to a
 * Symantec API host or to a host the settings allow, http only to a loopback host (the local simulator),
 * never user info. The message names the setting and only the URL's origin.
 */
export function parseEndpointUrl(text: string, setting: string, allowedHosts: readonly string[] = []): URL {
  const problem = urlProblem(text);
  if (problem !== undefined) {
    let shown = '';
    try {
      shown = `=${new URL(text.trim()).origin}`;
    } catch {
      // not a URL: nothing of it is shown
    }
    throw new ConfigError(`${setting}${shown} ${problem}`);
  }
  const url = new URL(text.trim());
  const hostProblem = apiHostProblem(url, allowedHosts);
  if (hostProblem !== undefined) throw new ConfigError(`${setting}=${url.origin} ${hostProblem}`);
  return url;
}

/** `POST https://host/path`: what error messages name. Never the query or user info. */
export function describeTarget(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}

/**
 * The timeout for the next request: the configured one, shortened so the request ends by the run's
 * deadline. With no time left the call is not started at all.
 */
export function timeoutWithin(requestTimeoutMs: number, deadline: number, clock: Clock, target: string): number {
  const remainingMs = deadline - clock.now();
  if (remainingMs <= 0) {
    throw new ApiError(`No time left before the run's deadline to start ${target}`, { retryable: true });
  }
  return Math.min(requestTimeoutMs, remainingMs);
}

export async function sendRequest(call: HttpCall, observer: HttpObserver): Promise<HttpResult> {
  const target = describeTarget(call.method, call.url);
  const timeout = AbortSignal.timeout(Math.max(1, call.timeoutMs));
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  const startedAt = observer.clock.now();
  let status: number | undefined;
  let bytes = 0;
  try {
    const response = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      redirect: 'manual',
      signal,
    });
    status = response.status;
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > call.maxResponseBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(target, status, call.maxResponseBytes, declared);
    }
    const body = await readCapped(
      response,
      call.maxResponseBytes,
      (n) => (bytes = n),
      () => tooLarge(target, status, call.maxResponseBytes),
    );
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (call.signal?.aborted) throw call.signal.reason;
    if (timeout.aborted) {
      throw new ApiError(`Request timed out after ${call.timeoutMs} ms: ${target}`, { retryable: true, ...statusOf(status) });
    }
    throw new ApiError(`Request failed: ${target}: ${networkReason(error)}`, {
      retryable: true,
      ...statusOf(status),
      cause: error,
    });
  } finally {
    observer.onEvent?.({
      type: 'request',
      method: call.method,
      path: call.url.pathname,
      status,
      durationMs: observer.clock.now() - startedAt,
      bytes,
    });
  }
}

/** Parses a JSON body. The parser's own message is dropped: it quotes the body, which may hold a token. */
export function parseJsonBody(result: HttpResult, target: string, service: string): unknown {
  try {
    return JSON.parse(result.body.toString('utf8'));
  } catch {
    const type = result.headers.get('content-type') ?? 'no content type';
    throw new ApiError(
      `${service} answered ${result.status} to ${target} with a body that is not valid JSON ` +
        `(${result.body.length} bytes, ${type.slice(0, 60)})`,
      { status: result.status, retryable: true },
    );
  }
}

async function readCapped(
  response: Response,
  maxBytes: number,
  progress: (bytes: number) => void,
  overflow: () => ResponseTooLargeError,
): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    progress(total);
    if (total > maxBytes) {
      // Cancelling closes the connection, so an endless body stops flowing here and now.
      await reader.cancel().catch(() => undefined);
      throw overflow();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(target: string, status: number | undefined, maxBytes: number, declared?: number): ResponseTooLargeError {
  // The same page would be as large next time: retrying cannot help, a smaller page can.
  return new ResponseTooLargeError(
    `Response to ${target} is larger than the ${maxBytes}-byte cap; lower PAGE_SIZE, turn INCLUDE_EVENTS off or give the function more memory`,
    maxBytes,
    declared,
    status,
  );
}

function statusOf(status: number | undefined): { status?: number } {
  return status === undefined ? {} : { status };
}

/** undici says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, "terminated") is in `cause`. */
function networkReason(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return (parts.join(': ') || String(error)).slice(0, 300);
}
