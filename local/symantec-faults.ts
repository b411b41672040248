import type { ServerResponse } from 'node:http';
import { sendJson } from './http-kit.js';
import type { Random } from './random.js';
import { createFaultQueue } from './fault-queue.js';

/** Faults the Symantec simulator can inject, queued by hand or drawn at a seeded rate. */

export const faultKinds = [
  '401',
  '429',
  '500',
  '502',
  '503',
  'slow',
  'malformed',
  'truncated',
  'next-missing',
  'next-stuck',
  'next-beyond-total',
  'redirect',
  'huge',
  'reset',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export type FaultTarget = 'incidents' | 'token' | 'any';

export interface Fault {
  kind: FaultKind;
  /** How many matching requests get it. @default 1 */
  count?: number;
  /** Which endpoint it applies to. @default 'incidents' */
  target?: FaultTarget;
  /** 429/503: the `Retry-After` seconds; when absent the `retryAfter` behaviour decides. */
  retryAfterSeconds?: number;
  /** slow: how long the answer is held back. @default 5000 */
  delayMs?: number;
  /** redirect: @default 301 */
  status?: 301 | 302 | 307;
  /** redirect: @default the EU regional host with the same path */
  location?: string;
  /** huge: the body size in bytes; absent means an endless chunked body. */
  bytes?: number;
}

/** Faults that replace the answer; the others change a real page (or only delay it). */
export const answerFaults: ReadonlySet<FaultKind> = new Set(['429', '500', '502', '503', 'malformed', 'redirect', 'huge']);
/** Faults that only make sense on an incidents page. */
const pageOnly: ReadonlySet<FaultKind> = new Set(['next-missing', 'next-stuck', 'next-beyond-total']);

export interface FaultPlan {
  inject(fault: Fault): void;
  /** The fault for this request, if any: queued ones first, then a random draw when a rate is set. */
  take(
    target: 'incidents' | 'token',
    random: { rate: number; kinds: readonly FaultKind[]; target: FaultTarget; source: Random },
  ): Fault | undefined;
  readonly counts: Partial<Record<FaultKind, number>>;
  clear(): void;
}

export function createFaultPlan(): FaultPlan {
  const queue = createFaultQueue<Fault>();
  const counts: Partial<Record<FaultKind, number>> = {};
  const applies = (fault: Fault, target: 'incidents' | 'token') => {
    const wanted = fault.target ?? 'incidents';
    if (wanted !== 'any' && wanted !== target) return false;
    return target === 'incidents' || !pageOnly.has(fault.kind);
  };
  return {
    inject(fault) {
      queue.push(fault);
    },
    take(target, random) {
      let fault = queue.take((queued) => applies(queued, target));
      const drawn =
        fault === undefined &&
        random.rate > 0 &&
        (random.target === 'any' || random.target === target) &&
        random.kinds.length > 0 &&
        random.source.chance(random.rate);
      if (drawn) {
        const kinds = random.kinds.filter((kind) => target === 'incidents' || !pageOnly.has(kind));
        if (kinds.length > 0) fault = { kind: random.source.pick(kinds), delayMs: 1_000 };
      }
      if (fault) counts[fault.kind] = (counts[fault.kind] ?? 0) + 1;
      return fault;
    },
    counts,
    clear() {
      queue.clear();
    },
  };
}

/** The Apigee gateway's fault body, as the 404 sample shows it (slashes escaped in the string). */
export function gatewayFault(faultstring: string, errorcode: string) {
  return { fault: { faultstring, detail: { errorcode } } };
}

const euHost = 'https://api.sep.eu.securitycloud.symantec.com';
const chunkBytes = 64 * 1024;

/** Answers with the fault instead of the real answer. `retryAfterSeconds` is decided by the caller. */
export function writeAnswerFault(res: ServerResponse, fault: Fault, path: string, retryAfterSeconds: number | undefined): void {
  const retryHeader: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) };
  switch (fault.kind) {
    case '429':
      return sendJson(res, 429, { message: 'Too Many Requests' }, retryHeader);
    case '500':
      return sendJson(res, 500, { message: 'Internal Server Error' });
    case '502':
      return sendJson(res, 502, gatewayFault('Unexpected EOF at target', 'messaging.adaptors.http.flow.UnexpectedEOFAtTarget'));
    case '503':
      return sendJson(
        res,
        503,
        gatewayFault('The Service is temporarily unavailable', 'messaging.adaptors.http.flow.ServiceUnavailable'),
        retryHeader,
      );
    case 'malformed': {
      // Declared JSON but is not: the kind of page a proxy in between returns on a bad day.
      const text = '<html><body><h1>Service temporarily unavailable</h1></body></html>';
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
      return;
    }
    case 'redirect':
      res.writeHead(fault.status ?? 301, { Location: fault.location ?? `${euHost}${path}`, 'Content-Length': '0' });
      res.end();
      return;
    case 'huge':
      return writeHugeBody(res, fault.bytes);
    default:
      throw new RangeError(`Fault ${fault.kind} does not replace an answer`);
  }
}

/**
 * A valid JSON page padded to `bytes`, or with no size an endless chunked body that stops only when the
 * client goes away: a client must cap what it reads.
 */
function writeHugeBody(res: ServerResponse, bytes: number | undefined): void {
  const head = '{"total":0,"incidents":[],"padding":"';
  const tail = '"}';
  const endless = bytes === undefined;
  let padLeft = endless ? Infinity : Math.max(0, bytes - head.length - tail.length);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    ...(endless ? {} : { 'Content-Length': String(head.length + padLeft + tail.length) }),
  });
  res.write(head);
  const chunk = Buffer.alloc(chunkBytes, 'x');
  const pump = () => {
    while (padLeft > 0 && !res.destroyed) {
      const size = Math.min(chunkBytes, padLeft);
      padLeft -= size;
      if (!res.write(size === chunkBytes ? chunk : chunk.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end(tail);
  };
  res.once('close', () => res.off('drain', pump));
  pump();
}

/** Cuts a JSON text in half: the transfer completes but the body does not parse. */
export function truncateJson(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
