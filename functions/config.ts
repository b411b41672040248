/**
 * The function's configuration: read once from the environment, validated, frozen. Every default is
 * stated here and only here (the CDK construct and docs/configuration.md point here). A bad value stops the
 * run at start with one message per bad variable; a value is echoed only when it is not a secret.
 */
import * as v from 'valibot';
import { parseDurationMs } from './duration.js';
import { namespaceProblem } from './ecs/mapping-options.js';
import { ConfigError } from './errors.js';
import { DEFAULT_OUTPUT_FORMAT, OUTPUT_FORMATS, type OutputFormat } from './output-format.js';
import { isLoopbackUrl } from './url-policy.js';

export type { OutputFormat } from './output-format.js';

export interface Config {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly secretId: string;
  readonly checkpointTable: string;
  readonly deliveryStream: string;
  readonly sourceId: string;
  readonly initialLookbackMs: number;
  readonly settleDelayMs: number;
  readonly maxWindowMs: number;
  readonly pageSize: number;
  /** Pages fetched for one window before the run stops paging it (a runaway `next` guard). */
  readonly maxPagesPerWindow: number;
  /** Rows asked again before each reported `next`, so a shift of offsets skips nothing. */
  readonly pageOverlap: number;
  /** A first page whose `total` reaches this narrows the window (the API may cap a query at 10,000). */
  readonly splitThreshold: number;
  /** How often a run also re-reads the trailing horizon for updates; 0 turns the sweep off. */
  readonly updateSweepIntervalMs: number;
  readonly updateSweepHorizonMs: number;
  readonly includeEvents: boolean;
  readonly query: string | undefined;
  readonly outputFormat: OutputFormat;
  readonly preserveOriginalEvent: boolean;
  readonly preserveDuplicateCustomFields: boolean;
  readonly tags: readonly string[] | undefined;
  readonly namespace: string | undefined;
  readonly dedupe: boolean;
  readonly requestTimeoutMs: number;
}

const DEFAULT_API_URL = 'https://api.sep.securitycloud.symantec.com';

/** The whole-number settings' ranges, [least, most]: the stack checks per-source settings against them too. */
export const INTEGER_RANGES = Object.freeze({
  PAGE_SIZE: [1, 2000],
  MAX_PAGES_PER_WINDOW: [1, 10_000],
  PAGE_OVERLAP: [0, 1000],
  WINDOW_SPLIT_THRESHOLD: [2, 1_000_000],
} as const satisfies Record<string, readonly [number, number]>);

type Env = Readonly<Record<string, string | undefined>>;
/** What a parser returns for a bad value: the sentence for the user. */
class Problem {
  constructor(readonly message: string) {}
}
type Field<T> = { variable: string; fallback?: string; parse: (text: string) => T | Problem };

const bad = (variable: string, text: string, why: string) => new Problem(`${variable}=${JSON.stringify(text)} ${why}`);

function duration(variable: string, fallback: string, minMs = 0): Field<number> {
  return {
    variable,
    fallback,
    parse: (text) => {
      const ms = parseDurationMs(text);
      if (ms === undefined) return bad(variable, text, 'is not a duration: write it like 90s, 15m, 24h or 30d');
      if (ms < minMs) return bad(variable, text, `is too short: at least ${minMs / 1000}s`);
      return ms;
    },
  };
}

function integer(variable: keyof typeof INTEGER_RANGES, fallback: string | undefined): Field<number> {
  const [min, max] = INTEGER_RANGES[variable];
  const schema = v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(min), v.maxValue(max));
  return {
    variable,
    ...(fallback === undefined ? {} : { fallback }),
    parse: (text) => {
      const result = v.safeParse(schema, text.trim());
      return result.success ? result.output : bad(variable, text, `must be a whole number from ${min} to ${max}`);
    },
  };
}

function boolean(variable: string, fallback: string): Field<boolean> {
  return {
    variable,
    fallback,
    parse: (text) => {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes') return true;
      if (t === 'false' || t === '0' || t === 'no') return false;
      return bad(variable, text, 'must be true or false');
    },
  };
}

function url(variable: string, fallback?: string): Field<string> {
  return {
    variable,
    ...(fallback === undefined ? {} : { fallback }),
    parse: (text) => {
      let parsed: URL;
      try {
        parsed = new URL(text.trim());
      } catch {
        return bad(variable, text, 'is not a URL');
      }
      if (parsed.protocol === 'https:') return parsed.toString().replace(/\/$/, '');
      if (parsed.protocol === 'http:' && isLoopbackUrl(parsed)) return parsed.toString().replace(/\/$/, '');
      return bad(variable, text, 'must use https:// (http:// is allowed only for a loopback host such as 127.0.0.1)');
    },
  };
}

function text(variable: string, fallback?: string): Field<string> {
  return {
    variable,
    ...(fallback === undefined ? {} : { fallback }),
    parse: (value) => (value.trim() === '' ? bad(variable, value, 'must not be empty') : value.trim()),
  };
}

