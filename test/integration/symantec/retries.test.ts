import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../functions/errors.js';
import { INCIDENTS_PATH, ScriptedApi, TOKEN_PATH, type Reply, clientFor, json, page, pageQuery, tokenReply } from './scripted-api.js';

const busy = (status = 503, headers: Record<string, string> = {}) => json(status, { message: 'Service busy' }, headers);

describe('Symantec client retries and limits', () => {
  let api: ScriptedApi;
  beforeEach(async () => {
    api = await ScriptedApi.start();
    api.always(TOKEN_PATH, tokenReply('tok-1'));
  });
  afterEach(async () => {
    await api.close();
  });

  it('waits the seconds a 429 names in Retry-After', async () => {
    // prepare
    api.on(INCIDENTS_PATH, busy(429, { 'retry-after': '7' }), page([]));
    const { client, clock, limits } = clientFor(api);
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(clock.sleeps).toEqual([7000]);
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(2);
  });

  it('waits until the HTTP-date a 429 names in Retry-After', async () => {
    // prepare: the fake clock stands at 2024-05-01T12:00:00Z
    api.on(INCIDENTS_PATH, busy(429, { 'retry-after': 'Wed, 01 May 2024 12:00:09 GMT' }), page([]));
    const { client, clock, limits } = clientFor(api);
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(clock.sleeps).toEqual([9000]);
  });

  it('backs off exponentially on a 429 without Retry-After', async () => {
    // prepare
    api.on(INCIDENTS_PATH, busy(429), busy(429), busy(429), page([]));
    const { client, clock, limits } = clientFor(api);
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('draws the jitter from the injected random source', async () => {
    // prepare
    api.on(INCIDENTS_PATH, busy(), busy(), page([]));
    const { client, clock, limits } = clientFor(api, { random: () => 0.5, retry: { jitter: 0.5 } });
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess: half of each wait is jittered, and the random source picked its middle
    expect(clock.sleeps).toEqual([750, 1500]);
  });

  it.each([500, 502, 503, 504])('retries a %i and returns the page that follows', async (status) => {
    // prepare
    api.on(INCIDENTS_PATH, busy(status), page([{ incident_uid: 'a' }], { total: 1 }));
    const { client, clock, limits } = clientFor(api);
    // act
    const result = await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(result.incidents).toEqual([{ incident_uid: 'a' }]);
    expect(clock.sleeps).toEqual([1000]);
  });

  it.each([400, 403, 404])('does not retry a %i', async (status) => {
    // prepare
    api.always(INCIDENTS_PATH, json(status, { message: 'No' }));
    const { client, clock, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status, retryable: false });
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up after the last attempt with the status and the API message', async () => {
    // prepare
    api.always(INCIDENTS_PATH, busy());
    const { client, clock, limits } = clientFor(api, { retry: { maxAttempts: 3 } });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect((error as Error).message).toBe(
      `Symantec API answered 503 to POST ${api.url}${INCIDENTS_PATH}: Service busy (gave up after 3 attempts)`,
    );
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
  });

  it('fails at once when Retry-After reaches past the deadline', async () => {
    // prepare
    api.always(INCIDENTS_PATH, busy(503, { 'retry-after': '30' }));
    const { client, clock, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits(10_000)).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 503, retryable: true, retryAfterSeconds: 30 });
    expect((error as Error).message).toContain("(gave up after 1 attempt: waiting 30000 ms more would pass the run's deadline)");
    expect(clock.sleeps).toEqual([]);
  });

  it('never sleeps across the deadline while backing off', async () => {
    // prepare
    api.always(INCIDENTS_PATH, busy());
    const { client, clock, limits } = clientFor(api);
    const started = clock.now();
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits(5_000)).catch((e: unknown) => e);
    // assess: 1 s and 2 s fit in the 5 s, the 4 s that would follow does not
    expect(error).toMatchObject({ status: 503 });
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(clock.now()).toBeLessThan(started + 5_000);
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(3);
  });

  it('ends the attempts when Retry-After is longer than the policy honours', async () => {
    // prepare
    api.always(INCIDENTS_PATH, busy(429, { 'retry-after': '3600' }));
    const { client, clock, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits(2 * 3600_000)).catch((e: unknown) => e);
    // assess
    expect((error as Error).message).toContain('the API asked to wait 3600 s, longer than the 60 s a run waits');
    expect(clock.sleeps).toEqual([]);
  });

  it('sends nothing when the deadline has passed', async () => {
    // prepare
    api.always(INCIDENTS_PATH, page([]));
    const { client, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits(0)).catch((e: unknown) => e);
    // assess
    expect((error as Error).message).toContain("No time left before the run's deadline");
    expect(api.requests).toHaveLength(0);
  });

  it('times a request out when the server never answers, and retries it', async () => {
    // prepare
    const never: Reply = () => undefined;
    api.always(INCIDENTS_PATH, never);
    const { client, clock, limits } = clientFor(api, { requestTimeoutMs: 150, retry: { maxAttempts: 2 } });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: undefined, retryable: true });
    expect((error as Error).message).toBe(`Request timed out after 150 ms: POST ${api.url}${INCIDENTS_PATH} (gave up after 2 attempts)`);
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(2);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('stops at once with the caller’s reason when the caller aborts', async () => {
    // prepare
    const never: Reply = () => undefined;
    api.always(INCIDENTS_PATH, never);
    const { client, clock, limits } = clientFor(api);
    const controller = new AbortController();
    const reason = new Error('run is shutting down');
    // act
    const pending = client.fetchIncidentPage(pageQuery(0), { ...limits(), signal: controller.signal }).catch((e: unknown) => e);
    while (api.requestsTo(INCIDENTS_PATH).length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(reason);
    // assess
    expect(await pending).toBe(reason);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a body that is not JSON, without quoting the body', async () => {
    // prepare
    api.on(INCIDENTS_PATH, json(200, '{"total": 1, "incidents": [{"incident_uid": "a"'), page([], { total: 0 }));
    const { client, clock, limits, events } = clientFor(api);
    // act
    const result = await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(result.total).toBe(0);
    expect(clock.sleeps).toEqual([1000]);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry).toMatchObject({ reason: expect.stringContaining('with a body that is not valid JSON (47 bytes, application/json)') });
    expect(JSON.stringify(retry)).not.toContain('incident_uid');
  });

  it('retries a body cut off by the connection closing', async () => {
    // prepare
    const truncated: Reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"total": 1, "incidents": [');
      setTimeout(() => response.destroy(), 10);
    };
    api.on(INCIDENTS_PATH, truncated, page([], { total: 0 }));
    const { client, clock, limits, events } = clientFor(api);
    // act
    const result = await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(result.total).toBe(0);
    expect(clock.sleeps).toEqual([1000]);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({
      reason: expect.stringContaining(`Request failed: POST ${api.url}${INCIDENTS_PATH}`),
    });
  });
});
