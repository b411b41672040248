/**
 * Argument parsing shared by every subcommand: node:util's parseArgs, with its errors turned into one
 * plain sentence and a pointer to the command's help (never a JavaScript error name), exit status 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { sourceIdProblem } from '../source-id.js';
import type { CommandIo } from './main.js';

/** Exit status of a usage error: bad option, bad value, missing argument. */
export const USAGE_ERROR = 2;

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<T extends Options> = T & { help: { type: 'boolean'; short: 'h' } };
type Values<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<T>; strict: true; allowPositionals: false }>
>['values'];

/** The parsed options, or the exit status after writing the usage error (or the help) to the streams. */
export function parseCommandArgs<const T extends Options>(
  command: string,
  argv: string[],
  options: T,
  io: CommandIo,
  help: string,
): Values<T> | number {
  let values: Values<T>;
  try {
    const withHelp = { ...options, help: { type: 'boolean', short: 'h' } } as WithHelp<T>;
    ({ values } = parseArgs({ args: argv, options: withHelp, strict: true, allowPositionals: false }));
  } catch (error) {
    return usageError(command, describeArgumentError(error), io);
  }
  if ((values as { help?: boolean }).help) {
    io.stdout.write(help);
    return 0;
  }
  return values;
}

/** Writes `symantec-edr <command>: <message>` and where the help is; returns the usage-error status. */
export function usageError(command: string, message: string, io: Pick<CommandIo, 'stderr'>): number {
  io.stderr.write(`symantec-edr ${command}: ${message}\nRun \`symantec-edr ${command} --help\` for the options.\n`);
  return USAGE_ERROR;
}

/** One sentence for a parseArgs error, from its code and the option it names. */
export function describeArgumentError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  const named = /'([^' ]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${named}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(named)}: this command takes options only`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `option ${named} takes no value` : `option ${named} needs a value`;
    default:
      return message;
  }
}

/** The --source value checked against the source id rule, or the usage-error status after saying why. */
export function checkSourceOption(command: string, source: string | undefined, io: Pick<CommandIo, 'stderr'>): number | undefined {
  if (source === undefined) return undefined;
  const problem = sourceIdProblem(source);
  return problem === undefined ? undefined : usageError(command, `--source: ${problem}`, io);
}
