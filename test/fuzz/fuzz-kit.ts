/**
 * What the fuzz tests share: the local Firehose and DynamoDB (real adapters, real SDK clients), an API
 * on 127.0.0.1 that answers whatever the test scripts (fast-check draws the script), and one `run` of the
 * real code against them on a simulated clock, so retries and Retry-After waits cost no real time.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Checkpoint } from '../../functions/aws/checkpoint-store.js';
import { checkpointKey } from '../../functions/aws/table-keys.js';
import { DynamoSeenSet } from '../../functions/aws/seen-set.js';
import { loadConfig } from '../../functions/config.js';
import { run } from '../../functions/ingest/run.js';
import type { IncidentPage, IncidentPageSource, IncidentQuery } from '../../functions/ingest/ports.js';
import type { RunSummary } from '../../functions/ingest/run-summary.js';
import { buildRunDependencies, runTimeLimits, type AwsClients } from '../../functions/ingest/wiring.js';
import { SymantecCredentials } from '../../functions/symantec/credentials.js';
import { createSymantecClient } from '../../functions/symantec/incidents-client.js';
import type { LocalEnvironment } from '../../local/environment.js';
import { createRandom } from '../../local/random.js';
import { createSimAwsClients } from '../simulation/sim-aws-clients.js';
import { createSimClock } from '../simulation/sim-clock.js';
import { SimLog } from '../simulation/sim-logger.js';

export const CLIENT_ID = 'fuzz-client';
/** Long and random: no window of it can turn up in a document by chance. */
export const CANARY_SECRET = `canary-${randomBytes(24).toString('hex')}`;
/** Stands for the caller's own Authorization header in a scripted body: a hostile API echoing it back. */
export const ECHO_AUTHORIZATION = '{{authorization}}';

export interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Answers scripted in order; when they run out, the `dataset` paged by the request's `next` and `limit`
 * (an empty last page when there is none), or a good token.
 */
export class ScriptedApi {
  incidents: Answer[] = [];
  tokens: Answer[] = [];
  dataset: readonly unknown[] = [];
  readonly issuedTokens: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ScriptedApi> {
    let api: ScriptedApi | undefined;
    const server = createServer((req, res) => void api?.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new ScriptedApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return api;
  }

  script(incidents: readonly Answer[], tokens: readonly Answer[] = [], dataset: readonly unknown[] = []): void {
    this.incidents = [...incidents];
    this.tokens = [...tokens];
    this.dataset = dataset;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const isToken = req.url === '/v1/oauth2/tokens';
    const scripted = (isToken ? this.tokens : this.incidents).shift();
    const answer = scripted ?? (isToken ? this.goodToken() : this.page(Buffer.concat(chunks).toString('utf8')));
    const body = answer.body.split(ECHO_AUTHORIZATION).join(req.headers.authorization ?? '');
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(body);
  }

  /** Offset paging over `dataset`, the way the simulator answers: `next` equals `total` on the last page. */
  private page(requestBody: string): Answer {
    let asked: { next?: number; limit?: number } = {};
    try {
      asked = JSON.parse(requestBody) as typeof asked;
    } catch {
      // A request cut off by the client: answer the first page, nobody reads it.
    }
    const { next = 0, limit = 15 } = asked;
    const incidents = this.dataset.slice(next, next + limit);
    return { status: 200, body: JSON.stringify({ total: this.dataset.length, next: next + incidents.length, incidents }) };
  }

  private goodToken(): Answer {
    const token = randomBytes(24).toString('base64url');
    this.issuedTokens.push(token);
    return { status: 200, body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }) };
  }
}

export interface FuzzRun {
  readonly summary: RunSummary;
  readonly pages: readonly { query: IncidentQuery; page: IncidentPage }[];
  readonly checkpoint: Checkpoint;
  readonly log: SimLog;
}

/**
 * Strings that must never be printed: the secret, its Basic form and every token issued, whole or any
 * 16 characters of them (an error text cut off in the middle of an echoed credential still leaks it).
 */
export function forbiddenStrings(api: ScriptedApi): string[] {
  const whole = [CANARY_SECRET, Buffer.from(`${CLIENT_ID}:${CANARY_SECRET}`).toString('base64'), ...api.issuedTokens];
  const pieces = whole.flatMap((secret) => Array.from({ length: Math.max(0, secret.length - 15) }, (_, i) => secret.slice(i, i + 16)));
  return [...whole, ...pieces];
}

export class FuzzWorld {
  readonly clients: AwsClients;
  readonly direct: DynamoDBClient;
  #runs = 0;

  constructor(
    readonly local: LocalEnvironment,
    readonly api: ScriptedApi,
  ) {
    this.clients = createSimAwsClients(local.env, createSimClock(Date.now()), createRandom(1));
    this.direct = new DynamoDBClient({
      endpoint: local.dynamodb.url,
      region: local.env.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  /** One run on a fresh source (its own checkpoint and seen-set) against the scripted API. */
  async run(settings: Record<string, string> = {}): Promise<FuzzRun & { source: string }> {
    const source = `fuzz-${++this.#runs}`;
    const clock = createSimClock(Date.UTC(2025, 2, 1));
    const config = loadConfig({
      ...this.local.env,
      SYMANTEC_API_URL: this.api.url,
      SOURCE_ID: source,
      WINDOW_SPLIT_THRESHOLD: '1000000',
      ...settings,
    });
    const client = createSymantecClient({
      apiUrl: config.apiUrl,
      credentials: SymantecCredentials.fromClientSecret(CLIENT_ID, CANARY_SECRET),
      clock,
      random: () => 0.5,
      requestTimeoutMs: 2_000,
      // Small, so a fuzzed oversized body is cut off without moving megabytes.
      maxResponseBytes: 64 * 1024,
    });
    const pages: { query: IncidentQuery; page: IncidentPage }[] = [];
    const recording: IncidentPageSource = {
      fetchIncidentPage: async (query, limits) => {
        const page = await client.fetchIncidentPage(query, limits);
        pages.push({ query, page });
        return page;
      },
    };
    const log = new SimLog(() => forbiddenStrings(this.api));
    const deps = buildRunDependencies({
      config,
      clients: this.clients,
      api: client,
      source,
      owner: `owner-${source}`,
      logger: log.logger(() => false),
      clock,
      ...runTimeLimits(clock.now(), 300_000),
    });
    const summary = await run({ ...deps, api: recording });
    log.scan(JSON.stringify(summary), 'summary');
    return { source, summary, pages, checkpoint: await this.checkpointOf(source), log };
  }

  async checkpointOf(source: string): Promise<Checkpoint> {
    const { Item: item = {} } = await this.direct.send(
      new GetItemCommand({ TableName: this.local.env.CHECKPOINT_TABLE, Key: { pk: { S: checkpointKey(source) } }, ConsistentRead: true }),
    );
    const w = item.window?.M;
    const window = w?.start?.S && w.end?.S && w.next?.N ? { start: w.start.S, end: w.end.S, next: Number(w.next.N) } : undefined;
    return { cursor: item.cursor?.S, window, sweptAt: item.sweptAt?.S, origin: item.origin?.S };
  }

  /** The fingerprints among `fingerprints` that the source's seen-set does not hold (never delivered). */
  undelivered(source: string, fingerprints: readonly string[]): Promise<Set<string>> {
    return new DynamoSeenSet(this.direct, this.local.env.CHECKPOINT_TABLE, createSimClock(0)).filterUnseen(source, fingerprints);
  }

  close(): void {
    this.clients.dynamodb.destroy();
    this.clients.firehose.destroy();
    this.direct.destroy();
  }
}
