import { describe, expect, it } from 'vitest';
import { SOURCE_ID_PATTERN as STACK_PATTERN } from '../../lib/ingestion-props.js';
import { loadConfig } from '../../functions/config.js';
import { ConfigError } from '../../functions/errors.js';
import { SOURCE_ID_PATTERN, isValidSourceId, sourceIdProblem } from '../../functions/source-id.js';

const required = { SYMANTEC_SECRET_ID: 's', CHECKPOINT_TABLE: 't', DELIVERY_STREAM: 'd' };

describe('the source id rule', () => {
  it.each(['default', 'tenant-a', 'eu_01', '0', 'a'.repeat(48)])('accepts %j', (id) => {
    expect(isValidSourceId(id)).toBe(true);
  });

  it.each(['', 'a'.repeat(49), 'Tenant', 'tenant.a', 'tenant a', '-tenant', '_tenant', 'tenant/a'])('refuses %j', (id) => {
    expect(isValidSourceId(id)).toBe(false);
    expect(sourceIdProblem(id)).toBe(
      `source id ${JSON.stringify(id)} must be 1-48 characters of a-z, 0-9, "_" or "-", starting with a letter or digit`,
    );
  });

  it('is the one the stack checks its props with', () => {
    expect(STACK_PATTERN).toBe(SOURCE_ID_PATTERN);
  });

  it('is the one the function checks SOURCE_ID with: an id the stack refuses is refused there too', () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ ...required, SOURCE_ID: 'Tenant.A' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }

    expect(problems).toEqual(['SOURCE_ID="Tenant.A" must be 1-48 characters of a-z, 0-9, "_" or "-", starting with a letter or digit']);
  });
});
