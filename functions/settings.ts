/**
 * Every setting of the function, defined once: its environment variable, its `cdk.json` key (the same name
 * is the construct's prop), what it accepts, its default and one line of documentation. The function's
 * configuration loader, the synth-time validation of `cdk.json` and of the construct's props, and the
 * configuration tables of the docs all derive from this table, so what the synth accepts is exactly what
 * the function accepts.
 */
import { parseDurationMs } from './duration.js';
import { namespaceProblem } from './ecs/mapping-options.js';
import { DEFAULT_OUTPUT_FORMAT, OUTPUT_FORMATS, type OutputFormat } from './output-format.js';
import { SOURCE_ID_RULE, isValidSourceId } from './source-id.js';
import { apiHostProblem, isApiHostName, urlProblem } from './url-policy.js';

/** How a setting is written in `cdk.json` (and given to the construct). */
export type JsonKind = 'string' | 'duration' | 'integer' | 'boolean' | 'string-list';

/** What a parser says of a bad value: the reason, to be put after the variable or key that holds it. */
export class SettingProblem {
  constructor(readonly why: string) {}
}

export interface Setting<T> {
  /** The environment variable the function and the CLI read. */
  readonly env: string;
  /** The `cdk.json` per-source key and construct prop; absent for what the construct itself wires. */
  readonly key?: string;
  /** How the value is written in `cdk.json`; durations are strings there and `Duration`s in the construct. */
  readonly json: JsonKind;
  /** The default, written as in the environment; absent when the setting is required or derived. */
  readonly fallback?: string;
  /** The default in words, for a default that is derived from another setting. */
  readonly derived?: string;
  /** Unset is allowed and leaves the value `undefined`. */
  readonly optional?: boolean;
  /** What values are accepted, in words (for docs and messages). */
  readonly accepts: string;
  /** One line of documentation. */
  readonly doc: string;
  readonly parse: (text: string) => T | SettingProblem;
}

const MINUTE = 60_000;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SOURCE_NAME = /^[\w\-:.]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** The settings that together send the records to Security Lake instead of Firehose. */
const SECURITY_LAKE_SETTINGS = ['securityLakeBucket', 'securityLakeSourceName', 'securityLakeRoleArn', 'securityLakeExternalId'] as const;
const DAY = 86_400_000;
// The API keeps 30 days; nothing that reads further back than that can ever be served.
const API_RETENTION_MS = 30 * DAY;

