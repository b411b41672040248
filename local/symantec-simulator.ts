import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../functions/clock.js';
import { closeServer, guard, listen, readBody, sendJson, waitWallTime, type ListenOptions } from './http-kit.js';
import { withEventIdDigits, type EventIdDigits, type Incident } from './incident-generator.js';
import { buildPage, orderIncidents, parseIncidentsRequest, type Page } from './incident-paging.js';
import { parseIncidentQuery } from './incident-query.js';
import { createIncidentStore, type IncidentStore } from './incident-store.js';
import { createRandom } from './random.js';
import { defaultBehaviour, type SimulatorBehaviour } from './symantec-behaviour.js';
import {
  answerFaults,
  createFaultPlan,
  gatewayFault,
  truncateJson,
  writeAnswerFault,
  type Fault,
  type FaultKind,
} from './symantec-faults.js';
import { createTokenIssuer } from './symantec-tokens.js';

export type { SimulatorBehaviour } from './symantec-behaviour.js';
export type { Fault, FaultKind } from './symantec-faults.js';

/**
 * A local stand-in for the Symantec EDR Cloud API (token + incidents), with a switch for every fact the
 * public material leaves unknown and injectable faults.
 */

export interface SymantecSimulatorOptions extends ListenOptions {
  /** @default 'local-client-id' */
  clientId?: string;
  /** @default 'local-client-secret' */
  clientSecret?: string;
  /** Drives token expiry, retention and the store's timestamps. @default systemClock */
  clock?: Clock;
  /** Seeds the data, the unordered order and the random faults. @default 1 */
  seed?: number;
  /** Token lifetime measured on `clock` (the API says 3600). @default 3600 */
  tokenTtlSeconds?: number;
  behaviour?: Partial<SimulatorBehaviour>;
  /** A store to serve; by default a new one on the same clock and seed. */
  store?: IncidentStore;
  /** Request log entries kept (oldest dropped first). @default 10000 */
  requestLogLimit?: number;
}

export interface RequestLogEntry {
  atMs: number;
  method: string;
  path: string;
  /** The parsed JSON body (incidents) or the grant type (token); never a credential. */
  body: unknown;
  /** 0 when the socket was dropped. */
  status: number;
  fault?: FaultKind;
}

export interface SimulatorStats {
  tokenRequests: number;
  tokensIssued: number;
  incidentRequests: number;
  rowsServed: number;
  updatesDuringPaging: number;
  faults: Partial<Record<FaultKind, number>>;
}

export interface SymantecSimulator {
  url: string;
  store: IncidentStore;
  readonly behaviour: Readonly<SimulatorBehaviour>;
  setBehaviour(change: Partial<SimulatorBehaviour>): void;
  inject(fault: Fault): void;
  /** Drops queued faults that have not fired yet. */
  clearFaults(): void;
  readonly stats: SimulatorStats;
  readonly requests: readonly RequestLogEntry[];
  close(): Promise<void>;
}

/** A 1 MiB body is far more than any real incidents query. */
const maxBodyBytes = 1024 * 1024;

