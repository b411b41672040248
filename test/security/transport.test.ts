/**
 * Where credentials may travel, checked on the whole run against the local simulator: never over plain
 * HTTP to another machine, never along a redirect to another host, and never into an unbounded read of
 * what a server sends back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { ConfigError } from '../../functions/errors.js';
import type { RunSummary } from '../../functions/ingest/run-summary.js';
import { SymantecCredentials } from '../../functions/symantec/credentials.js';
import { CLIENT_DEFAULTS, createSymantecClient, type SymantecClientOptions } from '../../functions/symantec/incidents-client.js';
import { startLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import { createRandom } from '../../local/random.js';
import { createSimClock } from '../simulation/sim-clock.js';
import type { SimLog } from '../simulation/sim-logger.js';
import { runOnce as runSingle } from '../simulation/single-run.js';

const clock = createSimClock(Date.UTC(2025, 4, 1));
const CLIENT_SECRET = `canary-${createRandom(3).hex(32)}`;
let local: LocalEnvironment;
let sources = 0;
beforeAll(async () => {
  local = await startLocalEnvironment({ clock, seed: 21, credentials: { clientId: 'security', clientSecret: CLIENT_SECRET } });
  local.simulator.store.createIncidentsBetween(30, clock.now() - 20 * 3_600_000, clock.now() - 60_000);
});
afterAll(async () => {
  await local.close();
});

/** One run of the real code on a source of its own; `client` changes the API client's options. */
function runOnce(client: Partial<SymantecClientOptions> = {}): Promise<{ summary: RunSummary; log: SimLog }> {
  return runSingle(local, clock, {
    source: `security-${++sources}`,
    credentials: { clientId: 'security', clientSecret: CLIENT_SECRET },
    settings: { PAGE_SIZE: '10' },
    client,
  });
}

/** A server on another loopback address (another host, as far as an origin goes) that counts what reaches it. */
async function startTrap(): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"total":0,"incidents":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  return { url: `http://127.0.0.2:${(server.address() as AddressInfo).port}`, requests, server };
}

describe('plain HTTP', () => {
  const base = { SYMANTEC_SECRET_ID: 'secret', CHECKPOINT_TABLE: 'table', DELIVERY_STREAM: 'stream' };
  const refused = [
    'http://api.sep.securitycloud.symantec.com',
    'http://10.0.0.1:8080',
    'http://127.0.0.1.example.com',
    'http://localhost.example.com',
    'http://0.0.0.0:80',
    'http://[::ffff:7f00:1]',
  ];
  const accepted = ['http://127.0.0.1:8080', 'http://127.255.0.9', 'http://localhost:3000', 'http://[::1]:3000'];

  it.each(refused)('is refused for %s, in either URL setting, before any request', (url) => {
    for (const variable of ['SYMANTEC_API_URL', 'SYMANTEC_TOKEN_URL']) {
      expect(() => loadConfig({ ...base, [variable]: url })).toThrow(new RegExp(`${variable}=.*must use https://`));
    }
    const credentials = SymantecCredentials.fromClientSecret('id', CLIENT_SECRET);
    expect(() => createSymantecClient({ apiUrl: url, credentials })).toThrow(ConfigError);
    expect(() => createSymantecClient({ apiUrl: 'https://api.sep.securitycloud.symantec.com', tokenUrl: url, credentials })).toThrow(
      ConfigError,
    );
  });

  it.each(accepted)('is accepted for the loopback host %s', (url) => {
    expect(loadConfig({ ...base, SYMANTEC_API_URL: url }).apiUrl).toBe(new URL(url).toString().replace(/\/$/, ''));
  });
});

describe('a redirect to another host', () => {
  it.each([
    [301, 'incidents'],
    [307, 'incidents'],
    [302, 'token'],
    [307, 'token'],
  ] as const)('(%i from the %s endpoint) is not followed: the run fails naming the host, nothing reaches it', async (status, target) => {
    // prepare
    const trap = await startTrap();
    const path = target === 'token' ? '/v1/oauth2/tokens' : '/v1/incidents';
    local.simulator.inject({ kind: 'redirect', status, location: `${trap.url}${path}`, target });
    try {
      // act
      const { summary, log } = await runOnce();
      // assess
      expect(summary.status).toBe('failed');
      expect(summary.error).toContain(`answered ${status}`);
      expect(summary.error).toContain(`it redirects to ${trap.url}. Redirects are not followed with credentials`);
      expect(summary.cursor).toBeUndefined();
      expect(trap.requests).toEqual([]);
      expect(log.leaks).toEqual([]);
    } finally {
      local.simulator.clearFaults();
      trap.server.closeAllConnections();
      trap.server.close();
    }
  });
});

describe('a response body past the cap', () => {
  it('is cut off when endless: the run fails with the cap in its message and the server sees the connection close', async () => {
    // prepare: a stand-in API whose incidents answer never ends; how much it wrote when the client hung up
    const capBytes = 1024 * 1024;
    let written = 0;
    let closed!: () => void;
    const hungUp = new Promise<void>((resolve) => (closed = resolve));
    const server = createServer((req, res) => {
      if (req.url === '/v1/oauth2/tokens')
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"access_token":"endless-test-token","expires_in":3600}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"total":1,"incidents":[{"padding":"');
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.once('close', () => closed());
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // act
      const { summary } = await runOnce({
        apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        maxResponseBytes: capBytes,
      });
      await hungUp;
      // assess
      expect(summary.status).toBe('failed');
      expect(summary.error).toContain(`larger than the ${capBytes}-byte cap`);
      // What the kernel's socket buffers held on top of the cap; an unbounded read would go on forever.
      expect(written).toBeLessThan(capBytes + 32 * 1024 * 1024);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('is refused unread when its declared length is past the default cap, and the window goes on in smaller pages', async () => {
    // prepare
    local.simulator.inject({ kind: 'huge', bytes: CLIENT_DEFAULTS.maxResponseBytes + 1 });
    // act
    const { summary } = await runOnce();
    // assess
    expect(summary).toMatchObject({ status: 'completed', pageSizeNarrowed: 1 });
    expect(local.simulator.stats.faults.huge).toBe(1);
  });
});
