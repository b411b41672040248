import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as v from 'valibot';
import { ConfigError } from '../functions/errors.js';
import { SOURCE_SETTINGS, checkSourceSettings } from '../functions/settings.js';
import { SOURCE_ID_PATTERN, SOURCE_ID_RULE } from '../functions/source-id.js';

/** The `cdk.json` context key that holds the deployment's configuration. */
export const CONTEXT_KEY = 'symantecEdr';

// Secrets Manager ends a secret's full ARN with "-" and six random characters. A grant on anything shorter
// would need a wildcard, so only the full ARN is accepted.
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
// Firehose stream names: 1-64 characters of letters, digits, "_", "." and "-".
const STREAM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const STREAM_ARN = /^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream\/[A-Za-z0-9_.-]{1,64}$/;
// Elasticsearch data stream names: lower case, none of \ / * ? " < > | space , # : and at most 255 bytes.
const DATA_STREAM = /^[a-z0-9][a-z0-9_.+-]{0,254}$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

const secretArn = (what: string) =>
  v.pipe(
    v.string(),
    v.regex(
      SECRET_ARN,
      `must be the full ARN of ${what} (it ends in "-" and six characters); ` +
        'print it with `aws secretsmanager describe-secret --secret-id NAME --query ARN`',
    ),
  );
const httpsUrl = v.pipe(
  v.string(),
  v.url('must be an absolute URL'),
  v.startsWith('https://', 'must start with https:// (credentials and incidents travel over it)'),
);
const integer = ([min, max]: readonly [number, number], unit: string) =>
  v.pipe(
    v.number(`must be a number of ${unit}`),
    v.integer(`must be a whole number of ${unit}`),
    v.minValue(min, `must be at least ${min} ${unit}`),
    v.maxValue(max, `must be at most ${max} ${unit}`),
  );
// The "no successful run for 3 intervals" alarm watches 3 periods of one interval each, and CloudWatch
// evaluates at most one day (86,400 s) of periods: 3 x 480 minutes.
const scheduleRateMinutes = integer([1, 480], 'minutes');
// Lambda's limits: 128 MB to 10,240 MB of memory, 900 s of run time.
const memoryMb = integer([128, 10_240], 'MB');
const timeoutSeconds = integer([1, 900], 'seconds');
const retentionDays = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');

// The function's settings are checked with the function's own table (functions/settings.ts): here only that
// the key is known; their values, kinds and the rules between them are checked in `sourceSettingIssues`.
const settingKeys = Object.fromEntries(SOURCE_SETTINGS.map(([, setting]) => [setting.key, v.optional(v.unknown())]));

const sourceSchema = v.pipe(
  v.strictObject({
    id: v.pipe(
      v.string(),
      v.regex(SOURCE_ID_PATTERN, `must be ${SOURCE_ID_RULE} (it names the source's resources, its metrics and its checkpoint)`),
    ),
    secretArn: v.optional(secretArn('an existing secret holding {"client_id","client_secret"}')),
    secretKmsKeyArn: v.optional(v.pipe(v.string(), v.regex(KMS_KEY_ARN, 'must be the ARN of a KMS key'))),
    enabled: v.optional(v.boolean('must be true or false')),
    scheduleRateMinutes: v.optional(scheduleRateMinutes),
    memoryMb: v.optional(memoryMb),
    timeoutSeconds: v.optional(timeoutSeconds),
    ...settingKeys,
  }),
  v.forward(
    v.check(
      (source) => source.secretKmsKeyArn === undefined || source.secretArn !== undefined,
      'is only for an existing secret: set secretArn too, or remove secretKmsKeyArn',
    ),
    ['secretKmsKeyArn'],
  ),
);

const existingStreamSchema = v.pipe(
  v.strictObject({
    type: v.literal('existing'),
    streamName: v.optional(v.pipe(v.string(), v.regex(STREAM_NAME, 'must be a Firehose stream name (1-64 of A-Z a-z 0-9 _ . -)'))),
    streamArn: v.optional(v.pipe(v.string(), v.regex(STREAM_ARN, 'must be the ARN of a Firehose delivery stream'))),
  }),
  v.check(
    (delivery) => (delivery.streamName === undefined) !== (delivery.streamArn === undefined),
    'an existing stream needs exactly one of streamName or streamArn',
  ),
);

const securityLakeSchema = v.pipe(
  v.strictObject({
    type: v.literal('securityLake'),
    bucketName: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be the name of the Security Lake bucket')),
    sourceName: v.pipe(v.string(), v.regex(/^[\w\-:.]{1,64}$/, 'must be 1-64 of A-Z, a-z, 0-9, "_", "-", ":", "."')),
    providerRoleArn: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "must be the ARN of the custom source's provider role"),
      ),
    ),
    externalId: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
    eventClasses: v.optional(v.array(v.pipe(v.string(), v.regex(/^[A-Z_]{1,64}$/, 'must be an event class name like INCIDENT_FINDING')))),
  }),
  v.check(
    (delivery) => (delivery.providerRoleArn === undefined) === (delivery.externalId === undefined),
    'an existing custom source needs providerRoleArn and externalId together; leave both out for the stack to create the source',
  ),
);

