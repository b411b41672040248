import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../../local/incident-generator.js';
import { createManualClock, type ManualClock } from '../../../local/manual-clock.js';
import { startSymantecSimulator, type SymantecSimulator, type SymantecSimulatorOptions } from '../../../local/symantec-simulator.js';

const now = Date.parse('2024-05-31T12:00:00.000Z');
const hour = 3_600_000;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as unknown;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

let simulator: SymantecSimulator | undefined;
let clock: ManualClock;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: SymantecSimulatorOptions = {}): Promise<SymantecSimulator> {
  clock = createManualClock(now);
  simulator = await startSymantecSimulator({ clientId: 'id-1', clientSecret: 'secret-1', clock, ...options });
  return simulator;
}

async function token(sim: SymantecSimulator): Promise<string> {
  const res = await fetch(`${sim.url}/v1/oauth2/tokens`, {
    method: 'POST',
    headers: { Authorization: basic('id-1', 'secret-1'), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

interface PageBody {
  total: number;
  next?: number | null;
  incidents: Incident[];
}

async function page(sim: SymantecSimulator, bearer: string, body: Record<string, unknown>) {
  const res = await fetch(`${sim.url}/v1/incidents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ start_date: new Date(now - 24 * hour).toISOString(), end_date: new Date(now).toISOString(), ...body }),
  });
  return { status: res.status, body: (await res.json()) as PageBody & { message?: string } };
}

/** Follows `next` until the last page and answers every uid served. */
async function pageAll(sim: SymantecSimulator, bearer: string, limit: number): Promise<string[]> {
  const uids: string[] = [];
  let next = 0;
  for (let guard = 0; guard < 50; guard++) {
    const { body } = await page(sim, bearer, { next, limit });
    uids.push(...body.incidents.map((incident) => incident.incident_uid));
    if (typeof body.next !== 'number' || body.next >= body.total || body.incidents.length === 0) break;
    next = body.next;
  }
  return uids;
}

describe('Symantec simulator: token endpoint', () => {
  it('issues a bearer token for the client credentials, with or without a form body', async () => {
    const sim = await start();
    for (const body of ['grant_type=client_credentials', '']) {
      const res = await fetch(`${sim.url}/v1/oauth2/tokens`, {
        method: 'POST',
        headers: { Authorization: basic('id-1', 'secret-1') },
        body,
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(answer).sort()).toEqual(Object.keys(fixture('elastic_ses_mock_oauth2_tokens_response.json') as object).sort());
      expect(answer).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    }
    expect(sim.stats.tokensIssued).toBe(2);
  });

  it("refuses wrong credentials with 401 in the API's message shape", async () => {
    const sim = await start();
    const res = await fetch(`${sim.url}/v1/oauth2/tokens`, { method: 'POST', headers: { Authorization: basic('id-1', 'wrong') } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/^No client_id found \[.+\]$/);
  });

  it('answers the singular token path with the gateway 404 fault', async () => {
    const sim = await start();
    const res = await fetch(`${sim.url}/v1/oauth2/token`, { method: 'POST', headers: { Authorization: basic('id-1', 'secret-1') } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(fixture('stixshifter_mock_error_404_apigee_wrong_path.json'));
  });

  it('rejects a token once its lifetime has passed on the clock, and accepts a fresh one', async () => {
    const sim = await start({ tokenTtlSeconds: 60 });
    const old = await token(sim);
    expect((await page(sim, old, {})).status).toBe(200);
    clock.advance(60_000);
    expect((await page(sim, old, {})).status).toBe(401);
    expect((await page(sim, await token(sim), {})).status).toBe(200);
  });

  it('rejects an unknown token and a missing one', async () => {
    const sim = await start();
    expect((await page(sim, 'made-up', {})).status).toBe(401);
    const res = await fetch(`${sim.url}/v1/incidents`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
  });
});

describe('Symantec simulator: incidents', () => {
  it('pages a window by offset until next equals total, serving each incident once', async () => {
    const sim = await start();
    const made = sim.store.createIncidentsBetween(5, now - 5 * hour, now - hour);
    const uids = await pageAll(sim, await token(sim), 2);
    expect(uids).toEqual(made.map((incident) => incident.incident_uid));
    const last = await page(sim, await token(sim), { next: 4, limit: 2 });
    expect(last.body).toMatchObject({ total: 5, next: 5 });
  });

  it('includes events only when asked', async () => {
    const sim = await start();
    sim.store.createIncidents(1, now - hour);
    const bearer = await token(sim);
    expect((await page(sim, bearer, {})).body.incidents[0]).not.toHaveProperty('events');
    expect((await page(sim, bearer, { include_events: true })).body.incidents[0]?.events?.length).toBeGreaterThan(0);
  });

  it.each([
    [{ limit: 0 }, /^limit must be/],
    [{ limit: 2001 }, /^limit must be/],
    [{ start_date: new Date(now - 31 * 24 * hour).toISOString() }, /older than 30 days/],
    [{ query: 'device_location.desc: x' }, /^Invalid query\. Search is not allowed on field/],
  ])('answers 400 with a message for %j', async (body, message) => {
    const sim = await start();
    const { status, body: answer } = await page(sim, await token(sim), body);
    expect(status).toBe(400);
    expect(answer.message).toMatch(message);
  });

  it('answers 400 to a body that is not JSON, 405 to GET and the gateway 404 to an unknown path', async () => {
    const sim = await start();
    const bearer = await token(sim);
    const notJson = await fetch(`${sim.url}/v1/incidents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}` },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${sim.url}/v1/incidents`)).status).toBe(405);
    const unknown = await fetch(`${sim.url}/v2/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toHaveProperty('fault.detail.errorcode');
  });

  it('answers 413 to a body over 1 MiB and keeps serving', async () => {
    const sim = await start();
    const bearer = await token(sim);
    const res = await fetch(`${sim.url}/v1/incidents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect((await page(sim, bearer, {})).status).toBe(200);
  });

  it('answers 400 to bytes that are not HTTP and keeps serving', async () => {
    const sim = await start();
    const { port } = new URL(sim.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await page(sim, await token(sim), {})).status).toBe(200);
  });

  it('filters with the query subset', async () => {
    const sim = await start();
    sim.store.createIncidents(20, now - hour);
    const { body } = await page(sim, await token(sim), { query: 'severity_id: [5 TO 5]', limit: 100 });
    expect(body.incidents.length).toBeGreaterThan(0);
    expect(body.incidents.every((incident) => incident.severity_id === 5)).toBe(true);
  });

  it('filters on created when so switched, keeping an updated incident in its old window', async () => {
    const sim = await start();
    const [incident] = sim.store.createIncidents(1, now - 2 * hour);
    sim.store.updateIncidents([incident?.incident_uid ?? ''], now);
    const bearer = await token(sim);
    const window = { start_date: new Date(now - 3 * hour).toISOString(), end_date: new Date(now - hour).toISOString() };
    expect((await page(sim, bearer, window)).body.total).toBe(0);
    sim.setBehaviour({ filterField: 'created' });
    expect((await page(sim, bearer, window)).body.total).toBe(1);
  });

  it('filters on modified when so switched, dropping an incident an analyst edited later', async () => {
    const sim = await start();
    const [incident] = sim.store.createIncidents(1, now - 2 * hour);
    sim.store.touchIncidents([incident?.incident_uid ?? ''], now);
    const bearer = await token(sim);
    const window = { start_date: new Date(now - 3 * hour).toISOString(), end_date: new Date(now - hour).toISOString() };
    expect((await page(sim, bearer, window)).body.total).toBe(1);
    sim.setBehaviour({ filterField: 'modified' });
    expect((await page(sim, bearer, window)).body.total).toBe(0);
  });

  it('serves newest first when switched to descending order', async () => {
    const sim = await start({ behaviour: { order: 'desc' } });
    const made = sim.store.createIncidentsBetween(3, now - 3 * hour, now - hour);
    const { body } = await page(sim, await token(sim), { limit: 10 });
    expect(body.incidents.map((incident) => incident.incident_uid)).toEqual(made.map((incident) => incident.incident_uid).reverse());
  });

  it('serves a stable shuffled order when switched to unordered', async () => {
    const sim = await start({ behaviour: { order: 'unordered' } });
    sim.store.createIncidentsBetween(12, now - 12 * hour, now - hour);
    const bearer = await token(sim);
    const first = await pageAll(sim, bearer, 5);
    expect(await pageAll(sim, bearer, 5)).toEqual(first);
    expect(new Set(first).size).toBe(12);
    const times = first.map((uid) => sim.store.get(uid)?.time ?? 0);
    expect(times).not.toEqual([...times].sort((a, b) => a - b));
  });

  it('leaves next out, or null, on the last page when so switched', async () => {
    const sim = await start({ behaviour: { lastPage: 'next-absent' } });
    sim.store.createIncidents(1, now - hour);
    const bearer = await token(sim);
    expect((await page(sim, bearer, {})).body).not.toHaveProperty('next');
    sim.setBehaviour({ lastPage: 'next-null' });
    expect((await page(sim, bearer, {})).body.next).toBeNull();
  });

  it('stops serving rows at the result cap while total keeps the true count', async () => {
    const sim = await start({ behaviour: { resultCap: 4 } });
    sim.store.createIncidentsBetween(6, now - 6 * hour, now - hour);
    const bearer = await token(sim);
    expect(await pageAll(sim, bearer, 3)).toHaveLength(4);
    expect((await page(sim, bearer, { next: 4, limit: 3 })).body).toMatchObject({ total: 6, incidents: [] });
  });

  it('serves fewer rows than asked when the page size is capped', async () => {
    const sim = await start({ behaviour: { maxPageSize: 2 } });
    sim.store.createIncidents(5, now - hour);
    const { body } = await page(sim, await token(sim), { limit: 2000 });
    expect(body.incidents).toHaveLength(2);
    expect(body.next).toBe(2);
  });

  it('writes event_id with 7 or 8 digits by switch', async () => {
    const sim = await start();
    sim.store.createIncidents(1, now - hour);
    const bearer = await token(sim);
    expect(String((await page(sim, bearer, {})).body.incidents[0]?.event_id)).toHaveLength(7);
    sim.setBehaviour({ eventIdDigits: 8 });
    expect(String((await page(sim, bearer, {})).body.incidents[0]?.event_id)).toHaveLength(8);
  });

  it('moves already-served incidents out of the window between pages, so offset paging skips rows', async () => {
    // prepare
    const sim = await start({ behaviour: { updatesDuringPaging: 1 } });
    const made = sim.store.createIncidentsBetween(6, now - 6 * hour, now - hour);
    const bearer = await token(sim);

    // act
    const served = await pageAll(sim, bearer, 2);

    // assess
    expect(sim.stats.updatesDuringPaging).toBeGreaterThan(0);
    const missed = made.map((incident) => incident.incident_uid).filter((uid) => !served.includes(uid));
    expect(missed.length).toBeGreaterThan(0);
    expect(sim.store.versionsCreated().length).toBe(6 + sim.stats.updatesDuringPaging);
  });

  it('keeps the Authorization header and credentials out of the request log', async () => {
    const sim = await start();
    const bearer = await token(sim);
    await page(sim, bearer, {});
    const logged = JSON.stringify(sim.requests);
    expect(sim.requests.map((entry) => [entry.path, entry.status])).toEqual([
      ['/v1/oauth2/tokens', 200],
      ['/v1/incidents', 200],
    ]);
    expect(logged).not.toContain(bearer);
    expect(logged).not.toContain('secret-1');
    expect(logged).not.toContain(Buffer.from('id-1:secret-1').toString('base64'));
  });
});