/** `90s`, `15m`, `24h`: the shortest way the settings write a whole number of milliseconds. */
export function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY],
    ['h', 3_600_000],
    ['m', MINUTE],
    ['s', 1_000],
  ] as const) {
    if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function duration(minMs: number, maxMs: number): Pick<Setting<number>, 'json' | 'accepts' | 'parse'> {
  const accepts = `a duration from ${formatMs(minMs) === '0ms' ? '0s' : formatMs(minMs)} to ${formatMs(maxMs)} (like 90s, 15m, 24h, 30d)`;
  return {
    json: 'duration',
    accepts,
    parse: (text) => {
      const ms = parseDurationMs(text);
      if (ms === undefined) return new SettingProblem('is not a duration: write it like 90s, 15m, 24h or 30d');
      if (ms < minMs || ms > maxMs) return new SettingProblem(`must be ${accepts}`);
      return ms;
    },
  };
}

function integer(min: number, max: number): Pick<Setting<number>, 'json' | 'accepts' | 'parse'> {
  const accepts = `a whole number from ${min} to ${max}`;
  return {
    json: 'integer',
    accepts,
    parse: (text) => {
      const t = text.trim();
      const n = /^\d{1,9}$/.test(t) ? Number(t) : Number.NaN;
      return n >= min && n <= max ? n : new SettingProblem(`must be ${accepts}`);
    },
  };
}

const boolean: Pick<Setting<boolean>, 'json' | 'accepts' | 'parse'> = {
  json: 'boolean',
  accepts: 'true or false',
  parse: (text) => {
    const t = text.trim().toLowerCase();
    if (t === 'true' || t === '1' || t === 'yes') return true;
    if (t === 'false' || t === '0' || t === 'no') return false;
    return new SettingProblem('must be true or false');
  },
};

const nonEmptyText: Pick<Setting<string>, 'json' | 'accepts' | 'parse'> = {
  json: 'string',
  accepts: 'text',
  parse: (value) => (value.trim() === '' ? new SettingProblem('must not be empty') : value.trim()),
};

/** An API URL: its host is checked against the allowed hosts once every setting is read (see crossChecks). */
const apiUrl: Pick<Setting<string>, 'json' | 'accepts' | 'parse'> = {
  json: 'string',
  accepts: 'an https:// URL of a Symantec API host (http:// only to a loopback address)',
  parse: (text) => {
    const problem = urlProblem(text);
    return problem === undefined ? new URL(text.trim()).toString().replace(/\/$/, '') : new SettingProblem(problem);
  },
};

const hostList: Pick<Setting<readonly string[]>, 'json' | 'accepts' | 'parse'> = {
  json: 'string-list',
  accepts: 'host names, comma-separated in the environment',
  parse: (value) => {
    const hosts = splitList(value).map((host) => host.toLowerCase());
    const bad = hosts.find((host) => !isApiHostName(host));
    return bad === undefined
      ? hosts
      : new SettingProblem(`holds ${JSON.stringify(bad)}, which is not a host name (no scheme, port or path)`);
  },
};

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The settings, in the order the docs list them. The property names are those of the function's `Config`. */
export const SETTINGS = {
  apiUrl: {
    env: 'SYMANTEC_API_URL',
    key: 'apiUrl',
    ...apiUrl,
    fallback: 'https://api.sep.securitycloud.symantec.com',
    doc: 'API base URL; EU tenants use https://api.sep.eu.securitycloud.symantec.com',
  },
  tokenUrl: {
    env: 'SYMANTEC_TOKEN_URL',
    key: 'tokenUrl',
    ...apiUrl,
    derived: '`<apiUrl>/v1/oauth2/tokens`',
    doc: 'OAuth2 token endpoint',
  },
  allowedApiHosts: {
    env: 'ALLOWED_API_HOSTS',
    key: 'allowedApiHosts',
    ...hostList,
    fallback: '',
    doc: 'hosts besides the Symantec API hosts that credentials may be sent to (a proxy or gateway of yours)',
  },
  secretId: {
    env: 'SYMANTEC_SECRET_ID',
    ...nonEmptyText,
    doc: 'Secrets Manager id of `{"client_id","client_secret"}` or `{"oauth_credentials"}`',
  },
  checkpointTable: { env: 'CHECKPOINT_TABLE', ...nonEmptyText, doc: 'DynamoDB table of checkpoints and the seen-set' },
  deliveryStream: {
    env: 'DELIVERY_STREAM',
    ...nonEmptyText,
    optional: true,
    doc: 'Firehose delivery stream name; required unless the records go to Security Lake (`SECURITY_LAKE_BUCKET`)',
  },
  securityLakeBucket: {
    env: 'SECURITY_LAKE_BUCKET',
    json: 'string',
    accepts: 'an S3 bucket name',
    optional: true,
    doc: 'the Security Lake bucket: when set, the function writes Parquet objects of OCSF findings there as a custom source instead of using Firehose',
    parse: (value: string) =>
      BUCKET_NAME.test(value.trim()) ? value.trim() : new SettingProblem('must be an S3 bucket name (3-63 of a-z, 0-9, ".", "-")'),
  },
  securityLakeSourceName: {
    env: 'SECURITY_LAKE_SOURCE_NAME',
    json: 'string',
    accepts: '1-64 of A-Z, a-z, 0-9, "_", "-", ":", "."',
    optional: true,
    doc: "the custom source's name: objects go under `ext/<name>/` of the bucket",
    parse: (value: string) =>
      SOURCE_NAME.test(value.trim()) ? value.trim() : new SettingProblem('must be 1-64 of A-Z, a-z, 0-9, "_", "-", ":", "."'),
  },
  securityLakeRoleArn: {
    env: 'SECURITY_LAKE_ROLE_ARN',
    json: 'string',
    accepts: 'an IAM role ARN',
    optional: true,
    doc: "the custom source's provider role, which the function assumes to write; its account is the `accountId=` of the object keys",
    parse: (value: string) =>
      ROLE_ARN.test(value.trim()) ? value.trim() : new SettingProblem('must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)'),
  },
  securityLakeExternalId: {
    env: 'SECURITY_LAKE_EXTERNAL_ID',
    ...nonEmptyText,
    optional: true,
    doc: 'the external ID given when the custom source was created; the provider role asks for it',
  },
  sourceId: {
    env: 'SOURCE_ID',
    json: 'string',
    accepts: SOURCE_ID_RULE,
    fallback: 'default',
    doc: 'the source (tenant) when the event names none: part of the checkpoint key and of the logs',
    parse: (value) => (isValidSourceId(value.trim()) ? value.trim() : new SettingProblem(`must be ${SOURCE_ID_RULE}`)),
  },
  initialLookbackMs: {
    env: 'INITIAL_LOOKBACK',
    key: 'initialLookback',
    ...duration(MINUTE, API_RETENTION_MS),
    fallback: '24h',
    doc: 'how far back the first run starts',
  },
  settleDelayMs: {
    env: 'SETTLE_DELAY',
    key: 'settleDelay',
    ...duration(0, DAY),
    fallback: '60s',
    doc: 'a window ends this long before now, for incidents the API indexes late',
  },
  maxWindowMs: {
    env: 'MAX_WINDOW',
    key: 'maxWindow',
    ...duration(MINUTE, API_RETENTION_MS),
    fallback: '24h',
    doc: 'the longest window: a long outage catches up in steps',
  },
  pageSize: {
    env: 'PAGE_SIZE',
    key: 'pageSize',
    ...integer(1, 2000),
    fallback: '2000',
    doc: 'incidents per API page (the API allows 2000)',
  },
  pageOverlap: {
    env: 'PAGE_OVERLAP',
    key: 'pageOverlap',
    ...integer(0, 1000),
    derived: '10, or a quarter of `pageSize` when that is smaller',
    doc: 'rows asked again before each reported `next`; at most half of `pageSize`',
  },
  maxPagesPerWindow: {
    env: 'MAX_PAGES_PER_WINDOW',
    key: 'maxPagesPerWindow',
    ...integer(1, 10_000),
    fallback: '100',
    doc: 'a window that needs more pages is narrowed and paged again (a runaway `next` guard)',
  },
  splitThreshold: {
    env: 'WINDOW_SPLIT_THRESHOLD',
    key: 'windowSplitThreshold',
    ...integer(2, 1_000_000),
    fallback: '9000',
    doc: 'a first page whose `total` reaches this narrows the window (the API may cap a query at 10,000)',
  },
  updateSweepIntervalMs: {
    env: 'UPDATE_SWEEP_INTERVAL',
    key: 'updateSweepInterval',
    ...duration(0, API_RETENTION_MS),
    fallback: '6h',
    doc: 'how often a run re-reads the trailing horizon for updates; `0s` turns the sweep off',
  },
  updateSweepHorizonMs: {
    env: 'UPDATE_SWEEP_HORIZON',
    key: 'updateSweepHorizon',
    ...duration(MINUTE, API_RETENTION_MS),
    fallback: '7d',
    doc: 'how far back the update sweep reads',
  },
  includeEvents: {
    env: 'INCLUDE_EVENTS',
    key: 'includeEvents',
    ...boolean,
    fallback: 'false',
    doc: "ask the API for each incident's events (they feed `related.*`)",
  },
  query: {
    env: 'QUERY',
    key: 'query',
    ...nonEmptyText,
    optional: true,
    doc: 'a Lucene filter passed to the API, e.g. `state_id: [0 TO 3]`',
  },
  outputFormat: {
    env: 'OUTPUT_FORMAT',
    key: 'outputFormat',
    json: 'string',
    accepts: `one of ${OUTPUT_FORMATS.join(', ')}`,
    fallback: DEFAULT_OUTPUT_FORMAT,
    doc: "`ecs` documents (Elastic's `symantec_edr_cloud` names), `ses` (`symantec_endpoint_security` names), `ocsf` (OCSF 1.1.0 Incident Finding) or `raw` incidents; with Elastic delivery `raw` unless set (docs/delivery.md)",
    parse: (value: string): OutputFormat | SettingProblem => {
      const t = value.trim().toLowerCase();
      return (OUTPUT_FORMATS as readonly string[]).includes(t)
        ? (t as OutputFormat)
        : new SettingProblem(`must be one of ${OUTPUT_FORMATS.join(', ')}`);
    },
  },
  preserveOriginalEvent: {
    env: 'PRESERVE_ORIGINAL_EVENT',
    key: 'preserveOriginalEvent',
    ...boolean,
    fallback: 'false',
    doc: 'keep the incident as received in `event.original`',
  },
  preserveDuplicateCustomFields: {
    env: 'PRESERVE_DUPLICATE_CUSTOM_FIELDS',
    key: 'preserveDuplicateCustomFields',
    ...boolean,
    fallback: 'false',
    doc: 'keep the custom fields that are also copied to ECS fields',
  },
  tags: {
    env: 'TAGS',
    key: 'tags',
    json: 'string-list',
    accepts: 'tags without commas, comma-separated in the environment',
    optional: true,
    derived: "the format's own: `forwarded,symantec_edr_cloud-incident` (`forwarded,ses-incident` with `ses`)",
    doc: 'tags added to every document',
    parse: (value: string) => splitList(value),
  },
  namespace: {
    env: 'DATA_STREAM_NAMESPACE',
    key: 'dataStreamNamespace',
    json: 'string',
    accepts: '1-100 of a-z, 0-9 and _',
    optional: true,
    derived: '`default`',
    doc: '`data_stream.namespace` of the documents',
    parse: (value: string) => {
      const problem = namespaceProblem(value.trim());
      return problem === undefined ? value.trim() : new SettingProblem(problem);
    },
  },
  dedupe: { env: 'DEDUPE', key: 'dedupe', ...boolean, fallback: 'true', doc: 'skip incident versions already delivered (the seen-set)' },
  requestTimeoutMs: {
    env: 'REQUEST_TIMEOUT',
    key: 'requestTimeout',
    ...duration(1_000, 15 * MINUTE),
    fallback: '30s',
    doc: 'one HTTP request to the API',
  },
} as const satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof SETTINGS;
type ValueOf<S> = S extends { parse: (text: string) => infer T } ? Exclude<T, SettingProblem> : never;
/** Every setting's value once read; optional settings may be `undefined`. */
export type SettingValues = { -readonly [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> | undefined };

/** One problem with one setting, kept apart from its wording so the function and the synth can each phrase it. */
export interface SettingIssue {
  readonly setting: SettingName;
  /** The text given, when the problem is with a value rather than a missing one. */
  readonly text?: string;
  readonly why: string;
}

/** The settings a source can set in `cdk.json` / the construct: those with a key. */
export const SOURCE_SETTINGS = (Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]).filter(
  (entry): entry is [SettingName, Setting<unknown> & { key: string }] => entry[1].key !== undefined,
);

/**
 * Reads every setting from environment-style texts and applies the derived defaults and the rules
 * between settings. `required: false` skips "is required" (the synth checks a source before the construct
 * has added the table, stream and secret it wires).
 */
export function readSettings(
  texts: Readonly<Record<string, string | undefined>>,
  options: { required?: boolean } = {},
): { values: SettingValues; issues: SettingIssue[] } {
  const issues: SettingIssue[] = [];
  const values = {} as Record<SettingName, unknown>;
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]) {
    const raw = texts[setting.env];
    const text = raw === undefined || raw === '' ? setting.fallback : raw;
    if (text === undefined) {
      const required = !setting.optional && setting.derived === undefined;
      if (required && options.required !== false) issues.push({ setting: name, why: 'is required' });
      values[name] = undefined;
      continue;
    }
    const parsed = setting.parse(text);
    if (parsed instanceof SettingProblem) {
      issues.push({ setting: name, text, why: parsed.why });
      values[name] = undefined;
    } else {
      values[name] = parsed;
    }
  }
  const settings = values as SettingValues;
  deriveDefaults(settings, texts);
  issues.push(...crossChecks(settings, texts, options));
  return { values: settings, issues };
}

