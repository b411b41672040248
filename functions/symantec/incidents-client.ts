/**
 * The Symantec incidents API client: one page per call, with the token, retries, timeouts, caps and
 * redirect rules applied. Paging decisions stay with the caller (`paging.ts`), which sees each page's
 * raw `total` and `next`.
 */
import { type Clock, systemClock } from '../clock.js';
import { nextTurn } from '../concurrency.js';
import { parseDurationMs } from '../duration.js';
import type { ApiError } from '../errors.js';
import { SETTINGS } from '../settings.js';
import { redirectError, scrubError, statusError } from './api-errors.js';
import type { ClientEventListener } from './client-events.js';
import type { SymantecCredentials } from './credentials.js';
import { describeTarget, type HttpResult, parseEndpointUrl, parseJsonBody, sendRequest, timeoutWithin } from './http-request.js';
import { type IncidentPage, type IncidentQuery, readIncidentPage, toRequestBody } from './incident-page.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from './retry-policy.js';
import { type CallLimits, TokenProvider, type AccessToken, reasonOf } from './token-provider.js';

export type { CallLimits } from './token-provider.js';

/** A page request's limits, and who to tell when its body has arrived. */
export interface PageCallLimits extends CallLimits {
  /**
   * Called when an answer's body has arrived, before it is parsed (again for each attempt that gets
   * that far), so the caller can start its next request without waiting for the parse.
   */
  readonly onReceived?: () => void;
}
export type { IncidentPage, IncidentQuery } from './incident-page.js';

export interface SymantecClientOptions {
  /** The API base, e.g. `https://api.sep.securitycloud.symantec.com`; a path prefix is kept. */
  readonly apiUrl: string;
  /** The token endpoint; defaults to the API base plus `/v1/oauth2/tokens`. */
  readonly tokenUrl?: string;
  /** Hosts besides Symantec's API hosts that the credentials may be sent to (`ALLOWED_API_HOSTS`). @default none */
  readonly allowedApiHosts?: readonly string[];
  readonly credentials: SymantecCredentials;
  /** Drives backoff waits, token expiry and durations; defaults to the system clock. */
  readonly clock?: Clock;
  /** The jitter source, returning [0, 1); defaults to `Math.random`. */
  readonly random?: () => number;
  /** Overrides parts of `DEFAULT_RETRY_POLICY`. */
  readonly retry?: Partial<RetryPolicy>;
  /** Real-time limit on one request, headers and body; see `CLIENT_DEFAULTS`. */
  readonly requestTimeoutMs?: number;
  /** Cap on one response body, after content decoding; see `CLIENT_DEFAULTS`. */
  readonly maxResponseBytes?: number;
  readonly userAgent?: string;
  /** Requests, retries and tokens, for logs and metrics; never a credential or token in them. */
  readonly onEvent?: ClientEventListener;
}

export const CLIENT_DEFAULTS = Object.freeze({
  // The setting's own default: one definition (functions/settings.ts).
  requestTimeoutMs: parseDurationMs(SETTINGS.requestTimeoutMs.fallback) as number,
  // A page of the 2,000-row maximum with events: the public samples run 1.2 KB per incident without
  // events and 2.4 KB with one event, so 64 MiB leaves room for about 30 KiB per incident (some 20
  // events each) before the cap stops an answer that could not be a page.
  maxResponseBytes: 64 * 1024 * 1024,
  userAgent: 'symantec-edr-cloud-ingest',
});

/** How long `checkToken` may take when the caller gives no deadline: a person is waiting for `check`. */
const CHECK_TOKEN_DEADLINE_MS = 120_000;
const SERVICE = 'Symantec API';
const API_SETTING = 'SYMANTEC_API_URL';

export interface SymantecClient {
  /** Fetches one page. Throws ApiError (status, API message, `retryable`) or the signal's reason. */
  fetchIncidentPage(query: IncidentQuery, limits: PageCallLimits): Promise<IncidentPage>;
  /** Gets a token (cached or new) and says how long it remains valid. */
  checkToken(limits?: CallLimits): Promise<{ expiresInSeconds: number }>;
}

