import { randomBytes } from 'node:crypto';
import type { Clock } from '../functions/clock.js';

/**
 * The simulator's OAuth side: checks the client's Basic credentials and keeps the opaque bearer tokens
 * it issued with their expiry on the clock (the API issues no refresh tokens).
 */

export type TokenState = 'valid' | 'expired' | 'unknown';

export interface TokenIssuer {
  /** Whether an `Authorization` header carries the configured client's Basic credentials. */
  isClient(authorization: string | undefined): boolean;
  issue(): { accessToken: string; expiresInSeconds: number };
  check(accessToken: string | undefined): TokenState;
  revoke(accessToken: string): void;
}

export function createTokenIssuer(options: { clock: Clock; ttlMs: number; clientId: string; clientSecret: string }): TokenIssuer {
  const { clock, ttlMs } = options;
  const expected = `${options.clientId}:${options.clientSecret}`;
  const tokens = new Map<string, number>();
  return {
    isClient(authorization) {
      const encoded = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      return encoded !== undefined && Buffer.from(encoded, 'base64').toString('utf8') === expected;
    },
    issue() {
      // Expired tokens are forgotten here so a month-long simulation does not pile them up; until then a
      // client presenting one is told it expired rather than that it is unknown.
      for (const [token, expiresAt] of tokens) if (expiresAt + ttlMs <= clock.now()) tokens.delete(token);
      const accessToken = randomBytes(24).toString('base64url');
      tokens.set(accessToken, clock.now() + ttlMs);
      return { accessToken, expiresInSeconds: ttlMs / 1000 };
    },
    check(accessToken) {
      const expiresAt = accessToken === undefined ? undefined : tokens.get(accessToken);
      if (expiresAt === undefined) return 'unknown';
      return expiresAt > clock.now() ? 'valid' : 'expired';
    },
    revoke: (accessToken) => void tokens.delete(accessToken),
  };
}
