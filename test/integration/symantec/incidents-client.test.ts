import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../functions/errors.js';
import { nextOffset } from '../../../functions/symantec/paging.js';
import type { IncidentPage } from '../../../functions/symantec/incident-page.js';
import { INCIDENTS_PATH, ScriptedApi, TOKEN_PATH, WINDOW, clientFor, fixture, json, page, pageQuery, tokenReply } from './scripted-api.js';

describe('Symantec incidents client', () => {
  let api: ScriptedApi;
  beforeEach(async () => {
    api = await ScriptedApi.start();
    api.on(TOKEN_PATH, tokenReply('tok-1'), tokenReply('tok-2'));
  });
  afterEach(async () => {
    await api.close();
  });

  it('sends the window, offset, limit and include_events as the documented JSON body', async () => {
    // prepare
    api.always(INCIDENTS_PATH, page([]));
    const { client, limits } = clientFor(api);
    // act
    const start = new Date(Date.UTC(2024, 4, 1, 10, 11, 12, 3));
    await client.fetchIncidentPage({ start, end: WINDOW.end, offset: 40, limit: 20, includeEvents: true }, limits());
    // assess
    const [request] = api.requestsTo(INCIDENTS_PATH);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.accept).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      start_date: '2024-05-01T10:11:12.003Z',
      end_date: '2024-05-01T11:00:00.000Z',
      next: 40,
      limit: 20,
      include_events: true,
    });
  });

  it('sends query only when one is set', async () => {
    // prepare
    api.always(INCIDENTS_PATH, page([]));
    const { client, limits } = clientFor(api);
    // act
    await client.fetchIncidentPage({ ...pageQuery(0), query: 'state_id: [0 TO 3]' }, limits());
    // assess
    expect(JSON.parse(api.requestsTo(INCIDENTS_PATH)[0]?.body ?? '')).toMatchObject({ query: 'state_id: [0 TO 3]' });
  });

  it('pages through the vendor-shaped two-page exchange and stops where next reaches total', async () => {
    // prepare
    api.on(
      INCIDENTS_PATH,
      json(200, fixture('elastic_ses_mock_incidents_page1_next0.json')),
      json(200, fixture('elastic_ses_mock_incidents_page2_next1.json')),
    );
    const { client, limits } = clientFor(api);
    const uids: unknown[] = [];
    const stops: unknown[] = [];
    // act
    for (let offset = 0, pages = 0; pages < 10; pages += 1) {
      const result = await client.fetchIncidentPage(pageQuery(offset, 1), limits());
      uids.push(...result.incidents.map((i) => (i as { incident_uid: string }).incident_uid));
      const step = nextOffset(result, offset);
      if ('stop' in step) {
        stops.push(step.stop);
        break;
      }
      offset = step.next;
    }
    // assess
    expect(uids).toEqual(['8e7edfb1-27d2-4837-98ca-e7d794119c3b', '1e7edfb1-27d2-4837-98ca-e7d794119c3b']);
    expect(stops).toEqual(['next-reached-total']);
    expect(api.requestsTo(INCIDENTS_PATH).map((r) => JSON.parse(r.body).next)).toEqual([0, 1]);
  });

  it('returns next in the form received: a number, null, or absent', async () => {
    // prepare
    const fixtureText = fixture('xsoar_SymantecICDM_icdm_incidents_without_events.json');
    api.on(INCIDENTS_PATH, page([{}], { total: 9, next: 3 }), page([{}], { total: 9, next: null }), json(200, fixtureText));
    const { client, limits } = clientFor(api);
    // act
    const pages: IncidentPage[] = [];
    for (let i = 0; i < 3; i += 1) pages.push(await client.fetchIncidentPage(pageQuery(0), limits()));
    // assess
    expect(pages.map((p) => [p.total, p.next])).toEqual([
      [9, 3],
      [9, null],
      [3, undefined],
    ]);
    expect(pages[2]?.incidents).toHaveLength(3);
    expect(pages[2]?.bytes).toBe(Buffer.byteLength(fixtureText));
  });

  it('renews the token once on a 401 in the middle of paging and repeats the call', async () => {
    // prepare
    api.on(INCIDENTS_PATH, page([{}], { total: 4, next: 2 }), json(401, { message: 'Unauthorized' }), page([{}], { total: 4, next: 4 }));
    const { client, clock, limits } = clientFor(api);
    // act
    const first = await client.fetchIncidentPage(pageQuery(0), limits());
    const second = await client.fetchIncidentPage(pageQuery(2), limits());
    // assess
    expect([first.next, second.next]).toEqual([2, 4]);
    expect(api.requestsTo(INCIDENTS_PATH).map((r) => [JSON.parse(r.body).next, r.headers.authorization])).toEqual([
      [0, 'Bearer tok-1'],
      [2, 'Bearer tok-1'],
      [2, 'Bearer tok-2'],
    ]);
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(2);
    expect(clock.sleeps).toEqual([]);
  });

  it('fails on a second 401 without asking for a third token', async () => {
    // prepare
    api.always(INCIDENTS_PATH, json(401, { message: 'Unauthorized' }));
    const { client, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as Error).message).toBe(
      `Symantec API answered 401 to POST ${api.url}${INCIDENTS_PATH}: Unauthorized; a new token was refused as well`,
    );
    expect(api.requestsTo(TOKEN_PATH)).toHaveLength(2);
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(2);
  });

  it('reports an invalid query with the API message and does not retry it', async () => {
    // prepare
    api.always(INCIDENTS_PATH, json(400, fixture('stixshifter_mock_error_400_invalid_query.json')));
    const { client, limits } = clientFor(api);
    // act
    const error = await client.fetchIncidentPage({ ...pageQuery(0), query: 'Sdevice_location.desc: x' }, limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect((error as Error).message).toBe(
      `Symantec API answered 400 to POST ${api.url}${INCIDENTS_PATH}: ` +
        "Invalid query. Search is not allowed on field 'Sdevice_location.desc'; check QUERY and the window",
    );
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(1);
  });

  it('reads a body with total 0 and no incidents list as an empty page', async () => {
    // prepare
    api.always(INCIDENTS_PATH, json(200, { total: 0 }));
    const { client, limits } = clientFor(api);
    // act
    const result = await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(result).toMatchObject({ total: 0, next: undefined, incidents: [] });
  });

  it.each([
    ['a body without incidents', {}, '"incidents" is not an array'],
    ['incidents that are not a list', { total: 1, incidents: { a: 1 } }, '"incidents" is not an array'],
    ['a negative total', { total: -1, incidents: [] }, '"total" is not a whole number >= 0'],
    ['a next given as text', { total: 9, next: '5', incidents: [] }, '"next" is not a whole number >= 0'],
    ['a JSON list', [], 'the body is not a JSON object'],
  ])('retries and then reports %s as a malformed response', async (_name, body, why) => {
    // prepare
    api.always(INCIDENTS_PATH, json(200, body));
    const { client, limits } = clientFor(api, { retry: { maxAttempts: 2 } });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ status: 200, retryable: true });
    expect((error as Error).message).toBe(
      `Symantec API answered 200 to POST ${api.url}${INCIDENTS_PATH} with a malformed response: ${why} (gave up after 2 attempts)`,
    );
    expect(api.requestsTo(INCIDENTS_PATH)).toHaveLength(2);
  });

  it('keeps a path prefix of the API URL for both endpoints', async () => {
    // prepare
    api.on('/proxy/v1/oauth2/tokens', tokenReply('tok-p')).always('/proxy/v1/incidents', page([]));
    const { client, limits } = clientFor(api, { apiUrl: `${api.url}/proxy/` });
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    expect(api.requests.map((r) => r.path)).toEqual(['/proxy/v1/oauth2/tokens', '/proxy/v1/incidents']);
  });

  it('reports each request, the token and each retry as events', async () => {
    // prepare
    api.on(INCIDENTS_PATH, json(503, { message: 'busy' }), page([{}], { total: 1 }));
    const { client, limits, events } = clientFor(api);
    // act
    await client.fetchIncidentPage(pageQuery(0), limits());
    // assess
    const summary = events.map((e) =>
      e.type === 'request' ? [e.type, e.path, e.status] : e.type === 'retry' ? [e.type, e.path, e.attempt, e.delayMs] : [e.type],
    );
    expect(summary).toEqual([
      ['request', TOKEN_PATH, 200],
      ['token'],
      ['request', INCIDENTS_PATH, 503],
      ['retry', INCIDENTS_PATH, 1, 1000],
      ['request', INCIDENTS_PATH, 200],
    ]);
    expect(events.at(-1)).toMatchObject({ bytes: JSON.stringify({ total: 1, incidents: [{}] }).length });
    expect(events[3]).toMatchObject({ reason: expect.stringContaining('answered 503') });
  });
});
