import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiMessageOf, redirectError, statusError } from '../../../functions/symantec/api-errors.js';
import type { HttpResult } from '../../../functions/symantec/http-request.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const result = (status: number, body: string, headers: Record<string, string> = {}): HttpResult => ({
  status,
  headers: new Headers({ 'content-type': 'application/json', ...headers }),
  body: Buffer.from(body),
});
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const context = { service: 'Symantec API', target: 'POST https://h/v1/incidents', redact: (t: string) => t, now: NOW };

describe('apiMessageOf', () => {
  it.each([
    ['stixshifter_mock_error_400_invalid_query.json', "Invalid query. Search is not allowed on field 'Sdevice_location.desc'"],
    [
      'stixshifter_mock_error_401_invalid_credentials.json',
      'No client_id found [M2ID.XuSKt5Q3Rb6wSujIS9Rh7Q.PJblnny1Q4G26epFnNsnWg.201ol7b749n8446694c3hid7a7]',
    ],
    ['stixshifter_mock_error_404_apigee_wrong_path.json', 'Unable to identify proxy for host: secure and url: \\/v1\\/oauth2\\/token'],
  ])('reads the explanation in %s', (name, expected) => {
    // act
    const message = apiMessageOf(result(400, fixture(name)));
    // assess
    expect(message).toBe(expected);
  });

  it('reads an OAuth error_description', () => {
    // act
    const message = apiMessageOf(result(400, '{"error":"invalid_client","error_description":"Client authentication failed"}'));
    // assess
    expect(message).toBe('Client authentication failed');
  });

  it('keeps a short plain-text body and drops an HTML page', () => {
    // act
    const text = apiMessageOf(result(503, 'upstream connect error', { 'content-type': 'text/plain' }));
    const html = apiMessageOf(result(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' }));
    // assess
    expect(text).toBe('upstream connect error');
    expect(html).toBeUndefined();
  });

  it('flattens control characters and trims a long message', () => {
    // act
    const message = apiMessageOf(result(400, JSON.stringify({ message: `line one\nline two\r\n${'x'.repeat(500)}` })));
    // assess
    expect(message).toMatch(/^line one line two x+\.\.\.$/);
    expect(message?.length).toBe(303);
  });
});

describe('statusError', () => {
  it('carries the status, the Retry-After and the retryability of the status', () => {
    // act
    const error = statusError(result(429, '{"message":"Too many requests"}', { 'retry-after': '12' }), context);
    // assess
    expect(error).toMatchObject({
      message: 'Symantec API answered 429 to POST https://h/v1/incidents: Too many requests',
      status: 429,
      retryable: true,
      retryAfterSeconds: 12,
    });
  });

  it('says only who answered what when the body explains nothing', () => {
    // act
    const error = statusError(result(500, ''), { ...context, hint: 'try later' });
    // assess
    expect(error.message).toBe('Symantec API answered 500 to POST https://h/v1/incidents; try later');
  });
});

describe('redirectError', () => {
  const requestUrl = new URL('https://api.sep.securitycloud.symantec.com/v1/incidents');
  const redirectContext = {
    service: 'Symantec API',
    target: 'POST https://api.sep.securitycloud.symantec.com/v1/incidents',
    requestUrl,
    setting: 'SYMANTEC_API_URL',
    redact: (t: string) => t,
  };

  it('points to the path and scheme when the redirect stays on the same host', () => {
    // act
    const error = redirectError(result(301, '', { location: '/v2/incidents' }), redirectContext);
    // assess
    expect(error.message).toContain(
      'it redirects to https://api.sep.securitycloud.symantec.com. Redirects are not followed with credentials; ' +
        'check the path and scheme in SYMANTEC_API_URL',
    );
    expect(error.retryable).toBe(false);
  });

  it('says when a redirect names no Location', () => {
    // act
    const error = redirectError(result(302, ''), redirectContext);
    // assess
    expect(error.message).toContain('it redirects without a Location.');
  });
});