/** Builds a client. Throws ConfigError for a URL the credentials may not go to (see `url-policy.ts`). */
export function createSymantecClient(options: SymantecClientOptions): SymantecClient {
  const allowed = options.allowedApiHosts ?? [];
  const apiUrl = parseEndpointUrl(options.apiUrl, API_SETTING, allowed);
  const incidentsUrl = new URL(`${apiUrl.pathname.replace(/\/+$/, '')}/v1/incidents`, apiUrl.origin);
  const defaultTokenUrl = new URL(`${apiUrl.pathname.replace(/\/+$/, '')}/v1/oauth2/tokens`, apiUrl.origin);
  const tokenUrl = options.tokenUrl === undefined ? defaultTokenUrl : parseEndpointUrl(options.tokenUrl, 'SYMANTEC_TOKEN_URL', allowed);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const policy = checkedPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
  const requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs);
  const maxResponseBytes = positive('maxResponseBytes', options.maxResponseBytes ?? CLIENT_DEFAULTS.maxResponseBytes);
  const userAgent = options.userAgent ?? CLIENT_DEFAULTS.userAgent;
  const observer = { clock, ...(options.onEvent ? { onEvent: options.onEvent } : {}) };
  const tokens = new TokenProvider({
    tokenUrl,
    // A token URL derived from the API base is fixed by fixing the base.
    tokenUrlSetting: tokenUrl.href === defaultTokenUrl.href ? API_SETTING : 'SYMANTEC_TOKEN_URL',
    allowedApiHosts: allowed,
    credentials: options.credentials,
    random,
    retry: policy,
    requestTimeoutMs,
    userAgent,
    ...observer,
  });
  const redact = (text: string) => tokens.redact(text);
  const target = describeTarget('POST', incidentsUrl);

  async function post(body: string, token: AccessToken, limits: CallLimits): Promise<HttpResult> {
    return sendRequest(
      {
        method: 'POST',
        url: incidentsUrl,
        headers: {
          authorization: token.authorization(),
          'content-type': 'application/json',
          accept: 'application/json',
          'user-agent': userAgent,
        },
        body,
        timeoutMs: timeoutWithin(requestTimeoutMs, limits.deadline, clock, target),
        maxResponseBytes,
        ...(limits.signal ? { signal: limits.signal } : {}),
      },
      observer,
    );
  }

  function failure(result: HttpResult, query: IncidentQuery): ApiError {
    if (result.status >= 300 && result.status < 400) {
      return redirectError(result, {
        service: SERVICE,
        target,
        requestUrl: incidentsUrl,
        setting: API_SETTING,
        redact,
        allowedHosts: allowed,
      });
    }
    const context = { service: SERVICE, target, redact, now: clock.now() };
    switch (result.status) {
      case 400:
        return statusError(result, query.query ? { ...context, hint: 'check QUERY and the window' } : context);
      case 401:
        // Only reached after the one renewal this call allows.
        return statusError(result, { ...context, retryable: false, hint: 'a new token was refused as well' });
      case 403:
        return statusError(result, {
          ...context,
          hint:
            'the client application may lack the permission to read incidents, ' +
            `or the tenant lives on another regional host (${API_SETTING})`,
        });
      case 404:
        return statusError(result, { ...context, hint: `check ${API_SETTING}` });
      default:
        return statusError(result, context);
    }
  }

  async function fetchIncidentPage(query: IncidentQuery, limits: PageCallLimits): Promise<IncidentPage> {
    const body = JSON.stringify(toRequestBody(query));
    let renewed = false;
    // A token failure already went through the token provider's own retries.
    let tokenFailure: unknown;
    const getToken = async () => {
      try {
        return await tokens.getToken(limits);
      } catch (error) {
        tokenFailure = error;
        throw error;
      }
    };
    try {
      return await withRetry(
        async () => {
          let token = await getToken();
          let result = await post(body, token, limits);
          if (result.status === 401 && !renewed) {
            // Tokens can be revoked or expire early; the spec asks for one new token and one more try.
            renewed = true;
            tokens.invalidate(token);
            token = await getToken();
            result = await post(body, token, limits);
          }
          if (result.status < 200 || result.status >= 300) throw failure(result, query);
          if (limits.onReceived) {
            limits.onReceived();
            // Let a request started there reach the socket before the parse holds the event loop.
            await nextTurn();
          }
          return readIncidentPage(parseJsonBody(result, target, SERVICE), result.body.length, target);
        },
        {
          policy,
          clock,
          random,
          deadline: limits.deadline,
          ...(limits.signal ? { signal: limits.signal } : {}),
          shouldRetry: (error) => error !== tokenFailure,
          onRetry: ({ attempt, delayMs, error }) => {
            const reason = redact(reasonOf(error));
            options.onEvent?.({ type: 'retry', path: incidentsUrl.pathname, attempt, delayMs, reason });
          },
        },
      );
    } catch (error) {
      throw scrubError(error, redact);
    }
  }

  async function checkToken(limits?: CallLimits): Promise<{ expiresInSeconds: number }> {
    const token = await tokens.getToken(limits ?? { deadline: clock.now() + CHECK_TOKEN_DEADLINE_MS });
    return { expiresInSeconds: Math.max(0, Math.floor((token.expiresAt - clock.now()) / 1000)) };
  }

  return { fetchIncidentPage, checkToken };
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function checkedPolicy(policy: RetryPolicy): RetryPolicy {
  if (!(Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1)) {
    throw new RangeError(`retry.maxAttempts must be a whole number >= 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw new RangeError(`retry.jitter must be from 0 to 1, got ${policy.jitter}`);
  for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!(Number.isFinite(policy[key]) && policy[key] >= 0)) {
      throw new RangeError(`retry.${key} must be >= 0, got ${policy[key]}`);
    }
  }
  return Object.freeze(policy);
}
