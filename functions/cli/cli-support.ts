/**
 * What the `run`, `check` and `replay` commands share: configuration from the environment (or a deployed
 * function's) with a clear verdict, the credentials from Secrets Manager, and a JSON-lines logger on
 * standard error.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Config, loadConfig } from '../config.js';
import { ConfigError, describeError } from '../errors.js';
import type { RunLogger } from '../ingest/ports.js';
import { readFunctionVariables, withFunctionVariables } from './deployed-function.js';
import type { CommandIo } from './main.js';

/** The configuration, or `undefined` after writing every problem to standard error. */
export function configFromEnv(io: CommandIo, env: NodeJS.ProcessEnv = io.env, origin = 'the environment'): Config | undefined {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`symantec-edr: the configuration in ${origin} is not valid:\n${error.problems.map((p) => `  - ${p}\n`).join('')}`);
    return undefined;
  }
}

/**
 * The configuration of the process environment, or with `functionName` that of the deployed function
 * (its variables over the process's, AWS_* kept). `undefined` after saying what is wrong: 1 when the
 * function could not be read, 2 when the configuration is not valid.
 */
export async function loadCommandConfig(
  command: string,
  io: CommandIo,
  functionName: string | undefined,
): Promise<Config | { status: number }> {
  if (functionName === undefined) return configFromEnv(io) ?? { status: 2 };
  let variables: Record<string, string>;
  try {
    variables = await readFunctionVariables(functionName);
  } catch (error) {
    io.stderr.write(`symantec-edr ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return { status: 1 };
  }
  return configFromEnv(io, withFunctionVariables(io.env, variables), `function ${functionName}`) ?? { status: 2 };
}

/** The secret's text. Errors name the secret id and the AWS error, never a value. */
export async function readSecretText(config: Config): Promise<string> {
  const client = new SecretsManagerClient({});
  try {
    const result = await client.send(new GetSecretValueCommand({ SecretId: config.secretId }));
    if (result.SecretString === undefined)
      throw new ConfigError(`Secret ${config.secretId} holds no text value: store {"client_id","client_secret"} in it`);
    return result.SecretString;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Could not read secret ${config.secretId} from Secrets Manager: ${describeError(error)}`);
  } finally {
    client.destroy();
  }
}

/** A RunLogger writing one JSON object per line, with the keys the Lambda's logs have. */
export function createJsonLogger(stream: NodeJS.WritableStream, options: { debug?: boolean } = {}): RunLogger {
  const keys: Record<string, unknown> = {};
  const write =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      if (level === 'DEBUG' && !options.debug) return;
      stream.write(`${JSON.stringify({ level, timestamp: new Date().toISOString(), message, ...keys, ...Object.assign({}, ...extra) })}\n`);
    };
  return {
    debug: write('DEBUG'),
    info: write('INFO'),
    warn: write('WARN'),
    error: write('ERROR'),
    appendKeys: (more) => Object.assign(keys, more),
  };
}

export function parseIsoInstant(text: string | undefined, flag: string): number {
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text ?? '')) {
    throw new ConfigError(`${flag} must be an ISO 8601 instant such as 2026-11-01T00:00:00Z; got ${JSON.stringify(text ?? '')}`);
  }
  return ms;
}
