/**
 * A fixed latency per incidents page, as the pipelining benchmark needs it: every answer of
 * `POST /v1/incidents` leaves `latencyMs` after its request arrived, however long the simulator took to
 * build it (as long as that was shorter). The simulator's own `latencyMs` waits before it builds the page
 * (select, sort and serialise 2,000 rows, ~20-30 ms here under load), so every page would take longer than
 * the latency the benchmark divides by. Token requests pass straight through.
 */
import { createServer } from 'node:http';
import { forwardRequest } from '../local/fault-proxy.js';
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
      const isIncidents = new URL(req.url ?? '/', upstream).pathname.endsWith('/incidents');
      // The answer waits out what is left of the latency once the simulator has begun it.
      const waitRest = async () => {
        const leftMs = options.latencyMs - (performance.now() - arrivedMs);
        if (leftMs > 0) await waitWallTime(leftMs, closing.signal);
      };
      await forwardRequest(upstream, req, res, body, isIncidents ? { beforeAnswer: waitRest } : {});
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
