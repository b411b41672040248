import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { ConfigError } from '../../functions/errors.js';
import { SETTINGS, SOURCE_SETTINGS, type Setting, SettingProblem, checkSourceSettings, jsonToText } from '../../functions/settings.js';
import { parseIngestionConfig } from '../../lib/config.js';

const wiring = { SYMANTEC_SECRET_ID: 'secret', CHECKPOINT_TABLE: 'table', DELIVERY_STREAM: 'stream' };

/** Whether the synth takes this `cdk.json` source, and whether the function takes the environment the stack would give it. */
function verdicts(source: Record<string, unknown>): { synth: boolean; fn: boolean } {
  let synth = true;
  try {
    parseIngestionConfig({ sources: [{ id: 'a', ...source }] });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    synth = false;
  }
  let fn = true;
  try {
    loadConfig({ ...wiring, ...toEnvironmentAsGiven(source) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fn = false;
  }
  return { synth, fn };
}

/**
 * The environment as the stack writes it; a value that cannot be written in its setting's JSON kind is
 * written the way a careless converter would (String(value)), so the function gets to refuse it too.
 */
function toEnvironmentAsGiven(source: Record<string, unknown>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [, setting] of SOURCE_SETTINGS) {
    const value = source[setting.key];
    if (value === undefined) continue;
    const text = jsonToText(setting, value);
    environment[setting.env] = text instanceof SettingProblem ? String(value) : text;
  }
  return environment;
}

/** Values near and past each setting's edges, plus arbitrary ones of every JSON kind. */
function valueFor(setting: Setting<unknown>): fc.Arbitrary<unknown> {
  const durations = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.constantFrom('ms', 's', 'm', 'h', 'd')).map(([n, unit]) => `${n}${unit}`),
    fc.constantFrom('0s', '59s', '60s', '1m', '999ms', '1s', '15m', '16m', '30d', '31d', '24h', '25h', ' 5m', '5 m', '1w'),
  );
  const integers = fc.oneof(fc.integer({ min: -5, max: 2_100_000 }), fc.constantFrom(0, 1, 2, 1000, 1001, 2000, 2001, 10_000, 10_001));
  const words = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('ecs', 'ses', 'ocsf', 'raw', 'RAW', 'prod_eu', 'my-ns', 'https://api.sep.securitycloud.symantec.com'),
    fc.constantFrom(
      'https://api.sep.eu.securitycloud.symantec.com',
      'http://127.0.0.1:8080',
      'https://169.254.169.254',
      'https://u:p@api.sep.securitycloud.symantec.com',
    ),
    fc.constantFrom(
      'https://api.sep.securitycloud.symantec.com.attacker.example',
      'http://api.sep.securitycloud.symantec.com',
      'not a url',
    ),
  );
  switch (setting.json) {
    case 'duration':
      return fc.oneof(durations, integers);
    case 'integer':
      return fc.oneof(integers, fc.double(), words);
    case 'boolean':
      return fc.oneof(fc.boolean(), words, integers);
    case 'string-list':
      return fc.oneof(fc.array(fc.oneof(words, fc.constantFrom('gateway.example.com', 'a,b', '')), { maxLength: 3 }), words);
    case 'string':
      return fc.oneof(words, integers, fc.boolean());
  }
}

describe('the settings table', () => {
  it('makes the synth accept a source setting exactly when the function accepts it', () => {
    for (const [name, setting] of SOURCE_SETTINGS) {
      fc.assert(
        fc.property(valueFor(setting), (value) => {
          const { synth, fn } = verdicts({ [setting.key]: value });
          // A value of the wrong JSON kind (a number where a duration string belongs) may read as a valid
          // text to the function; the synth refuses it, which is the safe side. Every other verdict agrees.
          if (synth) expect(fn, `${name}=${JSON.stringify(value)}`).toBe(true);
          if (fn && !(jsonToText(setting, value) instanceof SettingProblem)) expect(synth, `${name}=${JSON.stringify(value)}`).toBe(true);
        }),
        { numRuns: 150, seed: 20261208 },
      );
    }
  });

  it('applies the rules between settings the same way at synth and at run time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 1000 }), (pageSize, pageOverlap) => {
        const { synth, fn } = verdicts({ pageSize, pageOverlap });
        expect(synth).toBe(fn);
        expect(fn).toBe(pageOverlap * 2 <= pageSize);
      }),
      { numRuns: 200, seed: 20261208 },
    );
  });

  it('refuses at synth, naming the key, the settings that made every run fail before', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ maxWindow: '30s' }, /symantecEdr\.sources\.0\.maxWindow: must be a duration from 1m to 30d/],
      [{ requestTimeout: '10ms' }, /symantecEdr\.sources\.0\.requestTimeout: must be a duration from 1s to 15m/],
      [{ initialLookback: '5s' }, /symantecEdr\.sources\.0\.initialLookback: must be a duration from 1m to 30d/],
      [{ pageSize: 10, pageOverlap: 10 }, /symantecEdr\.sources\.0\.pageOverlap: must be at most half of the page size \(10\)/],
    ];
    for (const [source, message] of cases) {
      expect(() => parseIngestionConfig({ sources: [{ id: 'a', ...source }] })).toThrow(message);
    }
  });

  it('documents every setting with its variable, what it accepts and one line', () => {
    for (const [name, setting] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
      expect(setting.env, name).toMatch(/^[A-Z][A-Z_]+$/);
      expect(setting.accepts.length, name).toBeGreaterThan(3);
      expect(setting.doc.length, name).toBeGreaterThan(10);
      if (setting.fallback !== undefined) expect(setting.parse(setting.fallback), `${name} default`).not.toBeInstanceOf(SettingProblem);
    }
  });

  it('checks a source as the function reads it and returns the environment it will get', () => {
    expect(checkSourceSettings({ pageSize: 500, maxWindow: '6h', tags: ['a', 'b'], dedupe: false })).toEqual({
      environment: { PAGE_SIZE: '500', MAX_WINDOW: '6h', TAGS: 'a,b', DEDUPE: 'false' },
      issues: [],
    });
  });
});