const deliverySchema = v.variant(
  'type',
  [
    v.strictObject({ type: v.literal('s3') }),
    v.strictObject({
      type: v.literal('elastic'),
      endpointUrl: httpsUrl,
      apiKeySecretArn: secretArn('a secret holding {"api_key":"<Elastic API key>"}'),
      dataStreamName: v.optional(
        v.pipe(
          v.string(),
          v.regex(DATA_STREAM, 'must be an Elasticsearch data stream name, e.g. "logs-symantec_edr_cloud.incident-default"'),
        ),
      ),
    }),
    existingStreamSchema,
    securityLakeSchema,
  ],
  'must be "s3", "elastic" or "existing"',
);

const configSchema = v.pipe(
  v.strictObject({
    stackName: v.optional(v.pipe(v.string(), v.regex(STACK_NAME, 'must start with a letter and hold only A-Z, a-z, 0-9 and "-"'))),
    sources: v.pipe(
      v.array(sourceSchema, 'must be a list of sources, e.g. [{ "id": "default" }]'),
      v.minLength(1, 'must name at least one source, e.g. [{ "id": "default" }]'),
      v.check(
        (sources) => new Set(sources.map((source) => source.id)).size === sources.length,
        'must not repeat a source id (each id owns a checkpoint)',
      ),
    ),
    delivery: v.optional(deliverySchema),
    scheduleRateMinutes: v.optional(scheduleRateMinutes),
    memoryMb: v.optional(memoryMb),
    timeoutSeconds: v.optional(timeoutSeconds),
    logRetentionDays: v.optional(
      v.picklist(
        retentionDays,
        `must be one of the retention periods CloudWatch Logs offers: ${retentionDays.join(', ')} (9999: never expire)`,
      ),
    ),
    lagThresholdSeconds: v.optional(integer([60, 2_592_000], 'seconds')),
    alarmEmail: v.optional(v.pipe(v.string(), v.email('must be an e-mail address'))),
    alarmTopicArn: v.optional(v.pipe(v.string(), v.regex(TOPIC_ARN, 'must be the ARN of an SNS topic'))),
    // Where alarm descriptions link (lib/runbook.ts): your own copy of the operations guide.
    runbookUrl: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'), v.startsWith('https://', 'must start with https://'))),
  }),
  v.check(
    (config) => config.alarmEmail === undefined || config.alarmTopicArn === undefined,
    'set alarmEmail (a new topic is created for it) or alarmTopicArn (alarms go to your topic), not both',
  ),
);

/** The deployment's configuration, as validated from the `symantecEdr` context object. */
export type IngestionConfig = v.InferOutput<typeof configSchema>;
export type SourceConfig = IngestionConfig['sources'][number];
export type DeliveryConfig = NonNullable<IngestionConfig['delivery']>;

/**
 * Validates the `symantecEdr` context object. Throws one ConfigError listing every problem, each with the
 * path of the offending key and what would fix it.
 */
export function parseIngestionConfig(raw: unknown): IngestionConfig {
  if (raw === undefined || raw === null) {
    throw new ConfigError(
      `No "${CONTEXT_KEY}" configuration: add a "${CONTEXT_KEY}" object to "context" in cdk.json ` +
        `(at least { "sources": [{ "id": "default" }] }) or pass it with --context`,
    );
  }
  const value = typeof raw === 'string' ? parseJsonContext(raw) : raw;
  const result = v.safeParse(configSchema, value);
  const problems = (result.issues ?? []).map((issue) => {
    const path = v.getDotPath(issue);
    return `${path === null ? CONTEXT_KEY : `${CONTEXT_KEY}.${path}`}: ${describeIssue(issue)}`;
  });
  problems.push(...sourceSettingProblems(value));
  if (result.success && problems.length === 0) return result.output;
  throw new ConfigError(`Invalid "${CONTEXT_KEY}" configuration:\n  ${problems.join('\n  ')}`, problems);
}

/** Each source's function settings, read as the function reads them: `symantecEdr.sources.0.pageSize: must be ...`. */
function sourceSettingProblems(value: unknown): string[] {
  const sources = (value as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) return [];
  return sources.flatMap((source, index) =>
    typeof source === 'object' && source !== null
      ? checkSourceSettings(source as Record<string, unknown>).issues.map(
          (issue) => `${CONTEXT_KEY}.sources.${index}.${issue.key}: ${issue.why}`,
        )
      : [],
  );
}

// `cdk --context symantecEdr='{...}'` hands the value over as a string.
function parseJsonContext(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(`The "${CONTEXT_KEY}" context value is a string that is not JSON: pass a JSON object`);
  }
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    return 'is not a known setting (check its spelling against docs/configuration.md)';
  }
  if (issue.kind === 'schema' && issue.received === 'undefined') return 'is required';
  return issue.message;
}
