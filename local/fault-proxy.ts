import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendAwsError, type AwsJsonVersion } from './aws-json.js';
import { closeServer, guard, listen, readBody, waitWallTime, type ListenOptions } from './http-kit.js';
import { createRandom } from './random.js';
import { createFaultQueue } from './fault-queue.js';

/**
 * An HTTP proxy in front of a local AWS emulator (dynalite above all): forwards every call, counts calls
 * by `X-Amz-Target`, and adds latency, throttling and server errors in the service's own error shape, so
 * the real SDK retries them as it would against AWS.
 */

export interface ProxyBehaviour {
  /** Real (wall) time added to every call. @default 0 */
  latencyMs: number;
  /** Share of calls answered with the service's throttling error (seeded). @default 0 */
  throttleRate: number;
  /** Share of calls answered with a 500 (seeded). @default 0 */
  errorRate: number;
}

export interface ProxyFault {
  kind: 'throttle' | 'error' | 'slow' | 'reset';
  /** How many matching calls get it. @default 1 */
  count?: number;
  /** Only calls to this operation (e.g. `PutItem`) or full target; any call when absent. */
  match?: string;
  /** Only calls whose request body holds this text (e.g. a key prefix); any body when absent. */
  bodyIncludes?: string;
  /** slow: extra delay. @default 1000 */
  delayMs?: number;
  /** throttle on DynamoDB: which of its two throttling errors. @default 'ProvisionedThroughputExceededException' */
  errorType?: 'ProvisionedThroughputExceededException' | 'ThrottlingException';
}

export interface FaultProxyOptions extends ListenOptions {
  /** Base URL of the emulator behind, e.g. `http://127.0.0.1:4567`. */
  target: string;
  /** @default 1 */
  seed?: number;
  behaviour?: Partial<ProxyBehaviour>;
}

export interface ProxyStats {
  /** Calls received, by `X-Amz-Target` (e.g. `DynamoDB_20120810.PutItem`). */
  byTarget: Record<string, number>;
  total: number;
  faults: Partial<Record<ProxyFault['kind'], number>>;
}

export interface FaultProxy {
  url: string;
  readonly behaviour: Readonly<ProxyBehaviour>;
  setBehaviour(change: Partial<ProxyBehaviour>): void;
  inject(fault: ProxyFault): void;
  readonly stats: ProxyStats;
  /** Calls to one operation, whatever the service prefix. */
  calls(operation: string): number;
  close(): Promise<void>;
}

/** Large enough for any DynamoDB (16 MiB) or Firehose (4 MiB in base64) request. */
const maxBodyBytes = 20 * 1024 * 1024;

interface ServiceErrors {
  version: AwsJsonVersion;
  throttle(errorType: ProxyFault['errorType']): { status: number; type: string; message: string };
  internal: { status: number; type: string; message: string };
}

