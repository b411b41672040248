/**
 * `url.*` from `incident_url`, the way Elasticsearch's `uri_parts` processor writes it: it reads the
 * string with Java's `URI` (RFC 3986), takes host, port and scheme as written, decodes percent escapes
 * in path, query, fragment and user info, writes `username`/`password` only when the user info holds a
 * `:`, and takes the extension from the last path segment. Empty parts are left out (the mapping drops
 * empty values). Scanned by hand: no regular expression and no WHATWG `URL`, which would lower-case the
 * host, drop default ports and re-encode the path.
 */
import type { EcsIncidentDocument } from './document-types.js';

export type UrlParts = NonNullable<EcsIncidentDocument['url']>;

// ASCII characters RFC 3986 allows nowhere in a URI (Java's URI rejects them too): controls, space,
// DEL and `"<>\\^`{|}`, as a table indexed by character code.
const FORBIDDEN_ASCII = buildForbiddenTable();

function buildForbiddenTable(): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c <= 0x20; c++) table[c] = 1;
  table[0x7f] = 1;
  for (const ch of '"<>\\^`{|}') table[ch.charCodeAt(0)] = 1;
  return table;
}
const MAX_PORT = 65_535;

/** The parts of `text`, or `undefined` when it is not an absolute URL that `uri_parts` could read. */
export function parseUrlParts(text: string): UrlParts | undefined {
  return partsOnLastOrigin(text) ?? parseInFull(text);
}

/**
 * The incident URLs of one tenant share their `scheme://authority` and differ only in a plain path. The
 * last such origin is kept, with its parts, so that those URLs need only their path scanned once.
 */
let lastOrigin: { readonly text: string; readonly pattern: RegExp; readonly parts: UrlParts } | undefined;

/** A URL on `origin` with a plain path: no `?`, `#` or `%`, and no character a URI may not hold. */
function onOriginPattern(origin: string): RegExp {
  const escaped = origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^${escaped}/[^\\x00-\\x20"<>\\\\^\`{|}\\x7f?#%]*$`);
}

function partsOnLastOrigin(text: string): UrlParts | undefined {
  const origin = lastOrigin;
  // One regular expression checks it all: faster than any loop over the characters in JavaScript.
  if (origin === undefined || !origin.pattern.test(text)) return undefined;
  const known = origin.parts;
  const parts: UrlParts = { original: text, scheme: known.scheme };
  if (known.username !== undefined) parts.username = known.username;
  if (known.password !== undefined) parts.password = known.password;
  if (known.domain !== undefined) parts.domain = known.domain;
  if (known.port !== undefined) parts.port = known.port;
  parts.path = text.slice(origin.text.length);
  const dot = text.lastIndexOf('.');
  if (dot > origin.text.length && dot < text.length - 1 && text.indexOf('/', dot) === -1) parts.extension = text.slice(dot + 1);
  return parts;
}

function parseInFull(text: string): UrlParts | undefined {
  const colon = text.indexOf(':');
  if (colon < 1 || !isScheme(text, colon) || !hasOnlyUriCharacters(text)) return undefined;
  const parts: UrlParts = { original: text, scheme: text.slice(0, colon) };
  const hash = text.indexOf('#', colon + 1);
  const end = hash === -1 ? text.length : hash;
  if (hash !== -1) setPart(parts, 'fragment', decode(text.slice(hash + 1)));
  let at = colon + 1;
  // An opaque URI (`mailto:x@y`) has no authority, path or query in Java's reading.
  if (text[at] !== '/') return at < end ? parts : undefined;
  if (text[at + 1] === '/') {
    at += 2;
    let authorityEnd = at;
    while (authorityEnd < end && text[authorityEnd] !== '/' && text[authorityEnd] !== '?') authorityEnd++;
    const authority = text.slice(at, authorityEnd);
    if (!readAuthority(authority, parts)) return undefined;
    // Only an origin without percent escapes is kept: its parts are then exactly as written.
    if (hash === -1 && !authority.includes('%')) {
      const origin = text.slice(0, authorityEnd);
      if (origin !== lastOrigin?.text) {
        lastOrigin = { text: origin, pattern: onOriginPattern(origin), parts: { ...parts } };
      }
    }
    at = authorityEnd;
  }
  const question = text.indexOf('?', at);
  const pathEnd = question === -1 || question > end ? end : question;
  const path = decode(text.slice(at, pathEnd));
  setPart(parts, 'path', path);
  if (pathEnd < end) setPart(parts, 'query', decode(text.slice(pathEnd + 1, end)));
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash >= 0) {
    const dot = path.lastIndexOf('.');
    if (dot > lastSlash) setPart(parts, 'extension', path.slice(dot + 1));
  }
  return parts;
}

function isScheme(text: string, colon: number): boolean {
  for (let i = 0; i < colon; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (letter) continue;
    // `+ - .` and digits, after the first character only.
    if (i === 0 || !((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false;
  }
  return true;
}

function hasOnlyUriCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Characters beyond ASCII are allowed, as Java's URI allows them.
    if (c < 0x80 && FORBIDDEN_ASCII[c] === 1) return false;
  }
  return true;
}

/** Reads `[userinfo@]host[:port]` into `parts`; false when the port or an IPv6 literal is malformed. */
function readAuthority(authority: string, parts: UrlParts): boolean {
  const at = authority.indexOf('@');
  if (at !== -1) {
    const userInfo = decode(authority.slice(0, at));
    const colon = userInfo.indexOf(':');
    if (colon !== -1) {
      setPart(parts, 'username', userInfo.slice(0, colon));
      setPart(parts, 'password', userInfo.slice(colon + 1));
    }
  }
  const hostPort = authority.slice(at + 1);
  let portStart: number;
  if (hostPort.startsWith('[')) {
    // An IPv6 literal keeps its brackets in `url.domain`, as ECS asks.
    const close = hostPort.indexOf(']');
    if (close === -1) return false;
    setPart(parts, 'domain', hostPort.slice(0, close + 1));
    if (close + 1 < hostPort.length && hostPort[close + 1] !== ':') return false;
    portStart = close + 2;
  } else {
    const colon = hostPort.indexOf(':');
    setPart(parts, 'domain', colon === -1 ? hostPort : hostPort.slice(0, colon));
    portStart = colon === -1 ? hostPort.length + 1 : colon + 1;
  }
  if (portStart >= hostPort.length) return true;
  const portText = hostPort.slice(portStart);
  let port = 0;
  for (let i = 0; i < portText.length; i++) {
    const c = portText.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    port = port * 10 + (c - 48);
    if (port > MAX_PORT) return false;
  }
  parts.port = port;
  return true;
}

/** Percent escapes decoded as UTF-8; a malformed escape leaves the text as written (Java's `URL` fallback). */
function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function setPart(
  parts: UrlParts,
  key: 'domain' | 'path' | 'query' | 'fragment' | 'username' | 'password' | 'extension',
  value: string,
): void {
  if (value !== '') parts[key] = value;
}
