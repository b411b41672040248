/**
 * Where the client credentials may travel. They go only to Symantec's API hosts, the global one and the
 * regional ones (`api.sep.<region>.securitycloud.symantec.com`, e.g. `eu`, `in`), over https; to another
 * host only when a setting names it explicitly (a gateway of the user's); plain http only to this machine
 * (the local emulators). A URL never carries a user name or password: the credentials come from the secret.
 */
const GLOBAL_API_HOST = 'api.sep.securitycloud.symantec.com';
const REGIONAL_API_HOST = /^api\.sep\.[a-z0-9-]{1,20}\.securitycloud\.symantec\.com$/;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** One of Symantec's own API hosts. */
export function isSymantecApiHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === GLOBAL_API_HOST || REGIONAL_API_HOST.test(h);
}

/** A bare host name as the allowed-hosts setting takes it: no scheme, port, path or wildcard. */
export function isApiHostName(text: string): boolean {
  return HOST_NAME.test(text);
}

/** Why `text` cannot be an API or token URL on its own (scheme, syntax, credentials), or undefined. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return 'is not a URL';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not hold a user name or password: the credentials come from the secret';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackUrl(url)) return undefined;
  return 'must use https:// (http:// is allowed only for a loopback host such as 127.0.0.1)';
}

/** Why credentials may not go to this URL's host, or undefined when they may. */
export function apiHostProblem(url: URL, allowedHosts: readonly string[]): string | undefined {
  if (isLoopbackUrl(url) || isSymantecApiHost(url.hostname) || allowedHosts.includes(url.hostname.toLowerCase())) return undefined;
  return (
    `names the host ${url.hostname}, which is not a Symantec API host (${GLOBAL_API_HOST} or api.sep.<region>.securitycloud.symantec.com): ` +
    'credentials are sent only there; if it really is a gateway of yours, add it to the allowed API hosts (ALLOWED_API_HOSTS, cdk.json allowedApiHosts)'
  );
}

/** Whether a request to `url` may carry the credentials. */
export function isAllowedApiUrl(url: URL, allowedHosts: readonly string[] = []): boolean {
  return urlProblem(url.toString()) === undefined && apiHostProblem(url, allowedHosts) === undefined;
}
