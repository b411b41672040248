import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/errors.js';
import { SymantecCredentials } from '../../../functions/symantec/credentials.js';
import { createSymantecClient } from '../../../functions/symantec/incidents-client.js';
import { INCIDENTS_PATH, ScriptedApi, TOKEN_PATH, type Reply, clientFor, json, page, pageQuery, tokenReply } from './scripted-api.js';

const redirectTo =
  (location: string, status = 302): Reply =>
  (_request, response) => {
    response.writeHead(status, { location }).end();
  };

describe('Symantec client transport safety', () => {
  let api: ScriptedApi;
  let regional: ScriptedApi;
  beforeEach(async () => {
    [api, regional] = await Promise.all([ScriptedApi.start(), ScriptedApi.start()]);
    regional.always(TOKEN_PATH, tokenReply('stolen')).always(INCIDENTS_PATH, page([]));
  });
  afterEach(async () => {
    await Promise.all([api.close(), regional.close()]);
  });

  it('does not follow a redirect of the incidents call and names the host it points to', async () => {
    // prepare
    api.always(TOKEN_PATH, tokenReply('tok-1')).always(INCIDENTS_PATH, redirectTo(`${regional.url}${INCIDENTS_PATH}`, 307));
    const { client, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 307, retryable: false });
    expect((error as Error).message).toBe(
      `Symantec API answered 307 to POST ${api.url}${INCIDENTS_PATH}: it redirects to ${regional.url}. ` +
        `Redirects are not followed with credentials; set SYMANTEC_API_URL to ${regional.url} (the regional host of this tenant)`,
    );
    expect(regional.requests).toHaveLength(0);
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(1);
  });

  it('does not follow a redirect of the token request', async () => {
    // prepare
    api.always(TOKEN_PATH, redirectTo(`${regional.url}${TOKEN_PATH}`, 301));
    const { client, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 301, retryable: false });
    expect((error as Error).message).toContain(`it redirects to ${regional.url}.`);
    expect((error as Error).message).toContain(`set SYMANTEC_API_URL to ${regional.url}`);
    expect(regional.requests).toHaveLength(0);
  });

  it('names the regional Symantec host a global-host redirect points to', async () => {
    // prepare
    api
      .always(TOKEN_PATH, tokenReply('tok-1'))
      .always(INCIDENTS_PATH, redirectTo('https://api.sep.eu.securitycloud.symantec.com/v1/incidents'));
    const { client, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect((error as Error).message).toContain('set SYMANTEC_API_URL to https://api.sep.eu.securitycloud.symantec.com (the regional host');
  });

  it.each([
    ['SYMANTEC_API_URL', { apiUrl: 'http://api.sep.securitycloud.symantec.com' }],
    ['SYMANTEC_TOKEN_URL', { apiUrl: 'https://api.sep.securitycloud.symantec.com', tokenUrl: 'http://10.0.0.8/v1/oauth2/tokens' }],
    ['SYMANTEC_API_URL', { apiUrl: 'ftp://api.sep.securitycloud.symantec.com' }],
  ])('refuses a plain-http or other-scheme %s to a host that is not loopback before any request', (setting, urls) => {
    // prepare
    const credentials = SymantecCredentials.fromClientSecret('id', 'secret-value');
    // act
    const build = () => createSymantecClient({ ...urls, credentials });
    // assess
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(new RegExp(`^${setting}=\\S+ must use https://`));
  });

  it('cuts an endless body off at the cap and closes the connection', async () => {
    // prepare
    let serverSawClose!: Promise<number>;
    const endless: Reply = (_request, response) => {
      serverSawClose = new Promise((resolve) => {
        let sent = 0;
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          let flowing = true;
          while (!response.destroyed && flowing) {
            flowing = response.write(chunk);
            sent += chunk.length;
          }
          if (!response.destroyed) response.once('drain', pump);
        };
        response.on('close', () => resolve(sent));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"incidents": [');
        pump();
      });
    };
    api.always(TOKEN_PATH, tokenReply('tok-1')).always(INCIDENTS_PATH, endless);
    const { client, limits, events } = clientFor(api, { maxResponseBytes: 1024 * 1024 });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 200, retryable: false });
    expect((error as Error).message).toBe(
      `Response to POST ${api.url}${INCIDENTS_PATH} is larger than the 1048576-byte cap; lower PAGE_SIZE, turn INCLUDE_EVENTS off or give the function more memory`,
    );
    expect(await serverSawClose).toBeGreaterThan(1024 * 1024);
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(1);
    const request = events.findLast((e) => e.type === 'request');
    expect(request).toMatchObject({ path: INCIDENTS_PATH, status: 200 });
    expect(request?.type === 'request' && request.bytes).toBeGreaterThan(1024 * 1024);
  });

  it('refuses a body whose declared length is over the cap without reading it', async () => {
    // prepare
    const declared: Reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      response.write('{"incidents": [');
    };
    api.always(TOKEN_PATH, tokenReply('tok-1')).always(INCIDENTS_PATH, declared);
    const { client, limits, events } = clientFor(api, { maxResponseBytes: 1024 * 1024 });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect((error as Error).message).toContain('is larger than the 1048576-byte cap');
    expect(events.findLast((e) => e.type === 'request')).toMatchObject({ bytes: 0 });
  });

  it('applies the cap to the decoded body, so a small compressed answer cannot expand past it', async () => {
    // prepare: 4 MiB of JSON that gzip shrinks to a few KiB
    const expanded = JSON.stringify({ total: 1, incidents: [{ pad: ' '.repeat(4 * 1024 * 1024) }] });
    const compressed = gzipSync(expanded);
    const gzipped: Reply = (_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(compressed.length),
      });
      response.end(compressed);
    };
    api.always(TOKEN_PATH, tokenReply('tok-1')).always(INCIDENTS_PATH, gzipped);
    const { client, limits } = clientFor(api, { maxResponseBytes: 1024 * 1024 });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(compressed.length).toBeLessThan(1024 * 1024);
    expect((error as Error).message).toContain('is larger than the 1048576-byte cap');
  });

  it('accepts a body just under the cap', async () => {
    // prepare
    const body = JSON.stringify({ total: 1, incidents: [{ pad: 'x'.repeat(1000) }] });
    api.always(TOKEN_PATH, tokenReply('tok-1')).always(INCIDENTS_PATH, json(200, body));
    const { client, limits } = clientFor(api, { maxResponseBytes: body.length });
    // act
    const result = await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(result.bytes).toBe(body.length);
  });
});
