/** Runs a `symantec-edr` command in this process, as the `bin` entry would, and collects what it prints. */
import { PassThrough, Readable } from 'node:stream';
import type { Clock } from '../../functions/clock.js';
import { main } from '../../functions/cli/main.js';

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `env` goes over `process.env`; standard input is empty; `clock` stands for this machine's clock. */
export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  options: { clock?: Clock } = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  const status = await main([...args], { stdin: Readable.from([]), stdout, stderr, env: { ...process.env, ...env }, ...options });
  return { status, stdout: Buffer.concat(chunks.stdout).toString(), stderr: Buffer.concat(chunks.stderr).toString() };
}
