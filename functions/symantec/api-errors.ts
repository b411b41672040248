/**
 * Turns an unwanted answer into an ApiError whose message says who answered what to which call, with
 * the API's own words (`{"message"}`, the gateway's `{"fault":{"faultstring"}}`, or OAuth's
 * `error_description`), scrubbed of any credential or token the server might echo.
 */
import { ApiError } from '../errors.js';
import { type HttpResult, ResponseTooLargeError } from './http-request.js';
import { isRetryableStatus, parseRetryAfterMs } from './retry-policy.js';
import { isAllowedApiUrl } from '../url-policy.js';

// Long enough for "Invalid query. Search is not allowed on field '...'" with a long field name; short
// enough that an HTML error page cannot flood a log line.
const MAX_DETAIL_CHARS = 300;

export type Redact = (text: string) => string;

/**
 * The API's explanation from an error body, or undefined when the body says nothing usable. `redact` runs
 * before the text is cut to length: a credential echoed across the cut would otherwise leave its first
 * characters, which no later redaction recognises.
 */
export function apiMessageOf(result: HttpResult, redact: Redact = (text) => text): string | undefined {
  const text = result.body.toString('utf8').trim();
  if (text === '') return undefined;
  let detail: unknown;
  try {
    const json: unknown = JSON.parse(text);
    detail = pickMessage(json);
  } catch {
    // A gateway may answer plain text; an HTML page is noise, not an explanation.
    const type = result.headers.get('content-type') ?? '';
    detail = type.includes('html') || text.startsWith('<') ? undefined : text;
  }
  if (typeof detail !== 'string') return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this strips from a message
  const flat = redact(detail.replace(/[\u0000-\u001f\u007f]+/g, ' ')).trim();
  if (flat === '') return undefined;
  return flat.length > MAX_DETAIL_CHARS ? `${flat.slice(0, MAX_DETAIL_CHARS)}...` : flat;
}

// RFC 6749's error codes are snake_case words (`invalid_client`); anything else in `error` is not quoted.
const OAUTH_ERROR_CODE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
// A token endpoint's own words are worth a line ("No client_id found [request id]"), no more.
const MAX_OAUTH_DESCRIPTION_CHARS = 160;

/**
 * What a token endpoint's error body may say in a message: its OAuth `error` code, and a short, scrubbed
 * description (`error_description`, the API's `message` or the gateway's `faultstring`). Never the raw body:
 * a token endpoint answering a refused secret is the likeliest place for that secret to be echoed.
 */
export function oauthMessageOf(result: HttpResult, redact: Redact): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(result.body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const code = typeof record.error === 'string' && OAUTH_ERROR_CODE.test(record.error) ? redact(record.error) : undefined;
  const fault = record.fault as Record<string, unknown> | undefined;
  const said = record.error_description ?? record.message ?? (typeof fault === 'object' && fault !== null ? fault.faultstring : undefined);
  let description: string | undefined;
  if (typeof said === 'string') {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this strips from a message
    const flat = redact(said.replace(/[\u0000-\u001f\u007f]+/g, ' ')).trim();
    description = flat.length > MAX_OAUTH_DESCRIPTION_CHARS ? `${flat.slice(0, MAX_OAUTH_DESCRIPTION_CHARS)}...` : flat;
  }
  return [code, description].filter((part) => part !== undefined && part !== '').join(': ') || undefined;
}

function pickMessage(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const fault = record.fault as Record<string, unknown> | undefined;
  return (
    record.message ??
    (typeof fault === 'object' && fault !== null ? fault.faultstring : undefined) ??
    record.error_description ??
    record.error
  );
}

/**
 * The error for a non-2xx answer. `hint` is appended for statuses where the user has something to fix.
 * Retry-After is read for every status: a 503 may carry one as well as a 429.
 */
export function statusError(
  result: HttpResult,
  context: {
    service: string;
    target: string;
    redact: Redact;
    now: number;
    hint?: string;
    retryable?: boolean;
    /** `oauth`: a token endpoint's answer, quoted only through `oauthMessageOf`. @default `api` */
    body?: 'api' | 'oauth';
  },
): ApiError {
  const detail = context.body === 'oauth' ? oauthMessageOf(result, context.redact) : apiMessageOf(result, context.redact);
  const head = `${context.service} answered ${result.status} to ${context.target}`;
  const message = context.redact([detail === undefined ? head : `${head}: ${detail}`, context.hint].filter(Boolean).join('; '));
  const retryAfterMs = parseRetryAfterMs(result.headers.get('retry-after'), context.now);
  return new ApiError(message, {
    status: result.status,
    retryable: context.retryable ?? isRetryableStatus(result.status),
    ...(retryAfterMs === undefined ? {} : { retryAfterSeconds: retryAfterMs / 1000 }),
  });
}

/**
 * A 3xx. Following it would either send the credentials to another host or, as fetch does across
 * origins, drop them and earn a 403; the global host redirects tenants of other regions this way. So the
 * answer is a configuration error naming where the server points to.
 */
export function redirectError(
  result: HttpResult,
  context: { service: string; target: string; requestUrl: URL; setting: string; redact: Redact; allowedHosts?: readonly string[] },
): ApiError {
  const location = result.headers.get('location');
  let where: string;
  let fix: string;
  try {
    if (location === null) throw new Error('no Location');
    const to = new URL(location, context.requestUrl);
    where = `redirects to ${to.origin}`;
    // Only a URL the settings would accept (a Symantec API host, or one the user allowed) is suggested: a
    // redirect must not talk anyone into sending the credentials somewhere else.
    if (to.origin === context.requestUrl.origin) fix = `check the path and scheme in ${context.setting}`;
    else if (isAllowedApiUrl(to, context.allowedHosts)) fix = `set ${context.setting} to ${to.origin} (the regional host of this tenant)`;
    else fix = `that is not a Symantec API host, so it is not suggested; check ${context.setting}`;
  } catch {
    where = location === null ? 'redirects without a Location' : 'redirects to an unreadable Location';
    fix = `check ${context.setting}`;
  }
  const message =
    `${context.service} answered ${result.status} to ${context.target}: it ${where}. ` +
    `Redirects are not followed with credentials; ${fix}`;
  return new ApiError(context.redact(message), { status: result.status, retryable: false });
}

/** `error` with its message scrubbed; a changed message also drops `cause`, which may hold the original. */
export function scrubError(error: unknown, redact: Redact): unknown {
  if (!(error instanceof ApiError)) return error;
  const message = redact(error.message);
  if (message === error.message) return error;
  if (error instanceof ResponseTooLargeError) return new ResponseTooLargeError(message, error.capBytes, error.declaredBytes, error.status);
  return new ApiError(message, {
    retryable: error.retryable,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
  });
}
