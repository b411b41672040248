/**
 * Test helpers: a real HTTP server on 127.0.0.1 that answers from a script, records every request it
 * gets, and a clock that test code moves by hand (sleeps advance it at once and are recorded).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../functions/clock.js';
import type { ClientEvent } from '../../../functions/symantec/client-events.js';
import { SymantecCredentials } from '../../../functions/symantec/credentials.js';
import { createSymantecClient, type SymantecClientOptions } from '../../../functions/symantec/incidents-client.js';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Reply = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export class ScriptedApi {
  readonly requests: RecordedRequest[] = [];
  readonly #queues = new Map<string, Reply[]>();
  readonly #fallbacks = new Map<string, Reply>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ScriptedApi> {
    let api: ScriptedApi | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        void api?.answer(recorded, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    api = new ScriptedApi(server, `http://127.0.0.1:${port}`);
    return api;
  }

  /** Replies for `path`, used once each in order; after them, the `always` reply (if any) answers. */
  on(path: string, ...replies: Reply[]): this {
    this.#queues.set(path, [...(this.#queues.get(path) ?? []), ...replies]);
    return this;
  }

  always(path: string, reply: Reply): this {
    this.#fallbacks.set(path, reply);
    return this;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: RecordedRequest, response: ServerResponse): Promise<void> {
    this.requests.push(request);
    const reply = this.#queues.get(request.path)?.shift() ?? this.#fallbacks.get(request.path);
    if (!reply) {
      response.writeHead(599, { 'content-type': 'application/json' }).end('{"message":"unscripted request in test"}');
      return;
    }
    await reply(request, response);
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_request, response) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  };
}

export function tokenReply(accessToken: string, expiresIn: number | undefined = 3600): Reply {
  return json(200, { access_token: accessToken, token_type: 'Bearer', ...(expiresIn === undefined ? {} : { expires_in: expiresIn }) });
}

export function page(incidents: unknown[], fields: { total?: number; next?: number | null } = {}): Reply {
  return json(200, { ...fields, incidents });
}

/** A fixture file's text, from test/fixtures. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
}

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time = Date.UTC(2024, 4, 1, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export const TOKEN_PATH = '/v1/oauth2/tokens';
export const INCIDENTS_PATH = '/v1/incidents';

export const CANARY_SECRET = 'canary-secret-7d2f9c41e8b5';
export const CLIENT_ID = 'client-id-0001';
export const WINDOW = { start: new Date('2024-05-01T10:00:00.000Z'), end: new Date('2024-05-01T11:00:00.000Z') };

/** A query for the test window at `offset`. */
export function pageQuery(offset: number, limit = 2) {
  return { ...WINDOW, offset, limit, includeEvents: false };
}

/** A generous deadline on `clock`: a test that means to hit a deadline sets its own. */
export function limitsOn(clock: Clock, ms = 10 * 60_000) {
  return { deadline: clock.now() + ms };
}

/**
 * A client of `api` on a fake clock, with no jitter (`random` 0) so waits are exactly the backoff, and
 * every event collected.
 */
export function clientFor(api: ScriptedApi, overrides: Partial<SymantecClientOptions> = {}) {
  const clock = new FakeClock();
  const events: ClientEvent[] = [];
  const client = createSymantecClient({
    apiUrl: api.url,
    credentials: SymantecCredentials.fromClientSecret(CLIENT_ID, CANARY_SECRET),
    clock,
    random: () => 0,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { client, clock, events, limits: (ms?: number) => limitsOn(clock, ms) };
}
