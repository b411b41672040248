/**
 * A DynamoDB endpoint for the pipelining benchmark that answers the seen-set's BatchGetItem and
 * BatchWriteItem itself, from memory, after the configured latency, and passes every other call (the
 * checkpoint's conditional UpdateItem) on to dynalite behind the fault proxy.
 *
 * Why: dynalite spends about 0.1 ms of CPU per item (measured here: 2,000 writes ~200 ms, 2,000
 * consistent reads ~70 ms), so one 2,000-incident page costs it ~270 ms of CPU, more than the 150 ms page
 * latency, on the same two cores as the function. The benchmark would time the emulator instead of the
 * function. DynamoDB's cost is modelled as the per-call latency, as the issue asks; the calls are still
 * real SDK calls over HTTP, counted here by operation.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendAwsJson } from '../local/aws-json.js';
import { closeServer, guard, listen, readBody, waitWallTime } from '../local/http-kit.js';
import { forwardRequest } from '../local/fault-proxy.js';

export interface SeenSetStandIn {
  readonly url: string;
  /** Calls received, by operation, answered here or passed on. */
  readonly calls: Readonly<Record<string, number>>;
  readonly items: number;
  close(): Promise<void>;
}

type Item = Record<string, { S?: string; N?: string }>;
interface KeysAndAttributes {
  Keys?: Item[];
}
type WriteRequest = { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } };

// A 2,000-row page sends 20 reads of 100 keys and 80 writes of 25 items: far below this.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startSeenSetStandIn(options: { upstream: string; latencyMs: number }): Promise<SeenSetStandIn> {
  const upstream = new URL(options.upstream);
  const items = new Map<string, Item>();
  const calls: Record<string, number> = {};

  const keyOf = (item: Item) => item.pk?.S ?? '';

  const batchGet = (input: { RequestItems?: Record<string, KeysAndAttributes> }) => {
    const responses: Record<string, Item[]> = {};
    for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
      // The seen-set asks for `pk` only (ProjectionExpression), which is all an item holds besides its TTL.
      responses[table] = (request.Keys ?? []).flatMap((key) => {
        const found = items.get(`${table}\n${keyOf(key)}`);
        return found ? [{ pk: found.pk as { S: string } }] : [];
      });
    }
    return { Responses: responses, UnprocessedKeys: {} };
  };

  const batchWrite = (input: { RequestItems?: Record<string, WriteRequest[]> }) => {
    for (const [table, requests] of Object.entries(input.RequestItems ?? {})) {
      for (const write of requests) {
        if (write.PutRequest) items.set(`${table}\n${keyOf(write.PutRequest.Item)}`, write.PutRequest.Item);
        else if (write.DeleteRequest) items.delete(`${table}\n${keyOf(write.DeleteRequest.Key)}`);
      }
    }
    return { UnprocessedItems: {} };
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => forwardRequest(upstream, req, res, body);

  const server = createServer(
    guard(async (req, res) => {
      const body = await readBody(req, MAX_BODY_BYTES);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      calls[operation] = (calls[operation] ?? 0) + 1;
      if (operation !== 'BatchGetItem' && operation !== 'BatchWriteItem') return forward(req, res, body);
      await waitWallTime(options.latencyMs);
      const input = JSON.parse(body.toString('utf8'));
      sendAwsJson(res, operation === 'BatchGetItem' ? batchGet(input) : batchWrite(input), '1.0');
    }),
  );
  const url = await listen(server, {});
  return {
    url,
    calls,
    get items() {
      return items.size;
    },
    close: () => closeServer(server),
  };
}
