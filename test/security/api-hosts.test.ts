/**
 * Where the client credentials may go: only to Symantec's API hosts unless a setting names another host,
 * plain http only to loopback, never with a user name or password in the URL. The configuration, the
 * synth and the API client refuse the same values, and no message prints more of a URL than its origin.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { ConfigError } from '../../functions/errors.js';
import { SymantecCredentials } from '../../functions/symantec/credentials.js';
import { redirectError } from '../../functions/symantec/api-errors.js';
import { createSymantecClient } from '../../functions/symantec/incidents-client.js';
import { parseIngestionConfig } from '../../lib/config.js';

const base = { SYMANTEC_SECRET_ID: 'secret', CHECKPOINT_TABLE: 'table', DELIVERY_STREAM: 'stream' };
const credentials = SymantecCredentials.fromClientSecret('id', 'a-client-secret-value');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

function synthProblems(source: Record<string, unknown>): string[] {
  try {
    parseIngestionConfig({ sources: [{ id: 'a', ...source }] });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe('the hosts credentials may be sent to', () => {
  const foreign = [
    'https://api.sep.securitycloud.symantec.com.attacker.example',
    'https://169.254.169.254',
    'https://attacker.example/v1',
    'https://securitycloud.symantec.com',
    'https://api.sep.eu.securitycloud.symantec.com.evil.example',
  ];
  const symantec = [
    'https://api.sep.securitycloud.symantec.com',
    'https://api.sep.eu.securitycloud.symantec.com',
    'https://api.sep.in.securitycloud.symantec.com/',
  ];

  it.each(foreign)('refuses %s in the function, the synth and the client alike', (url) => {
    for (const [variable, key] of [
      ['SYMANTEC_API_URL', 'apiUrl'],
      ['SYMANTEC_TOKEN_URL', 'tokenUrl'],
    ] as const) {
      const [problem] = problemsOf({ [variable]: url });
      expect(problem).toMatch(
        new RegExp(`^${variable}="${new URL(url).origin.replace(/[.]/g, '\\.')}" names the host .* which is not a Symantec API host`),
      );
      expect(synthProblems({ [key]: url })).toEqual([
        expect.stringMatching(new RegExp(`^symantecEdr\\.sources\\.0\\.${key}: names the host`)),
      ]);
    }
    expect(() => createSymantecClient({ apiUrl: url, credentials })).toThrow(/which is not a Symantec API host/);
    expect(() => createSymantecClient({ apiUrl: symantec[0]!, tokenUrl: url, credentials })).toThrow(
      /SYMANTEC_TOKEN_URL=.* which is not a Symantec API host/,
    );
  });

  it.each(symantec)('accepts the Symantec API host %s', (url) => {
    expect(problemsOf({ SYMANTEC_API_URL: url })).toEqual([]);
    expect(synthProblems({ apiUrl: url })).toEqual([]);
    expect(() => createSymantecClient({ apiUrl: url, credentials })).not.toThrow();
  });

  it('accepts another host only when a setting names it', () => {
    const gateway = 'https://edr-gateway.example.com';

    expect(problemsOf({ SYMANTEC_API_URL: gateway, ALLOWED_API_HOSTS: 'edr-gateway.example.com' })).toEqual([]);
    expect(synthProblems({ apiUrl: gateway, allowedApiHosts: ['edr-gateway.example.com'] })).toEqual([]);
    expect(() => createSymantecClient({ apiUrl: gateway, allowedApiHosts: ['edr-gateway.example.com'], credentials })).not.toThrow();
    expect(problemsOf({ ALLOWED_API_HOSTS: 'https://edr-gateway.example.com' })).toEqual([
      expect.stringMatching(/^ALLOWED_API_HOSTS=.* is not a host name/),
    ]);
  });

  it('refuses a user name or password in the URL and prints only its origin', () => {
    const [problem] = problemsOf({ SYMANTEC_API_URL: 'https://admin:hunter2-password@api.sep.securitycloud.symantec.com/v1?key=abc' });

    expect(problem).toBe(
      'SYMANTEC_API_URL="https://api.sep.securitycloud.symantec.com" must not hold a user name or password: the credentials come from the secret',
    );
    expect(synthProblems({ apiUrl: 'https://admin:pw@api.sep.securitycloud.symantec.com' })).toHaveLength(1);
    expect(() =>
      createSymantecClient({ apiUrl: 'https://admin:hunter2-password@api.sep.securitycloud.symantec.com', credentials }),
    ).toThrow(/^SYMANTEC_API_URL=https:\/\/api\.sep\.securitycloud\.symantec\.com must not hold a user name or password/);
  });
});

describe('a redirect', () => {
  const requestUrl = new URL('https://api.sep.securitycloud.symantec.com/v1/incidents');
  const redirect = (location: string) =>
    redirectError({ status: 302, headers: new Headers({ location }), body: Buffer.alloc(0) } as never, {
      service: 'Symantec API',
      target: 'POST x',
      requestUrl,
      setting: 'SYMANTEC_API_URL',
      redact: (t) => t,
    }).message;

  it('suggests the regional Symantec host it points to', () => {
    expect(redirect('https://api.sep.eu.securitycloud.symantec.com/v1/incidents')).toContain(
      'set SYMANTEC_API_URL to https://api.sep.eu.securitycloud.symantec.com (the regional host of this tenant)',
    );
  });

  it.each(['https://attacker.example/v1/incidents', 'https://169.254.169.254/latest', 'http://api.sep.eu.securitycloud.symantec.com/v1'])(
    'names but never suggests %s',
    (location) => {
      const message = redirect(location);
      expect(message).toContain(`it redirects to ${new URL(location).origin}`);
      expect(message).not.toContain('set SYMANTEC_API_URL to');
      expect(message).toContain('that is not a Symantec API host, so it is not suggested');
    },
  );
});