function deriveDefaults(values: SettingValues, texts: Readonly<Record<string, string | undefined>>): void {
  // Only an unset token URL follows the API URL; a bad one stays a problem of its own.
  if (!texts[SETTINGS.tokenUrl.env] && values.apiUrl !== undefined) {
    values.tokenUrl = `${values.apiUrl}/v1/oauth2/tokens`;
  }
  // Ten rows absorb ten incidents leaving the window between two pages; small pages take a quarter.
  if (values.pageOverlap === undefined && values.pageSize !== undefined) values.pageOverlap = Math.min(10, Math.floor(values.pageSize / 4));
}

/**
 * Firehose or Security Lake: the four Security Lake settings go together, Security Lake takes OCSF only,
 * and without it the stream is required.
 */
function deliveryChecks(
  values: SettingValues,
  texts: Readonly<Record<string, string | undefined>>,
  options: { required?: boolean },
): SettingIssue[] {
  const issues: SettingIssue[] = [];
  const given = SECURITY_LAKE_SETTINGS.filter((name) => Boolean(texts[SETTINGS[name].env]));
  if (given.length === 0) {
    if (options.required !== false && !texts[SETTINGS.deliveryStream.env]) issues.push({ setting: 'deliveryStream', why: 'is required' });
    return issues;
  }
  for (const name of SECURITY_LAKE_SETTINGS) {
    if (!given.includes(name))
      issues.push({ setting: name, why: `is required with ${given.map((other) => SETTINGS[other].env).join(', ')}` });
  }
  if (values.outputFormat !== undefined && values.outputFormat !== 'ocsf') {
    issues.push({
      setting: 'outputFormat',
      text: texts[SETTINGS.outputFormat.env] ?? values.outputFormat,
      why: 'must be ocsf when the records go to Security Lake (SECURITY_LAKE_BUCKET), which takes OCSF only',
    });
  }
  return issues;
}

