/**
 * The OAuth client-credentials grant against `POST /v1/oauth2/tokens`, with the token cached until a
 * margin before it expires. Concurrent callers share one request; a 401 from a data call invalidates the
 * token so the next caller gets a fresh one.
 */
import { inspect } from 'node:util';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors.js';
import { redirectError, scrubError, statusError } from './api-errors.js';
import type { ClientEventListener } from './client-events.js';
import type { SymantecCredentials } from './credentials.js';
import { describeTarget, parseJsonBody, sendRequest, timeoutWithin } from './http-request.js';
import { type RetryPolicy, withRetry } from './retry-policy.js';

/** Tokens live one hour (spec, "Token"); used when an answer leaves `expires_in` out. */
const DEFAULT_LIFETIME_SECONDS = 3600;
/** Renew this long before expiry, so a token never expires between being read and being used. */
const RENEW_MARGIN_MS = 60_000;
/** A token answer is a few hundred bytes (a JWT at most a few KiB); anything near this is not one. */
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
/** RFC 6750's b64token is a subset of this; anything else could not be sent in a header. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;
const SERVICE = 'Symantec token endpoint';
/** Only recent tokens can be echoed back by the API; older ones have expired. */
const KEPT_FOR_SCRUBBING = 4;

export class AccessToken {
  readonly #value: string;
  constructor(
    value: string,
    /** Epoch ms on the provider's clock. */
    readonly expiresAt: number,
  ) {
    this.#value = value;
  }
  authorization(): string {
    return `Bearer ${this.#value}`;
  }
  /** For scrubbing only. */
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return '[AccessToken]';
  }
  [inspect.custom](): string {
    return '[AccessToken]';
  }
}

export interface TokenProviderOptions {
  readonly tokenUrl: URL;
  /** The setting that holds the token URL, named in error messages. */
  readonly tokenUrlSetting: string;
  /** Hosts besides Symantec's that the settings allow; a redirect there may be suggested. */
  readonly allowedApiHosts?: readonly string[];
  readonly credentials: SymantecCredentials;
  readonly clock: Clock;
  readonly random: () => number;
  readonly retry: RetryPolicy;
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
  readonly onEvent?: ClientEventListener;
}

export interface CallLimits {
  /** Epoch ms on the clock after which nothing more is started. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

export class TokenProvider {
  readonly #options: TokenProviderOptions;
  #cached: { token: AccessToken; renewAt: number } | undefined;
  #inflight: Promise<AccessToken> | undefined;
  /** The latest token values handed out, newest last, kept only to scrub them from messages. */
  readonly #issued: string[] = [];

  constructor(options: TokenProviderOptions) {
    this.#options = options;
  }

  /**
   * A valid token, from the cache or a new request. While a request is in flight, other callers wait for
   * it; its deadline and signal are those of the caller that started it.
   */
  async getToken(limits: CallLimits): Promise<AccessToken> {
    const cached = this.#cached;
    if (cached && this.#options.clock.now() < cached.renewAt) return cached.token;
    this.#inflight ??= this.#request(limits).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Drops `token` from the cache, unless a newer one replaced it already. */
  invalidate(token: AccessToken): void {
    if (this.#cached?.token === token) this.#cached = undefined;
  }

  /** `text` with the credentials and every issued token replaced. */
  redact(text: string): string {
    return this.#options.credentials.redact(text, this.#issued);
  }

  async #request(limits: CallLimits): Promise<AccessToken> {
    const { clock, tokenUrl } = this.#options;
    const target = describeTarget('POST', tokenUrl);
    try {
      return await withRetry(
        async () => {
          const result = await sendRequest(
            {
              method: 'POST',
              url: tokenUrl,
              headers: {
                authorization: this.#options.credentials.authorization(),
                'content-type': 'application/x-www-form-urlencoded',
                accept: 'application/json',
                'user-agent': this.#options.userAgent,
              },
              body: 'grant_type=client_credentials',
              timeoutMs: timeoutWithin(this.#options.requestTimeoutMs, limits.deadline, clock, target),
              maxResponseBytes: MAX_TOKEN_RESPONSE_BYTES,
              ...(limits.signal ? { signal: limits.signal } : {}),
            },
            this.#options,
          );
          if (result.status >= 300 && result.status < 400) {
            throw redirectError(result, {
              service: SERVICE,
              target,
              requestUrl: tokenUrl,
              setting: this.#options.tokenUrlSetting,
              redact: (t) => this.redact(t),
              allowedHosts: this.#options.allowedApiHosts ?? [],
            });
          }
          if (result.status < 200 || result.status >= 300) throw this.#statusError(result, target);
          return this.#accept(parseJsonBody(result, target, SERVICE), target);
        },
        {
          policy: this.#options.retry,
          clock,
          random: this.#options.random,
          deadline: limits.deadline,
          ...(limits.signal ? { signal: limits.signal } : {}),
          onRetry: ({ attempt, delayMs, error }) =>
            this.#options.onEvent?.({
              type: 'retry',
              path: tokenUrl.pathname,
              attempt,
              delayMs,
              reason: this.redact(reasonOf(error)),
            }),
        },
      );
    } catch (error) {
      throw scrubError(error, (t) => this.redact(t));
    }
  }

  #statusError(result: { status: number; headers: Headers; body: Buffer }, target: string): ApiError {
    const redact = (t: string) => this.redact(t);
    const context = { service: SERVICE, target, redact, now: this.#options.clock.now(), body: 'oauth' as const };
    switch (result.status) {
      case 400:
      case 401:
      case 403:
        // Bad credentials come as 401 ("No client_id found") or 400 ("Invalid Client token").
        return statusError(result, {
          ...context,
          retryable: false,
          hint: 'check client_id and client_secret (or oauth_credentials) in the Symantec secret',
        });
      case 404:
        return statusError(result, {
          ...context,
          retryable: false,
          hint: `the token URL is wrong: check ${this.#options.tokenUrlSetting} (the path is /v1/oauth2/tokens, plural)`,
        });
      default:
        return statusError(result, context);
    }
  }

  #accept(json: unknown, target: string): AccessToken {
    const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const value = body.access_token;
    if (typeof value !== 'string' || !HEADER_SAFE.test(value)) {
      // Malformed rather than refused: a gateway hiccup is the likely cause, so a retry may help.
      throw new ApiError(`${SERVICE} answered 200 to ${target} without a usable access_token`, { status: 200, retryable: true });
    }
    this.#issued.push(value);
    if (this.#issued.length > KEPT_FOR_SCRUBBING) this.#issued.shift();
    const lifetimeSeconds =
      typeof body.expires_in === 'number' && Number.isFinite(body.expires_in) && body.expires_in > 0
        ? body.expires_in
        : DEFAULT_LIFETIME_SECONDS;
    const now = this.#options.clock.now();
    const token = new AccessToken(value, now + lifetimeSeconds * 1000);
    // A token shorter-lived than twice the margin is renewed halfway through instead, or it would never be cached.
    const margin = Math.min(RENEW_MARGIN_MS, (lifetimeSeconds * 1000) / 2);
    this.#cached = { token, renewAt: token.expiresAt - margin };
    this.#options.onEvent?.({ type: 'token', expiresInSeconds: lifetimeSeconds });
    return token;
  }
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
