import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The AWS JSON protocol as the SDK v3 speaks it: `POST /`, `X-Amz-Target: <Prefix>.<Operation>`, a JSON
 * body, errors as `{"__type", "message"}` plus the `x-amzn-ErrorType` header, from which the SDK picks
 * the exception class. Firehose and Secrets Manager use version 1.1, DynamoDB 1.0.
 */

export type AwsJsonVersion = '1.0' | '1.1';

export type AwsJsonCall =
  | { ok: true; operation: string; input: Record<string, unknown> }
  | { ok: false; status: number; type: string; message: string };

export function parseAwsJsonCall(req: IncomingMessage, body: Buffer, targetPrefix: string): AwsJsonCall {
  const target = String(req.headers['x-amz-target'] ?? '');
  const dot = target.indexOf('.');
  if (req.method !== 'POST' || dot < 0 || target.slice(0, dot) !== targetPrefix) {
    return { ok: false, status: 400, type: 'UnknownOperationException', message: `Unknown operation ${target || '(none)'}` };
  }
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, status: 400, type: 'SerializationException', message: 'The request body is not valid JSON' };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, status: 400, type: 'SerializationException', message: 'The request body must be a JSON object' };
  }
  return { ok: true, operation: target.slice(dot + 1), input: input as Record<string, unknown> };
}

export function sendAwsJson(res: ServerResponse, body: unknown, version: AwsJsonVersion = '1.1', status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': `application/x-amz-json-${version}`,
    'Content-Length': String(Buffer.byteLength(text)),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

export function sendAwsError(res: ServerResponse, status: number, type: string, message: string, version: AwsJsonVersion = '1.1'): void {
  const text = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'Content-Type': `application/x-amz-json-${version}`,
    'Content-Length': String(Buffer.byteLength(text)),
    'x-amzn-RequestId': randomUUID(),
    'x-amzn-ErrorType': type.slice(type.indexOf('#') + 1),
  });
  res.end(text);
}

/** Calls per operation, the unit the benchmarks count. */
export function countCall(calls: Record<string, number>, operation: string): void {
  calls[operation] = (calls[operation] ?? 0) + 1;
}
