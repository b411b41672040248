import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/errors.js';
import { parseIngestionConfig } from '../../lib/config.js';
import { cdkJson } from './synth-support.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:symantec/tenant-a-AbC123';

/** The problems parseIngestionConfig reports for `raw`, or a failure if it accepts it. */
function problemsOf(raw: unknown): readonly string[] {
  try {
    parseIngestionConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('parseIngestionConfig', () => {
  it('accepts the configuration in cdk.json', () => {
    const config = parseIngestionConfig(cdkJson.context.symantecEdr);

    expect(config.sources.map((source) => source.id)).toEqual(['default']);
    expect(config.delivery).toEqual({ type: 's3' });
  });

  it('accepts every option at once', () => {
    const raw = {
      stackName: 'EdrIngestion',
      sources: [
        {
          id: 'tenant-a',
          secretArn: SECRET_ARN,
          secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          enabled: false,
          scheduleRateMinutes: 10,
          memoryMb: 512,
          timeoutSeconds: 600,
          apiUrl: 'https://api.sep.securitycloud.symantec.com',
          tokenUrl: 'https://api.sep.securitycloud.symantec.com/v1/oauth2/tokens',
          initialLookback: '7d',
          settleDelay: '90s',
          maxWindow: '12h',
          pageSize: 500,
          includeEvents: true,
          query: 'state_id:1',
          outputFormat: 'raw',
          preserveOriginalEvent: true,
          preserveDuplicateCustomFields: true,
          tags: ['edr', 'tenant-a'],
          dataStreamNamespace: 'tenant_a',
          dedupe: false,
        },
      ],
      delivery: {
        type: 'elastic',
        endpointUrl: 'https://x.es.eu-west-1.aws.elastic-cloud.com',
        apiKeySecretArn: SECRET_ARN,
        dataStreamName: 'logs-symantec_edr_cloud.incident-tenant_a',
      },
      scheduleRateMinutes: 15,
      memoryMb: 1024,
      timeoutSeconds: 120,
      logRetentionDays: 90,
      lagThresholdSeconds: 7200,
      alarmEmail: 'soc@example.com',
    };

    expect(parseIngestionConfig(raw)).toEqual(raw);
  });

  it('reads the JSON string that `cdk --context` hands over', () => {
    expect(parseIngestionConfig('{"sources":[{"id":"x"}]}').sources[0]?.id).toBe('x');
  });

  it('says where the configuration goes when there is none', () => {
    expect(() => parseIngestionConfig(undefined)).toThrow(/add a "symantecEdr" object to "context" in cdk\.json/);
  });

  it('lists every problem with the path of its key', () => {
    const problems = problemsOf({
      sources: [{ id: 'Tenant A', pageSize: 5000, initialLookback: '1w', dataStreamNamespace: 'my-ns', tags: ['a,b'] }],
      delivery: { type: 'ftp' },
    });

    expect(problems).toEqual([
      expect.stringMatching(/^symantecEdr\.sources\.0\.id: must be 1-48 characters of a-z/),
      'symantecEdr.delivery.type: must be "s3", "elastic" or "existing"',
      expect.stringMatching(/^symantecEdr\.sources\.0\.tags: must not hold a ","/),
      'symantecEdr.sources.0.initialLookback: is not a duration: write it like 90s, 15m, 24h or 30d',
      'symantecEdr.sources.0.pageSize: must be a whole number from 1 to 2000',
      expect.stringMatching(/^symantecEdr\.sources\.0\.dataStreamNamespace: namespace "my-ns" must be/),
    ]);
  });

  it('names a misspelt key instead of ignoring it', () => {
    expect(problemsOf({ sources: [{ id: 'a', pagesize: 10 }], scheduleRateMinute: 5 })).toEqual([
      'symantecEdr.sources.0.pagesize: is not a known setting (check its spelling against docs/configuration.md)',
      'symantecEdr.scheduleRateMinute: is not a known setting (check its spelling against docs/configuration.md)',
    ]);
  });

  it('takes durations as the function reads them', () => {
    expect(parseIngestionConfig({ sources: [{ id: 'a', settleDelay: '500ms', maxWindow: '30d' }] }).sources[0]).toMatchObject({
      settleDelay: '500ms',
      maxWindow: '30d',
    });
    expect(problemsOf({ sources: [{ id: 'a', settleDelay: 'PT1M' }] })).toHaveLength(1);
  });

  it('requires at least one source and no repeated id', () => {
    expect(problemsOf({ sources: [] })).toEqual(['symantecEdr.sources: must name at least one source, e.g. [{ "id": "default" }]']);
    expect(problemsOf({ sources: [{ id: 'a' }, { id: 'a' }] })).toEqual([
      'symantecEdr.sources: must not repeat a source id (each id owns a checkpoint)',
    ]);
    expect(problemsOf({ delivery: { type: 's3' } })).toEqual(['symantecEdr.sources: is required']);
  });

  it('takes only the full ARN of a secret, and says how to print it', () => {
    const [problem] = problemsOf({ sources: [{ id: 'a', secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:symantec' }] });

    expect(problem).toMatch(/^symantecEdr\.sources\.0\.secretArn: must be the full ARN/);
    expect(problem).toContain('aws secretsmanager describe-secret --secret-id NAME --query ARN');
  });

  it('takes a KMS key only with an existing secret', () => {
    expect(problemsOf({ sources: [{ id: 'a', secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc' }] })).toEqual([
      'symantecEdr.sources.0.secretKmsKeyArn: is only for an existing secret: set secretArn too, or remove secretKmsKeyArn',
    ]);
  });

  it('sends credentials and incidents over https only', () => {
    expect(problemsOf({ sources: [{ id: 'a', apiUrl: 'http://api.example.com' }] })).toEqual([
      'symantecEdr.sources.0.apiUrl: must use https:// (http:// is allowed only for a loopback host such as 127.0.0.1)',
    ]);
    expect(problemsOf({ sources: [{ id: 'a' }], delivery: { type: 'elastic', endpointUrl: 'http://es.example.com' } })).toEqual([
      'symantecEdr.delivery.endpointUrl: must start with https:// (credentials and incidents travel over it)',
      'symantecEdr.delivery.apiKeySecretArn: is required',
    ]);
  });

  it('needs exactly one of the name and the ARN of an existing stream', () => {
    const streamArn = 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/edr';
    const message = 'symantecEdr.delivery: an existing stream needs exactly one of streamName or streamArn';

    expect(problemsOf({ sources: [{ id: 'a' }], delivery: { type: 'existing' } })).toEqual([message]);
    expect(problemsOf({ sources: [{ id: 'a' }], delivery: { type: 'existing', streamName: 'edr', streamArn } })).toEqual([message]);
    expect(parseIngestionConfig({ sources: [{ id: 'a' }], delivery: { type: 'existing', streamArn } }).delivery).toEqual({
      type: 'existing',
      streamArn,
    });
  });

  it('takes an alarm e-mail or an alarm topic, not both', () => {
    expect(
      problemsOf({ sources: [{ id: 'a' }], alarmEmail: 'soc@example.com', alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:soc' }),
    ).toEqual(['symantecEdr: set alarmEmail (a new topic is created for it) or alarmTopicArn (alarms go to your topic), not both']);
  });

  it('takes a runbook link only as an absolute https URL', () => {
    expect(parseIngestionConfig({ sources: [{ id: 'a' }], runbookUrl: 'https://wiki.example.com/edr' }).runbookUrl).toBe(
      'https://wiki.example.com/edr',
    );
    expect(problemsOf({ sources: [{ id: 'a' }], runbookUrl: 'http://wiki.example.com/edr' })).toEqual([
      'symantecEdr.runbookUrl: must start with https://',
    ]);
    expect(problemsOf({ sources: [{ id: 'a' }], runbookUrl: 'docs/operations.md' })).toEqual([
      'symantecEdr.runbookUrl: must be an absolute URL',
      'symantecEdr.runbookUrl: must start with https://',
    ]);
  });

  it('keeps rates, sizes and retention within what AWS accepts', () => {
    expect(
      problemsOf({ sources: [{ id: 'a', timeoutSeconds: 901 }], scheduleRateMinutes: 481, memoryMb: 100, logRetentionDays: 31 }),
    ).toEqual([
      'symantecEdr.sources.0.timeoutSeconds: must be at most 900 seconds',
      'symantecEdr.scheduleRateMinutes: must be at most 480 minutes',
      'symantecEdr.memoryMb: must be at least 128 MB',
      expect.stringMatching(/^symantecEdr\.logRetentionDays: must be one of the retention periods CloudWatch Logs offers: 1, 3, 5/),
    ]);
  });
});