function crossChecks(
  values: SettingValues,
  texts: Readonly<Record<string, string | undefined>>,
  options: { required?: boolean } = {},
): SettingIssue[] {
  const issues: SettingIssue[] = [];
  if (values.pageSize !== undefined && values.pageOverlap !== undefined && values.pageOverlap * 2 > values.pageSize) {
    issues.push({
      setting: 'pageOverlap',
      text: String(values.pageOverlap),
      why: `must be at most half of the page size (${values.pageSize}), or paging could not advance`,
    });
  }
  issues.push(...deliveryChecks(values, texts, options));
  const allowed = values.allowedApiHosts ?? [];
  for (const name of ['apiUrl', 'tokenUrl'] as const) {
    const url = values[name];
    // A token URL derived from the API URL has its host, which is checked once, as the API URL.
    if (url === undefined || (name === 'tokenUrl' && !texts[SETTINGS.tokenUrl.env])) continue;
    const problem = apiHostProblem(new URL(url), allowed);
    if (problem !== undefined) {
      issues.push({ setting: name, text: texts[SETTINGS[name].env] ?? url, why: problem });
      values[name] = undefined;
    }
  }
  return issues;
}

/** The message the function and the CLI print for an issue: `PAGE_SIZE="5000" must be ...`. */
export function describeForEnvironment(issue: SettingIssue): string {
  const { env } = SETTINGS[issue.setting];
  return issue.text === undefined ? `${env} ${issue.why}` : `${env}=${JSON.stringify(printable(issue))} ${issue.why}`;
}

