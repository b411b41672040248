/**
 * A fixed latency per incidents page, as the pipelining benchmark needs it: every answer of
 * `POST /v1/incidents` leaves `latencyMs` after its request arrived, however long the simulator took to
 * build it (as long as that was shorter). The simulator's own `latencyMs` waits before it builds the page
 * (select, sort and serialise 2,000 rows, ~20-30 ms here under load), so every page would take longer than
 * the latency the benchmark divides by. Token requests pass straight through.
 */
import { createServer, request } from 'node:http';
import { closeServer, guard, listen, readBody, waitWallTime } from '../local/http-kit.js';

export interface ApiLatencyGate {
  readonly url: string;
  close(): Promise<void>;
}

// An incidents query is a few hundred bytes.
const MAX_REQUEST_BYTES = 1024 * 1024;

export async function startApiLatencyGate(options: { upstream: string; latencyMs: number }): Promise<ApiLatencyGate> {
  const upstream = new URL(options.upstream);
  const closing = new AbortController();
  const server = createServer(
    guard(async (req, res) => {
      const arrivedMs = performance.now();
      const body = await readBody(req, MAX_REQUEST_BYTES);
      const answer = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const outgoing = request(
          { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.once('end', () => resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) }));
            incoming.once('error', reject);
          },
        );
        outgoing.once('error', reject);
        outgoing.end(body);
      });
      if (new URL(req.url ?? '/', upstream).pathname.endsWith('/incidents')) {
        const leftMs = options.latencyMs - (performance.now() - arrivedMs);
        if (leftMs > 0) await waitWallTime(leftMs, closing.signal);
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    }),
  );
  const url = await listen(server, {});
  return {
    url,
    close: async () => {
      closing.abort(new Error('API latency gate closed'));
      await closeServer(server);
    },
  };
}
