/**
 * The client credentials, read from the secret's JSON. The object never shows its content: not in JSON,
 * not in `util.inspect`, not in an error. It also knows how to scrub its own values out of a text, so an
 * API that echoes what it was sent cannot carry a credential into a message.
 */
import { inspect } from 'node:util';
import { ConfigError } from '../errors.js';
import { SecretScrubber } from './secret-scrubber.js';

const EXPECTED =
  'the Symantec secret must be JSON with either "client_id" and "client_secret" (strings), ' +
  'or "oauth_credentials" (the base64 "OAuth credentials" string the console shows)';

// Standard base64 with optional padding: the console's "OAuth credentials" string, and what goes after
// `Basic ` in a header (RFC 7617), so nothing else may pass.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

// Shorter values are not scrubbed: replacing every "a" in a message would hide more than it protects,
// and no real client secret is that short.
const MIN_SCRUB_LENGTH = 6;

export class SymantecCredentials {
  readonly #basic: string;
  readonly #scrubber: SecretScrubber;

  /** @param basic base64(client_id:client_secret), as sent after `Basic `. */
  private constructor(basic: string, extraSecrets: readonly string[]) {
    this.#basic = basic;
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const fromPair = decoded.includes(':') ? [decoded, decoded.slice(decoded.indexOf(':') + 1)] : [decoded];
    this.#scrubber = new SecretScrubber([basic, ...fromPair, ...extraSecrets].filter((s) => s.length >= MIN_SCRUB_LENGTH));
  }

  static fromClientSecret(clientId: string, clientSecret: string): SymantecCredentials {
    // A colon in the id would move the split point the server uses (RFC 7617 splits at the first one).
    if (clientId.includes(':')) throw new ConfigError(`${EXPECTED}; "client_id" must not contain ":"`);
    const basic = Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
    return new SymantecCredentials(basic, [clientSecret]);
  }

  static fromOAuthCredentials(oauthCredentials: string): SymantecCredentials {
    if (!BASE64.test(oauthCredentials)) {
      throw new ConfigError(`${EXPECTED}; "oauth_credentials" is not a base64 string`);
    }
    return new SymantecCredentials(oauthCredentials, []);
  }

  /** The `Authorization` header value for the token request. */
  authorization(): string {
    return `Basic ${this.#basic}`;
  }

  /**
   * `text` with every credential value replaced, in any form a server may echo it in (see
   * `SecretScrubber`), and any `extra` value (e.g. an access token) replaced where it appears whole.
   */
  redact(text: string, extra: readonly string[] = []): string {
    let out = this.#scrubber.scrub(text);
    for (const secret of extra.filter((s) => s.length >= MIN_SCRUB_LENGTH)) {
      out = out.split(secret).join('[redacted]');
    }
    return out;
  }

  toJSON(): string {
    return '[SymantecCredentials]';
  }

  toString(): string {
    return '[SymantecCredentials]';
  }

  [inspect.custom](): string {
    return '[SymantecCredentials]';
  }
}

/**
 * Reads the secret string stored in Secrets Manager. Either form is accepted; surrounding whitespace
 * around the JSON and around each value is ignored (a pasted secret often ends in a newline). Other keys
 * are ignored, so a secret may carry a description. Errors say which keys are expected and never repeat
 * the secret or any part of it, not even through `cause` (a JSON.parse message quotes its input).
 */
export function parseCredentials(secretString: string): SymantecCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString.trim());
  } catch {
    throw new ConfigError(`${EXPECTED}; the secret is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${EXPECTED}; the secret is not a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const hasPair = 'client_id' in record || 'client_secret' in record;
  const hasOAuth = 'oauth_credentials' in record;
  if (hasPair && hasOAuth) {
    throw new ConfigError(`${EXPECTED}; the secret has both forms: keep one`);
  }
  if (hasOAuth) {
    return SymantecCredentials.fromOAuthCredentials(requireText(record, 'oauth_credentials'));
  }
  if (hasPair) {
    return SymantecCredentials.fromClientSecret(requireText(record, 'client_id'), requireText(record, 'client_secret'));
  }
  // The keys found are not listed: a secret pasted as a key would be echoed.
  throw new ConfigError(`${EXPECTED}; it has neither`);
}

function requireText(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new ConfigError(`${EXPECTED}; "${key}" is missing or not a string`);
  const trimmed = value.trim();
  if (trimmed === '') throw new ConfigError(`${EXPECTED}; "${key}" is empty`);
  return trimmed;
}