/** A URL is echoed by its origin only: a user name, password, path or query may hold what should not be printed. */
function printable(issue: SettingIssue): string {
  const text = issue.text ?? '';
  if (issue.setting !== 'apiUrl' && issue.setting !== 'tokenUrl') return text;
  try {
    return new URL(text.trim()).origin;
  } catch {
    return '(not a URL)';
  }
}

/**
 * The environment text of a `cdk.json` value, or a problem when the value is not of the setting's JSON kind
 * (a number where a duration string belongs, ...). The function then reads the text as it reads any.
 */
export function jsonToText(setting: Setting<unknown>, value: unknown): string | SettingProblem {
  switch (setting.json) {
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : new SettingProblem('must be true or false');
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? String(value) : new SettingProblem(`must be ${setting.accepts}`);
    case 'string-list':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return new SettingProblem('must be a list of strings');
      if (value.some((item) => item.trim() === '')) return new SettingProblem('must not hold an empty string');
      if (value.some((item) => item.includes(',')))
        return new SettingProblem('must not hold a "," (the function receives the list comma-separated)');
      return value.join(',');
    case 'duration':
    case 'string':
      // An empty string reads as unset, as an empty environment variable does.
      return typeof value === 'string' ? value : new SettingProblem(`must be a string: ${setting.accepts}`);
  }
}

/**
 * Checks a source's settings as `cdk.json` or the construct gives them (JSON values by key) with the
 * function's own reading. Returns the issues by key, and the environment the function will get.
 */
export function checkSourceSettings(source: Readonly<Record<string, unknown>>): {
  environment: Record<string, string>;
  issues: { key: string; why: string }[];
} {
  const environment: Record<string, string> = {};
  const issues: { key: string; why: string }[] = [];
  for (const [, setting] of SOURCE_SETTINGS) {
    const value = source[setting.key];
    if (value === undefined) continue;
    const text = jsonToText(setting, value);
    if (text instanceof SettingProblem) issues.push({ key: setting.key, why: text.why });
    else environment[setting.env] = text;
  }
  const keyed = new Set(issues.map((issue) => issue.key));
  for (const issue of readSettings(environment, { required: false }).issues) {
    const { key } = SETTINGS[issue.setting] as Setting<unknown>;
    if (key !== undefined && !keyed.has(key)) issues.push({ key, why: issue.why });
  }
  return { environment, issues };
}
