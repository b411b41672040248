import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../local/manual-clock.js';
import { startSymantecSimulator, type SymantecSimulator, type SymantecSimulatorOptions } from '../../../local/symantec-simulator.js';

const now = Date.parse('2024-05-31T12:00:00.000Z');
const hour = 3_600_000;
const authorization = `Basic ${Buffer.from('id-1:secret-1').toString('base64')}`;
const window = { start_date: new Date(now - 24 * hour).toISOString(), end_date: new Date(now).toISOString() };

let simulator: SymantecSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: SymantecSimulatorOptions = {}): Promise<SymantecSimulator> {
  simulator = await startSymantecSimulator({ clientId: 'id-1', clientSecret: 'secret-1', clock: createManualClock(now), ...options });
  simulator.store.createIncidentsBetween(5, now - 5 * hour, now - hour);
  return simulator;
}

function requestToken(sim: SymantecSimulator, init: RequestInit = {}) {
  return fetch(`${sim.url}/v1/oauth2/tokens`, { method: 'POST', headers: { Authorization: authorization }, ...init });
}

async function token(sim: SymantecSimulator): Promise<string> {
  return ((await (await requestToken(sim)).json()) as { access_token: string }).access_token;
}

function requestPage(sim: SymantecSimulator, bearer: string, body: Record<string, unknown> = {}, init: RequestInit = {}) {
  return fetch(`${sim.url}/v1/incidents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...window, limit: 2, ...body }),
    ...init,
  });
}

describe('Symantec simulator: injected faults', () => {
  it('rejects a valid token once with 401 and keeps it revoked, as a revocation would', async () => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: '401' });
    expect((await requestPage(sim, bearer)).status).toBe(401);
    expect((await requestPage(sim, bearer)).status).toBe(401);
    expect((await requestPage(sim, await token(sim))).status).toBe(200);
    expect(sim.stats.faults['401']).toBe(1);
  });

  it('answers 429 with Retry-After by default, without it when switched off, and with the fault own value', async () => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: '429' });
    const withHeader = await requestPage(sim, bearer);
    expect([withHeader.status, withHeader.headers.get('retry-after')]).toEqual([429, '1']);
    sim.setBehaviour({ retryAfter: false });
    sim.inject({ kind: '429' });
    expect((await requestPage(sim, bearer)).headers.get('retry-after')).toBeNull();
    sim.inject({ kind: '429', retryAfterSeconds: 7 });
    expect((await requestPage(sim, bearer)).headers.get('retry-after')).toBe('7');
  });

  it.each([500, 502, 503] as const)('answers %i for the asked number of requests, then recovers', async (status) => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: String(status) as '500' | '502' | '503', count: 2 });
    expect((await requestPage(sim, bearer)).status).toBe(status);
    expect((await requestPage(sim, bearer)).status).toBe(status);
    expect((await requestPage(sim, bearer)).status).toBe(200);
    expect(sim.stats.faults[String(status) as '500']).toBe(2);
  });

  it('holds a slow answer back long enough for a client timeout to fire', async () => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: 'slow', delayMs: 5_000 });
    await expect(requestPage(sim, bearer, {}, { signal: AbortSignal.timeout(100) })).rejects.toThrow(/timeout|aborted/i);
  });

  it('answers 200 with a body that is not JSON', async () => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: 'malformed' });
    const res = await requestPage(sim, bearer);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('answers a page cut in the middle', async () => {
    const sim = await start();
    const bearer = await token(sim);
    const whole = await (await requestPage(sim, bearer)).text();
    sim.inject({ kind: 'truncated' });
    const cut = await (await requestPage(sim, bearer)).text();
    expect(whole.startsWith(cut)).toBe(true);
    expect(() => JSON.parse(cut)).toThrow();
  });

  it('bends next: missing, stuck at the asked offset, or beyond total', async () => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: 'next-missing' });
    expect(await (await requestPage(sim, bearer)).json()).not.toHaveProperty('next');
    sim.inject({ kind: 'next-stuck' });
    expect(await (await requestPage(sim, bearer, { next: 2 })).json()).toMatchObject({ next: 2 });
    sim.inject({ kind: 'next-beyond-total' });
    const beyond = (await (await requestPage(sim, bearer)).json()) as { next: number; total: number };
    expect(beyond.next).toBeGreaterThan(beyond.total);
  });

  it('redirects to the regional host with the same path', async () => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: 'redirect', status: 307 });
    const res = await requestPage(sim, bearer, {}, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('https://api.sep.eu.securitycloud.symantec.com/v1/incidents');
  });

  it('sends a body of the asked size', async () => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: 'huge', bytes: 3_000_000 });
    const body = await (await requestPage(sim, bearer)).arrayBuffer();
    expect(body.byteLength).toBe(3_000_000);
  });

  it('sends an endless body until the client gives up, then keeps serving', async () => {
    // prepare
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: 'huge' });

    // act
    const res = await requestPage(sim, bearer);
    const reader = res.body?.getReader();
    let read = 0;
    while (reader && read < 2_000_000) read += (await reader.read()).value?.byteLength ?? 0;
    await reader?.cancel();

    // assess
    expect(res.headers.get('content-length')).toBeNull();
    expect(read).toBeGreaterThanOrEqual(2_000_000);
    expect((await requestPage(sim, bearer)).status).toBe(200);
  });

  it('drops the connection on reset', async () => {
    const sim = await start();
    const bearer = await token(sim);
    sim.inject({ kind: 'reset' });
    await expect(requestPage(sim, bearer)).rejects.toThrow(/fetch failed/);
    expect(sim.requests.at(-1)).toMatchObject({ status: 0, fault: 'reset' });
  });

  it('aims a fault at the token endpoint when targeted there', async () => {
    const sim = await start();
    sim.inject({ kind: '503', target: 'token' });
    expect((await requestToken(sim)).status).toBe(503);
    expect((await requestToken(sim)).status).toBe(200);
    expect(sim.stats.incidentRequests).toBe(0);
  });

  it('draws random faults at the set rate from the enabled kinds and counts them by kind', async () => {
    // prepare
    const sim = await start({ seed: 3, behaviour: { faultRate: 0.5, faultKinds: ['500', '503'], faultTarget: 'incidents' } });
    const bearer = await token(sim);

    // act
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await requestPage(sim, bearer)).status);

    // assess
    const failed = statuses.filter((status) => status !== 200).length;
    expect(new Set(statuses)).toEqual(new Set([200, 500, 503]));
    expect((sim.stats.faults['500'] ?? 0) + (sim.stats.faults['503'] ?? 0)).toBe(failed);
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
  });
});
