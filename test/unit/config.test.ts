import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { ConfigError } from '../../functions/errors.js';

const required = { SYMANTEC_SECRET_ID: 'symantec-edr/default', CHECKPOINT_TABLE: 'checkpoints', DELIVERY_STREAM: 'incidents' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(required);

    expect(config).toMatchObject({
      apiUrl: 'https://api.sep.securitycloud.symantec.com',
      tokenUrl: 'https://api.sep.securitycloud.symantec.com/v1/oauth2/tokens',
      sourceId: 'default',
      initialLookbackMs: 86_400_000,
      settleDelayMs: 60_000,
      maxWindowMs: 86_400_000,
      pageSize: 2000,
      includeEvents: false,
      outputFormat: 'ecs',
      dedupe: true,
      preserveOriginalEvent: false,
      tags: undefined,
      query: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('derives the token URL from a regional API URL', () => {
    const config = loadConfig({ ...required, SYMANTEC_API_URL: 'https://api.sep.eu.securitycloud.symantec.com/' });

    expect(config.tokenUrl).toBe('https://api.sep.eu.securitycloud.symantec.com/v1/oauth2/tokens');
  });

  it('reads durations, booleans, lists and numbers', () => {
    const config = loadConfig({
      ...required,
      INITIAL_LOOKBACK: '7d',
      SETTLE_DELAY: '90s',
      MAX_WINDOW: '6h',
      PAGE_SIZE: '500',
      INCLUDE_EVENTS: 'TRUE',
      TAGS: 'a, b,,c',
      OUTPUT_FORMAT: 'raw',
      DATA_STREAM_NAMESPACE: 'prod_eu',
      DEDUPE: 'false',
    });

    expect(config).toMatchObject({
      initialLookbackMs: 7 * 86_400_000,
      settleDelayMs: 90_000,
      maxWindowMs: 6 * 3_600_000,
      pageSize: 500,
      includeEvents: true,
      tags: ['a', 'b', 'c'],
      outputFormat: 'raw',
      namespace: 'prod_eu',
      dedupe: false,
    });
  });

  it('names every missing required variable in one error', () => {
    expect(problemsOf({})).toEqual(['SYMANTEC_SECRET_ID is required', 'CHECKPOINT_TABLE is required', 'DELIVERY_STREAM is required']);
  });

  it('gives one message per bad variable, naming it and the fix', () => {
    const problems = problemsOf({
      ...required,
      SETTLE_DELAY: '1 minute',
      PAGE_SIZE: '5000',
      INCLUDE_EVENTS: 'maybe',
      OUTPUT_FORMAT: 'xml',
    });

    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^SETTLE_DELAY="1 minute" is not a duration/);
    expect(problems[1]).toMatch(/^PAGE_SIZE="5000" must be a whole number from 1 to 2000/);
    expect(problems[2]).toMatch(/^INCLUDE_EVENTS="maybe" must be true or false/);
    expect(problems[3]).toMatch(/^OUTPUT_FORMAT="xml" must be one of ecs, ses, ocsf, raw/);
  });

  it('refuses plain http to a host that is not this machine', () => {
    expect(problemsOf({ ...required, SYMANTEC_API_URL: 'http://api.example.com' })[0]).toMatch(/must use https/);
  });

  it('accepts plain http to a loopback host', () => {
    expect(loadConfig({ ...required, SYMANTEC_API_URL: 'http://127.0.0.1:8080' }).apiUrl).toBe('http://127.0.0.1:8080');
  });

  it('refuses a page overlap that would keep paging from advancing', () => {
    expect(problemsOf({ ...required, PAGE_SIZE: '10', PAGE_OVERLAP: '6' })[0]).toMatch(
      /PAGE_OVERLAP="6" must be at most half of the page size \(10\)/,
    );
  });

  it('refuses a source id that cannot be part of a key', () => {
    expect(problemsOf({ ...required, SOURCE_ID: 'tenant a/b' })[0]).toMatch(/^SOURCE_ID=/);
  });

  describe('Security Lake delivery', () => {
    const lake = {
      SYMANTEC_SECRET_ID: 's',
      CHECKPOINT_TABLE: 't',
      OUTPUT_FORMAT: 'ocsf',
      SECURITY_LAKE_BUCKET: 'aws-security-data-lake-eu-west-1-abc',
      SECURITY_LAKE_SOURCE_NAME: 'symantec-edr-cloud',
      SECURITY_LAKE_ROLE_ARN: 'arn:aws:iam::123456789012:role/AmazonSecurityLake-Provider-symantec-edr-cloud-eu-west-1',
      SECURITY_LAKE_EXTERNAL_ID: 'a1b2c3',
    };

    it('takes the four settings instead of a delivery stream', () => {
      const config = loadConfig(lake);

      expect(config).toMatchObject({
        deliveryStream: undefined,
        securityLakeBucket: lake.SECURITY_LAKE_BUCKET,
        securityLakeRoleArn: lake.SECURITY_LAKE_ROLE_ARN,
      });
    });

    it('asks for the settings missing from an incomplete set', () => {
      const { SECURITY_LAKE_ROLE_ARN: _role, SECURITY_LAKE_EXTERNAL_ID: _id, ...partial } = lake;

      expect(problemsOf(partial)).toEqual([
        'SECURITY_LAKE_ROLE_ARN is required with SECURITY_LAKE_BUCKET, SECURITY_LAKE_SOURCE_NAME',
        'SECURITY_LAKE_EXTERNAL_ID is required with SECURITY_LAKE_BUCKET, SECURITY_LAKE_SOURCE_NAME',
      ]);
    });

    it('refuses any output format but ocsf, and the default one', () => {
      const { OUTPUT_FORMAT: _format, ...unset } = lake;

      expect(problemsOf({ ...lake, OUTPUT_FORMAT: 'ecs' })).toEqual([
        'OUTPUT_FORMAT="ecs" must be ocsf when the records go to Security Lake (SECURITY_LAKE_BUCKET), which takes OCSF only',
      ]);
      expect(problemsOf(unset)).toEqual([
        'OUTPUT_FORMAT="ecs" must be ocsf when the records go to Security Lake (SECURITY_LAKE_BUCKET), which takes OCSF only',
      ]);
    });

    it('refuses a role ARN, bucket or source name of the wrong form', () => {
      expect(
        problemsOf({
          ...lake,
          SECURITY_LAKE_ROLE_ARN: 'AmazonSecurityLake-Provider',
          SECURITY_LAKE_BUCKET: 'Bad_Bucket',
          SECURITY_LAKE_SOURCE_NAME: 'a b',
        }),
      ).toEqual([
        'SECURITY_LAKE_BUCKET="Bad_Bucket" must be an S3 bucket name (3-63 of a-z, 0-9, ".", "-")',
        'SECURITY_LAKE_SOURCE_NAME="a b" must be 1-64 of A-Z, a-z, 0-9, "_", "-", ":", "."',
        'SECURITY_LAKE_ROLE_ARN="AmazonSecurityLake-Provider" must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)',
      ]);
    });
  });
});
