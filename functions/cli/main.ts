/**
 * `symantec-edr`: one entry point, a subcommand per file. Each subcommand gets its arguments and the
 * process streams, and returns the exit status.
 */
import { readPackageInfo } from '../package-info.js';
import type { Readable, Writable } from 'node:stream';
import type { Clock } from '../clock.js';

export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** The local clock. @default the system clock */
  clock?: Clock;
  /** Where SIGINT and SIGTERM arrive: the process when run from the shell; absent in tests run in-process. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

type Command = (argv: string[], io: CommandIo) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  map: {
    summary: 'map incidents from standard input to ECS documents (NDJSON out)',
    load: async () => (await import('./map-command.js')).runMapCommand,
  },
  run: {
    summary: 'one ingestion run with the configuration in the environment',
    load: async () => (await import('./run-command.js')).runRunCommand,
  },
  check: {
    summary: 'test configuration and credentials: get a token, ask for one incident',
    load: async () => (await import('./check-command.js')).runCheckCommand,
  },
  status: {
    summary: 'the health of every source: last run, last success, cursor, lease, sweep',
    load: async () => (await import('./status-command.js')).runStatusCommand,
  },
  replay: {
    summary: 're-ingest a past range through the dedupe without moving the checkpoint',
    load: async () => (await import('./replay-command.js')).runReplayCommand,
  },
};

export function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return [
    'Usage: symantec-edr <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `symantec-edr <command> --help` for the options of one command; `symantec-edr --version` for the version.',
    'The commands are described in docs/cli.md.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CommandIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`symantec-edr: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest, io);
}

function defaultIo(): CommandIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signals: process };
}

/** The version in the package's own package.json (from the sources or the installed package alike). */
export function packageVersion(): string {
  return readPackageInfo().version;
}