function errorsFor(target: string): ServiceErrors {
  if (target.startsWith('DynamoDB_')) {
    return {
      version: '1.0',
      throttle: (errorType) =>
        errorType === 'ThrottlingException'
          ? {
              status: 400,
              type: 'com.amazon.coral.availability#ThrottlingException',
              message: 'Rate of requests exceeds the allowed throughput.',
            }
          : {
              status: 400,
              type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
              message:
                'The level of configured provisioned throughput for the table was exceeded. ' +
                'Consider increasing your provisioning level with the UpdateTable API.',
            },
      internal: { status: 500, type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
    };
  }
  if (target.startsWith('Firehose_')) {
    return {
      version: '1.1',
      throttle: () => ({ status: 503, type: 'ServiceUnavailableException', message: 'Slow down.' }),
      internal: { status: 500, type: 'InternalFailure', message: 'The request processing has failed because of an unknown error.' },
    };
  }
  return {
    version: '1.1',
    throttle: () => ({ status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }),
    internal: { status: 500, type: 'InternalFailure', message: 'The request processing has failed because of an unknown error.' },
  };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.target);
  const agent = new Agent({ keepAlive: true });
  const random = createRandom((options.seed ?? 1) ^ 0x9e0);
  const behaviour: ProxyBehaviour = { latencyMs: 0, throttleRate: 0, errorRate: 0, ...options.behaviour };
  const queue = createFaultQueue<ProxyFault>();
  const stats: ProxyStats = { byTarget: {}, total: 0, faults: {} };
  const closing = new AbortController();

  const takeFault = (target: string, body: Buffer): ProxyFault | undefined => {
    const operation = target.slice(target.indexOf('.') + 1);
    const fault: ProxyFault | undefined =
      queue.take(
        (queued) =>
          (queued.match === undefined || queued.match === operation || queued.match === target) &&
          (queued.bodyIncludes === undefined || body.includes(queued.bodyIncludes)),
      ) ??
      (random.chance(behaviour.throttleRate) ? { kind: 'throttle' } : random.chance(behaviour.errorRate) ? { kind: 'error' } : undefined);
    if (fault) stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;
    return fault;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => forwardRequest(upstream, req, res, body, { agent });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // The whole body is read before forwarding so the emulator behind never sees a half-sent request.
    const body = await readBody(req, maxBodyBytes);
    const target = String(req.headers['x-amz-target'] ?? '(none)');
    stats.total += 1;
    stats.byTarget[target] = (stats.byTarget[target] ?? 0) + 1;
    if (behaviour.latencyMs > 0) await waitWallTime(behaviour.latencyMs, closing.signal);
    const fault = takeFault(target, body);
    const errors = errorsFor(target);
    switch (fault?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'throttle': {
        const { status, type, message } = errors.throttle(fault.errorType);
        return sendAwsError(res, status, type, message, errors.version);
      }
      case 'error':
        return sendAwsError(res, errors.internal.status, errors.internal.type, errors.internal.message, errors.version);
      case 'slow':
        await waitWallTime(fault.delayMs ?? 1_000, closing.signal);
        break;
      default:
        break;
    }
    await forward(req, res, body);
  };

  const server = createServer(guard(handle));
  const url = await listen(server, options);
  return {
    url,
    behaviour,
    setBehaviour: (change) => void Object.assign(behaviour, change),
    inject: (fault) => queue.push(fault),
    stats,
    calls: (operation) =>
      Object.entries(stats.byTarget)
        .filter(([target]) => target.slice(target.indexOf('.') + 1) === operation)
        .reduce((sum, [, count]) => sum + count, 0),
    close: async () => {
      closing.abort(new Error('Fault proxy closed'));
      await closeServer(server);
      agent.destroy();
    },
  };
}

export interface ForwardOptions {
  readonly agent?: Agent;
  /** Awaited once the upstream's answer has begun and before any of it is passed on (a delay, say). */
  readonly beforeAnswer?: () => Promise<void>;
}

/**
 * Sends a request, whose body was read whole, on to `upstream` and streams the answer back; an unreachable
 * upstream answers 502 in the AWS error shape. Resolves when the answer has been passed on.
 */
export function forwardRequest(
  upstream: URL,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  options: ForwardOptions = {},
): Promise<void> {
  const { agent, beforeAnswer } = options;
  return new Promise<void>((resolve) => {
    const outgoing = request(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        ...(agent ? { agent } : {}),
      },
      (incoming) => {
        incoming.once('end', resolve);
        incoming.once('error', () => {
          res.destroy();
          resolve();
        });
        const passOn = () => {
          res.writeHead(incoming.statusCode ?? 502, incoming.headers);
          incoming.pipe(res);
        };
        if (beforeAnswer) beforeAnswer().then(passOn, () => incoming.destroy(new Error('the answer was not passed on')));
        else passOn();
      },
    );
    outgoing.once('error', (error) => {
      if (!res.headersSent) sendAwsError(res, 502, 'BadGateway', `Proxy could not reach ${upstream.origin}: ${error.message}`);
      else res.destroy();
      resolve();
    });
    outgoing.end(body);
  });
}