function oneOf<T extends string>(variable: string, fallback: T, values: readonly T[]): Field<T> {
  return {
    variable,
    fallback,
    parse: (value) => {
      const t = value.trim().toLowerCase() as T;
      return values.includes(t) ? t : bad(variable, value, `must be one of ${values.join(', ')}`);
    },
  };
}

function tagList(variable: string): Field<string[]> {
  return {
    variable,
    parse: (value) =>
      value
        .split(',')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
  };
}

/**
 * Reads and validates the whole configuration. `env` is normally `process.env`; the CLI passes the same.
 * Throws one ConfigError listing every problem, so a user fixes them in one go.
 */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  function read<T>(field: Field<T>): T;
  function read<T>(field: Field<T>, optional: true): T | undefined;
  function read<T>(field: Field<T>, optional = false): T | undefined {
    const raw = env[field.variable];
    const value = raw === undefined || raw === '' ? field.fallback : raw;
    if (value === undefined) {
      if (!optional) problems.push(`${field.variable} is required`);
      return undefined;
    }
    const parsed = field.parse(value);
    if (parsed instanceof Problem) {
      problems.push(parsed.message);
      return undefined;
    }
    return parsed;
  }

  const apiUrl = read(url('SYMANTEC_API_URL', DEFAULT_API_URL));
  const config = {
    apiUrl,
    tokenUrl: read(url('SYMANTEC_TOKEN_URL', apiUrl === undefined ? undefined : `${apiUrl}/v1/oauth2/tokens`)),
    secretId: read(text('SYMANTEC_SECRET_ID')),
    checkpointTable: read(text('CHECKPOINT_TABLE')),
    deliveryStream: read(text('DELIVERY_STREAM')),
    sourceId: read(sourceIdField('SOURCE_ID')),
    initialLookbackMs: read(duration('INITIAL_LOOKBACK', '24h', 60_000)),
    settleDelayMs: read(duration('SETTLE_DELAY', '60s')),
    maxWindowMs: read(duration('MAX_WINDOW', '24h', 60_000)),
    pageSize: read(integer('PAGE_SIZE', '2000')),
    maxPagesPerWindow: read(integer('MAX_PAGES_PER_WINDOW', '100')),
    pageOverlap: read(integer('PAGE_OVERLAP', undefined), true),
    splitThreshold: read(integer('WINDOW_SPLIT_THRESHOLD', '9000')),
    updateSweepIntervalMs: read(duration('UPDATE_SWEEP_INTERVAL', '6h')),
    updateSweepHorizonMs: read(duration('UPDATE_SWEEP_HORIZON', '7d', 60_000)),
    includeEvents: read(boolean('INCLUDE_EVENTS', 'false')),
    query: read(text('QUERY'), true),
    outputFormat: read(oneOf<OutputFormat>('OUTPUT_FORMAT', DEFAULT_OUTPUT_FORMAT, OUTPUT_FORMATS)),
    preserveOriginalEvent: read(boolean('PRESERVE_ORIGINAL_EVENT', 'false')),
    preserveDuplicateCustomFields: read(boolean('PRESERVE_DUPLICATE_CUSTOM_FIELDS', 'false')),
    tags: read(tagList('TAGS'), true),
    namespace: read(namespaceField('DATA_STREAM_NAMESPACE'), true),
    dedupe: read(boolean('DEDUPE', 'true')),
    requestTimeoutMs: read(duration('REQUEST_TIMEOUT', '30s', 1_000)),
  };
  // Ten rows absorb ten incidents leaving the window between two pages; small pages take a quarter.
  if (config.pageOverlap === undefined && config.pageSize !== undefined) config.pageOverlap = Math.min(10, Math.floor(config.pageSize / 4));
  if (config.pageSize !== undefined && config.pageOverlap !== undefined && config.pageOverlap * 2 > config.pageSize) {
    problems.push(`PAGE_OVERLAP=${config.pageOverlap} must be at most half of PAGE_SIZE=${config.pageSize}, or paging could not advance`);
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, problems);
  }
  return Object.freeze(config as Config);
}

function namespaceField(variable: string): Field<string> {
  return {
    variable,
    parse: (value) => {
      const problem = namespaceProblem(value.trim());
      return problem === undefined ? value.trim() : bad(variable, value, problem);
    },
  };
}

// The source id becomes part of DynamoDB keys and metric dimensions: keep it short and plain.
function sourceIdField(variable: string): Field<string> {
  return {
    variable,
    fallback: 'default',
    parse: (value) =>
      isValidSourceId(value.trim()) ? value.trim() : bad(variable, value, 'must be 1-64 letters, digits, ., _ or -'),
  };
}

export function isValidSourceId(id: string): boolean {
  return /^[A-Za-z0-9._-]{1,64}$/.test(id);
}
