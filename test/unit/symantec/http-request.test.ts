import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/errors.js';
import { describeTarget, parseEndpointUrl } from '../../../functions/symantec/http-request.js';

describe('parseEndpointUrl', () => {
  it.each([
    'https://api.sep.securitycloud.symantec.com',
    'https://api.sep.eu.securitycloud.symantec.com/',
    'http://127.0.0.1:8080',
    'http://127.45.6.7',
    'http://localhost:3000/prefix',
    'http://[::1]:9000',
    '  https://api.sep.securitycloud.symantec.com  ',
  ])('accepts %s', (text) => {
    // act
    const url = parseEndpointUrl(text, 'SYMANTEC_API_URL');
    // assess
    expect(url).toBeInstanceOf(URL);
  });

  it.each([
    ['http://api.sep.securitycloud.symantec.com', 'must use https://'],
    ['http://10.1.2.3', 'must use https://'],
    ['http://localhost.example.com', 'must use https://'],
    ['http://128.0.0.1', 'must use https://'],
    ['file:///etc/passwd', 'must use https://'],
    ['api.sep.securitycloud.symantec.com', 'is not a URL'],
    ['https://user:Qz7vK2mW9xLp@api.sep.securitycloud.symantec.com', 'must not hold a user name or password'],
  ])('refuses %s', (text, why) => {
    // act
    let error: unknown;
    try {
      parseEndpointUrl(text, 'SYMANTEC_API_URL');
    } catch (e) {
      error = e;
    }
    // assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^SYMANTEC_API_URL/);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).not.toContain('Qz7vK2mW9xLp');
  });
});

describe('describeTarget', () => {
  it('names method, origin and path, never the query or user info', () => {
    // act
    const text = describeTarget('POST', new URL('https://u:p@h.example:8443/v1/incidents?x=1#f'));
    // assess
    expect(text).toBe('POST https://h.example:8443/v1/incidents');
  });
});
