/**
 * The parent's handle on bench/ingest-child.ts: a fresh `node` process per measured function, like a
 * fresh Lambda container, that invokes the handler bundle on request.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage, ParentMessage } from './ingest-child.js';

export type InvocationResult = Extract<ChildMessage, { kind: 'result' }>;

export interface FunctionProcess {
  /** Time to `require` the bundle in this process, and the peak RSS after it. */
  readonly importMs: number;
  readonly readyRssKb: number;
  invoke(event?: { source?: string }, remainingMs?: number): Promise<InvocationResult>;
  close(): Promise<void>;
}

/** The default function timeout the stack sets (5 minutes). */
const FUNCTION_TIMEOUT_MS = 300_000;

export async function startFunctionProcess(
  childFile: string,
  bundleFile: string,
  env: Record<string, string>,
  options: { execArgv?: readonly string[] } = {},
): Promise<FunctionProcess> {
  const child: ChildProcess = fork(childFile, [bundleFile], {
    // A clean environment, like a function's: the local endpoints and settings, and the BENCH_* switches.
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...benchSwitches(), ...env },
    // BENCH_CHILD_NODE_OPTIONS=--cpu-prof profiles the function process.
    execArgv: [...(options.execArgv ?? []), ...(process.env.BENCH_CHILD_NODE_OPTIONS ?? '').split(' ').filter((option) => option !== '')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting: { resolve: (message: ChildMessage) => void; reject: (error: Error) => void } | undefined;
  let exited: Error | undefined;
  child.on('message', (message: ChildMessage) => {
    const current = waiting;
    waiting = undefined;
    current?.resolve(message);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`the function process exited (code ${code}, signal ${signal})`);
    waiting?.reject(exited);
    waiting = undefined;
  });
  const next = () =>
    new Promise<ChildMessage>((resolve, reject) => {
      if (exited) return reject(exited);
      waiting = { resolve, reject };
    });

  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`expected the ready message, got ${ready.kind}`);
  return {
    importMs: ready.importMs,
    readyRssKb: ready.maxRssKb,
    invoke: async (event = {}, remainingMs = FUNCTION_TIMEOUT_MS) => {
      const answer = next();
      child.send({ kind: 'invoke', event, remainingMs } satisfies ParentMessage);
      const message = await answer;
      if (message.kind !== 'result') throw new Error(`expected a result, got ${message.kind}`);
      return message;
    },
    close: async () => {
      if (exited || child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ kind: 'exit' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

function benchSwitches(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('BENCH_') && entry[1] !== undefined),
  );
}
