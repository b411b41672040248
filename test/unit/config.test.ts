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
    expect(problemsOf({})).toEqual([
      'SYMANTEC_SECRET_ID is required',
      'CHECKPOINT_TABLE is required',
      'DELIVERY_STREAM is required',
    ]);
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
    expect(problemsOf({ ...required, PAGE_SIZE: '10', PAGE_OVERLAP: '6' })[0]).toMatch(/PAGE_OVERLAP="6" must be at most half of the page size \(10\)/);
  });

  it('refuses a source id that cannot be part of a key', () => {
    expect(problemsOf({ ...required, SOURCE_ID: 'tenant a/b' })[0]).toMatch(/^SOURCE_ID=/);
  });
});
