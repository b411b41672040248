import { describe, expect, it } from 'vitest';
import { parseUrlParts } from '../../../functions/ecs/url-parts.js';

const CONSOLE_URL = 'https://sep.securitycloud.symantec.com/v2/incidents/incidentListing/8e7edfb1-27d2-4837-98ca-e7d794119c3b/details';

describe('parseUrlParts', () => {
  it('splits a console link as the reference does', () => {
    expect(parseUrlParts(CONSOLE_URL)).toStrictEqual({
      original: CONSOLE_URL,
      scheme: 'https',
      domain: 'sep.securitycloud.symantec.com',
      path: '/v2/incidents/incidentListing/8e7edfb1-27d2-4837-98ca-e7d794119c3b/details',
    });
  });

  it('writes every part uri_parts writes, with the port as a number', () => {
    const url = 'https://user:pw@testing.google.com:8080/foo/bar.txt?foo1=bar1&foo2=bar2#anchorVal';

    expect(parseUrlParts(url)).toStrictEqual({
      original: url,
      scheme: 'https',
      username: 'user',
      password: 'pw',
      domain: 'testing.google.com',
      port: 8080,
      path: '/foo/bar.txt',
      extension: 'txt',
      query: 'foo1=bar1&foo2=bar2',
      fragment: 'anchorVal',
    });
  });

  it.each([
    ['keeps a default port as written', 'https://host:443/', { port: 443 }],
    ['keeps the case of scheme and host', 'HTTPS://Sep.Example.COM/A', { scheme: 'HTTPS', domain: 'Sep.Example.COM', path: '/A' }],
    [
      'decodes percent escapes in path, query and fragment',
      'https://h/a%20b/c%2Fd?q=%41#%42',
      { path: '/a b/c/d', query: 'q=A', fragment: 'B' },
    ],
    ['keeps a malformed escape as written', 'https://h/a%zz', { path: '/a%zz' }],
    ['takes the extension from the last segment only', 'https://h/v1.2/details', { path: '/v1.2/details' }],
    ['takes the text after the last dot as extension', 'https://h/archive.tar.gz', { extension: 'gz' }],
    ['keeps the brackets of an IPv6 host', 'http://[2001:db8::1]:8080/x', { domain: '[2001:db8::1]', port: 8080 }],
    ['writes no username without a colon in the user info', 'https://alice@h/', { domain: 'h' }],
    ['writes an empty password as absent', 'https://alice:@h/', { username: 'alice' }],
    ['reads a URL without a path', 'https://h', { domain: 'h' }],
    ['reads an opaque URL as scheme only', 'mailto:soc@example.com', { scheme: 'mailto' }],
    ['reads a file URL without a host', 'file:///tmp/x.log', { path: '/tmp/x.log', extension: 'log' }],
    ['allows characters beyond ASCII', 'https://h/caf\u00e9', { path: '/caf\u00e9' }],
  ])('%s', (_name, url, expected) => {
    const parts = parseUrlParts(url);

    expect(parts).toMatchObject({ original: url, ...expected });
    for (const [key, value] of Object.entries(parts ?? {})) expect(value, key).not.toBe('');
  });

  it('leaves out empty query and fragment', () => {
    expect(parseUrlParts('https://h/p?#')).toStrictEqual({ original: 'https://h/p?#', scheme: 'https', domain: 'h', path: '/p' });
  });

  it.each([
    ['no scheme', 'sep.securitycloud.symantec.com/v2'],
    ['a relative path', '/v2/incidents'],
    ['a scheme that starts with a digit', '1http://h/'],
    ['a space', 'https://h/a b'],
    ['a control character', 'https://h/a\nb'],
    ['a forbidden character', 'https://h/{x}'],
    ['a port that is not a number', 'https://h:port/'],
    ['a port beyond 65535', 'https://h:65536/'],
    ['an unclosed IPv6 literal', 'http://[2001:db8::1/x'],
    ['text after an IPv6 literal', 'http://[::1]x/'],
    ['nothing after the scheme', 'mailto:'],
    ['an empty string', ''],
  ])('refuses %s', (_name, url) => {
    expect(parseUrlParts(url)).toBeUndefined();
  });

  it('reads each URL the same whichever URL on the same origin came before it', () => {
    // After a URL on an origin, the next URLs on it take a shortcut: it must agree with a full reading.
    const sameOrigin = [
      '',
      '/',
      '/a',
      '/a.b',
      '/a.b/c',
      '/a/b.',
      '/a/.b',
      '/x.tar.gz',
      '/caf\u00e9',
      '/a b',
      '/a\nb',
      '/{x}',
      '/a%20b',
      '/a?q=1',
      '/a#f',
      '/a/?',
      '//double',
    ];
    const origins = ['https://sep.example.com', 'https://u:p@h:8443', 'http://[2001:db8::1]:80', 'https://h.example'];
    for (const origin of origins) {
      for (const path of sameOrigin) {
        const url = origin + path;
        parseUrlParts('mailto:reset@example.com');
        parseUrlParts('https://other.example/reset');
        const alone = parseUrlParts(url);
        parseUrlParts(`${origin}/primer`);
        const afterSameOrigin = parseUrlParts(url);

        expect(afterSameOrigin, url).toStrictEqual(alone);
      }
    }
  });

  it('takes no shortcut for a URL that only starts like the last origin', () => {
    parseUrlParts('https://h.example/primer');

    expect(parseUrlParts('https://h.example.org/x')).toMatchObject({ domain: 'h.example.org', path: '/x' });
    expect(parseUrlParts('https://h.example:8080/x')).toMatchObject({ domain: 'h.example', port: 8080 });
  });
});
