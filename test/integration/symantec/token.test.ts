import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../functions/errors.js';
import {
  CANARY_SECRET,
  CLIENT_ID,
  INCIDENTS_PATH,
  ScriptedApi,
  TOKEN_PATH,
  clientFor,
  fixture,
  json,
  page,
  pageQuery,
  tokenReply,
} from './scripted-api.js';

describe('Symantec token handling', () => {
  let api: ScriptedApi;
  beforeEach(async () => {
    api = await ScriptedApi.start();
  });
  afterEach(async () => {
    await api.close();
  });

  it('asks for a token with Basic client credentials and a client_credentials form body', async () => {
    // prepare
    api.on(TOKEN_PATH, tokenReply('tok-1')).always(INCIDENTS_PATH, page([]));
    const { client, limits } = clientFor(api);
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    const [tokenRequest] = api.requestsTo(TOKEN_PATH);
    expect(tokenRequest?.method).toBe('POST');
    expect(tokenRequest?.headers.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CANARY_SECRET}`).toString('base64')}`);
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest?.headers.accept).toBe('application/json');
    expect(tokenRequest?.body).toBe('grant_type=client_credentials');
    expect(api.requestsTo(INCIDENTS_PATH)[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('reuses the token until a minute before it expires, then gets a new one', async () => {
    // prepare
    api.on(TOKEN_PATH, tokenReply('tok-1', 3600), tokenReply('tok-2', 3600)).always(INCIDENTS_PATH, page([]));
    const { client, clock, limits } = clientFor(api);
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    clock.advance(3539_000);
    await client.fetchIncidentPage(pageQuery(0), limits());
    clock.advance(2_000);
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(2);
    expect(api.requestsTo(INCIDENTS_PATH).map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('shares one token request among concurrent callers', async () => {
    // prepare
    const slowToken = tokenReply('tok-1');
    api
      .on(TOKEN_PATH, (request, response) => {
        setTimeout(() => void slowToken(request, response), 50);
      })
      .always(INCIDENTS_PATH, page([]));
    const { client, limits } = clientFor(api);
    // act
    await Promise.all([0, 2, 4].map((offset) => client.fetchIncidentPage(pageQuery(offset), limits())));
    // assess
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(3);
  });

  it('renews a token that lives under two minutes halfway through its life', async () => {
    // prepare
    api.on(TOKEN_PATH, tokenReply('tok-1', 60), tokenReply('tok-2', 60)).always(INCIDENTS_PATH, page([]));
    const { client, clock, limits } = clientFor(api);
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    clock.advance(29_000);
    await client.fetchIncidentPage(pageQuery(0), limits());
    clock.advance(1_000);
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(api.requestsTo(INCIDENTS_PATH).map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('reports the seconds a token has left and assumes the documented hour when expires_in is absent', async () => {
    // prepare
    api.on(TOKEN_PATH, tokenReply('tok-1', undefined));
    const { client, clock, events } = clientFor(api);
    // act
    const first = await client.checkToken();
    clock.advance(600_000);
    const later = await client.checkToken();
    // assess
    expect(first).toEqual({ expiresInSeconds: 3600 });
    expect(later).toEqual({ expiresInSeconds: 3000 });
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(events).toContainEqual({ type: 'token', expiresInSeconds: 3600 });
  });

  it('fails at once on bad credentials with the API message and what to check', async () => {
    // prepare
    api.always(TOKEN_PATH, json(401, fixture('stixshifter_mock_error_401_invalid_credentials.json')));
    const { client, clock, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as ApiError).message).toBe(
      `Symantec token endpoint answered 401 to POST ${api.url}${TOKEN_PATH}: No client_id found ` +
        '[M2ID.XuSKt5Q3Rb6wSujIS9Rh7Q.PJblnny1Q4G26epFnNsnWg.201ol7b749n8446694c3hid7a7]; ' +
        'check client_id and client_secret (or oauth_credentials) in the Symantec secret',
    );
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('fails at once on a 400 credential mismatch', async () => {
    // prepare
    api.always(TOKEN_PATH, json(400, { message: 'Invalid Client token' }));
    const { client, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect((error as Error).message).toContain(': Invalid Client token; check client_id and client_secret');
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(1);
  });

  it('says the token URL is wrong when the gateway answers 404 for it', async () => {
    // prepare
    api.always('/v1/oauth2/token', json(404, fixture('stixshifter_mock_error_404_apigee_wrong_path.json')));
    const { client, limits } = clientFor(api, { tokenUrl: `${api.url}/v1/oauth2/token` });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 404, retryable: false });
    expect((error as Error).message).toBe(
      `Symantec token endpoint answered 404 to POST ${api.url}/v1/oauth2/token: ` +
        'Unable to identify proxy for host: secure and url: \\/v1\\/oauth2\\/token; ' +
        'the token URL is wrong: check SYMANTEC_TOKEN_URL (the path is /v1/oauth2/tokens, plural)',
    );
  });

  it('retries a token request that meets a 503', async () => {
    // prepare
    api.on(TOKEN_PATH, json(503, { message: 'busy' }), tokenReply('tok-1')).always(INCIDENTS_PATH, page([]));
    const { client, clock, limits } = clientFor(api);
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(2);
    expect(clock.sleeps).toEqual([1000]);
    expect(api.requestsTo(INCIDENTS_PATH)[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('does not multiply the token retries by the data call retries', async () => {
    // prepare
    api.always(TOKEN_PATH, json(503, { message: 'busy' }));
    const { client, limits } = clientFor(api, { retry: { maxAttempts: 3 } });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect((error as Error).message).toContain('busy (gave up after 3 attempts)');
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(3);
  });

  it('refuses a token answer without a usable access_token', async () => {
    // prepare
    api.always(TOKEN_PATH, json(200, { token_type: 'Bearer', expires_in: 3600 }));
    const { client, limits } = clientFor(api, { retry: { maxAttempts: 2 } });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect((error as Error).message).toContain('without a usable access_token (gave up after 2 attempts)');
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(0);
  });
});