export async function startSymantecSimulator(options: SymantecSimulatorOptions = {}): Promise<SymantecSimulator> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const clientId = options.clientId ?? 'local-client-id';
  const clientSecret = options.clientSecret ?? 'local-client-secret';
  const logLimit = options.requestLogLimit ?? 10_000;
  const store = options.store ?? createIncidentStore({ clock, seed });
  const behaviour: SimulatorBehaviour = { ...defaultBehaviour, ...options.behaviour };
  const faults = createFaultPlan();
  const faultRandom = createRandom(seed ^ 0xfa017);
  const tokens = createTokenIssuer({ clock, ttlMs: (options.tokenTtlSeconds ?? 3600) * 1000, clientId, clientSecret });
  const requests: RequestLogEntry[] = [];
  const stats: SimulatorStats = {
    tokenRequests: 0,
    tokensIssued: 0,
    incidentRequests: 0,
    rowsServed: 0,
    updatesDuringPaging: 0,
    faults: faults.counts,
  };
  const closing = new AbortController();

  const log = (req: IncomingMessage, path: string, body: unknown, status: number, fault?: Fault) => {
    requests.push({ atMs: clock.now(), method: req.method ?? '', path, body, status, ...(fault ? { fault: fault.kind } : {}) });
    if (requests.length > logLimit) requests.splice(0, requests.length - logLimit);
  };
  const takeFault = (target: 'incidents' | 'token') =>
    faults.take(target, { rate: behaviour.faultRate, kinds: behaviour.faultKinds, target: behaviour.faultTarget, source: faultRandom });
  const retryAfterFor = (fault: Fault) =>
    fault.kind !== '429' && fault.kind !== '503'
      ? undefined
      : (fault.retryAfterSeconds ?? (behaviour.retryAfter ? behaviour.retryAfterSeconds : undefined));

  /** Faults common to both endpoints; answers true when the request has been dealt with. */
  const applyAnswerFault = async (req: IncomingMessage, res: ServerResponse, path: string, body: unknown, fault: Fault | undefined) => {
    if (!fault) return false;
    if (fault.kind === 'reset') {
      log(req, path, body, 0, fault);
      req.socket.destroy();
      return true;
    }
    if (fault.kind === 'slow') await waitWallTime(fault.delayMs ?? 5_000, closing.signal);
    if (!answerFaults.has(fault.kind)) return false;
    writeAnswerFault(res, fault, path, retryAfterFor(fault));
    log(req, path, body, res.statusCode, fault);
    return true;
  };

  const handleToken = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    stats.tokenRequests += 1;
    const form = new URLSearchParams((await readBody(req, maxBodyBytes)).toString('utf8'));
    const grantType = form.get('grant_type');
    const logged = { grant_type: grantType };
    const fault = takeFault('token');
    if (await applyAnswerFault(req, res, path, logged, fault)) return;
    const answer = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      const sent = fault?.kind === 'truncated' ? truncateJson(text) : text;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(sent)) });
      res.end(sent);
      log(req, path, logged, status, fault);
    };
    if (fault?.kind === '401' || !tokens.isClient(req.headers.authorization)) {
      return answer(401, { message: `No client_id found [${randomBytes(12).toString('hex')}]` });
    }
    if (grantType !== null && grantType !== 'client_credentials') {
      return answer(400, { message: `Unsupported grant_type: ${grantType}` });
    }
    const { accessToken, expiresInSeconds } = tokens.issue();
    stats.tokensIssued += 1;
    answer(200, { access_token: accessToken, token_type: 'Bearer', expires_in: expiresInSeconds });
  };

  const handleIncidents = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    stats.incidentRequests += 1;
    const raw = (await readBody(req, maxBodyBytes)).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      sendJson(res, 400, { message: 'Invalid request body: not JSON' });
      return log(req, path, raw.slice(0, 200), 400);
    }
    const fault = takeFault('incidents');
    if (await applyAnswerFault(req, res, path, body, fault)) return;
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const state = tokens.check(token);
    if (fault?.kind === '401' || state !== 'valid') {
      // An injected 401 acts like a revocation: the token stays dead.
      if (token !== undefined) tokens.revoke(token);
      sendJson(
        res,
        401,
        state === 'expired' && fault?.kind !== '401'
          ? gatewayFault('Access Token expired', 'keymanagement.service.access_token_expired')
          : gatewayFault('Invalid access token', 'keymanagement.service.invalid_access_token'),
      );
      return log(req, path, body, 401, fault);
    }
    if (behaviour.latencyMs > 0) await waitWallTime(behaviour.latencyMs, closing.signal);
    const parsed = parseIncidentsRequest(body, clock.now());
    if (!parsed.ok) {
      sendJson(res, 400, { message: parsed.message });
      return log(req, path, body, 400, fault);
    }
    const query = parseIncidentQuery(parsed.request.query ?? '');
    if (!query.ok) {
      sendJson(res, 400, { message: query.message });
      return log(req, path, body, 400, fault);
    }
    const { request } = parsed;
    const select = () =>
      orderIncidents(
        store.select(behaviour.filterField, request.startMs, request.endMs, behaviour.endInclusive).filter(query.matches),
        behaviour.filterField,
        behaviour.order,
        seed,
      );
    let ordered = select();
    if (request.next > 0 && behaviour.updatesDuringPaging > 0) {
      // Rows already served change under the client: with filterField time/modified they leave the window
      // and every later row moves up, so plain offset paging skips rows.
      const moved = ordered.slice(0, behaviour.updatesDuringPaging).map((incident) => incident.incident_uid);
      store.updateIncidents(moved, clock.now());
      stats.updatesDuringPaging += moved.length;
      ordered = select();
    }
    const page = shapePage(buildPage(ordered, request, behaviour), request.next, request.limit, fault);
    const served = page.incidents.map((incident) => present(incident, request.includeEvents, behaviour.eventIdDigits));
    stats.rowsServed += served.length;
    const text = JSON.stringify({ ...page, incidents: served });
    const sent = fault?.kind === 'truncated' ? truncateJson(text) : text;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(sent)) });
    res.end(sent);
    log(req, path, body, 200, fault);
  };

  const server = createServer(
    guard(async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const route = path === '/v1/oauth2/tokens' ? handleToken : path === '/v1/incidents' ? handleIncidents : undefined;
      if (!route) {
        req.resume();
        const escaped = path.replaceAll('/', '\\/');
        const fault = gatewayFault(
          `Unable to identify proxy for host: secure and url: ${escaped}`,
          'messaging.adaptors.http.flow.ApplicationNotFound',
        );
        sendJson(res, 404, fault);
        return log(req, path, undefined, 404);
      }
      if (req.method !== 'POST') {
        req.resume();
        sendJson(res, 405, { message: `Method ${req.method ?? ''} not allowed on ${path}` });
        return log(req, path, undefined, 405);
      }
      await route(req, res, path);
    }),
  );
  const url = await listen(server, options);

  return {
    url,
    store,
    behaviour,
    setBehaviour: (change) => void Object.assign(behaviour, change),
    inject: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    stats,
    requests,
    close: async () => {
      closing.abort(new Error('Symantec simulator closed'));
      await closeServer(server);
    },
  };
}

/** Applies the faults that bend `next`. */
function shapePage(page: Page, asked: number, limit: number, fault: Fault | undefined): Page {
  switch (fault?.kind) {
    case 'next-missing': {
      const { next: _dropped, ...rest } = page;
      return rest;
    }
    case 'next-stuck':
      return { ...page, next: asked };
    case 'next-beyond-total':
      return { ...page, next: page.total + limit };
    default:
      return page;
  }
}

/** The incident as served: `events` only when asked for, `event_id` in the switched width, key order kept. */
function present(incident: Incident, includeEvents: boolean, digits: EventIdDigits): Incident {
  // Spreads keep the key order, and assigning a key the copy has keeps its place.
  const eventId = withEventIdDigits(incident.event_id, digits);
  if (includeEvents) return { ...incident, event_id: eventId };
  const { events: _left, ...served } = incident;
  served.event_id = eventId;
  return served;
}
