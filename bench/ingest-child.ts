/**
 * The function under measurement, alone in its process: loads the deployed handler bundle (path in
 * argv[2]) and invokes it whenever the parent asks, answering with the run summary, the wall time and the
 * process's peak RSS so far. It never starts an emulator: their memory must not count as the function's.
 * Bundled by bench/bundles.ts and run with plain `node`, so no TypeScript loader sits in the measured heap.
 */
import { lambdaContext } from '../local/lambda-context.js';

export type ParentMessage = { kind: 'invoke'; event: { source?: string }; remainingMs: number } | { kind: 'exit' };

export type ChildMessage =
  | { kind: 'ready'; importMs: number; maxRssKb: number }
  | {
      kind: 'result';
      ok: boolean;
      summary?: Record<string, unknown>;
      error?: string;
      wallMs: number;
      /** CPU time (user + system) of this invocation. */
      cpuMs: number;
      maxRssKb: number;
      /** Bytes the handler wrote to stdout and stderr during this invocation: its CloudWatch Logs volume. */
      logBytes: number;
      logLines: number;
    };

const send = (message: ChildMessage) => process.send?.(message);

let logBytes = 0;
let logLines = 0;
const echo = process.env.BENCH_SHOW_LOGS === 'true';
// Count, and normally swallow, what the handler logs: the parent needs its size, not its text.
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    logLines += 1;
    return echo ? (original as (...args: unknown[]) => boolean)(chunk, ...rest) : true;
  }) as typeof stream.write;
}

const maxRssKb = () => process.resourceUsage().maxRSS;

const bundlePath = process.argv[2];
if (!bundlePath) throw new Error('usage: ingest-child.cjs <handler bundle>');
const importStarted = performance.now();
const { handler } = require(bundlePath) as { handler: (event: unknown, context: unknown) => Promise<Record<string, unknown>> };
send({ kind: 'ready', importMs: performance.now() - importStarted, maxRssKb: maxRssKb() });

process.on('message', (message: ParentMessage) => {
  if (message.kind === 'exit') {
    // The SDK's keep-alive sockets would hold the process open.
    process.exit(0);
  }
  logBytes = 0;
  logLines = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const measures = () => {
    const cpu = process.cpuUsage(cpuBefore);
    return { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: maxRssKb(), logBytes, logLines };
  };
  handler(message.event, lambdaContext(message.remainingMs, 'symantec-edr-bench')).then(
    (summary) => send({ kind: 'result', ok: true, summary, ...measures() }),
    (error: unknown) => send({ kind: 'result', ok: false, error: String(error), ...measures() }),
  );
});
