import { describe, expect, it } from 'vitest';
import { splitThresholdFor } from './api-switches.js';
import { readFlags } from './cli-flags.js';
import { FULL_SCENARIO, TEST_SCENARIO, type ScenarioOptions } from './scenario.js';

function options(argv: string[]): ScenarioOptions {
  const read = readFlags(argv);
  if (read.kind !== 'run') throw new Error('expected options, got the help text');
  return read.options;
}

describe('the flags of npm run simulate', () => {
  it('reads no flag as the full scenario, unchanged', () => {
    expect(options([])).toEqual(FULL_SCENARIO);
    expect(options(['--scenario', 'test'])).toEqual(TEST_SCENARIO);
  });

  it('sets every API switch from its flag', () => {
    // act
    const read = options([
      ...['--scenario', 'test', '--filter-field', 'created', '--order', 'unordered', '--last-page', 'next-null'],
      ...[
        '--result-cap',
        '300',
        '--result-cap-total',
        'capped',
        '--retry-after',
        'on',
        '--event-id-digits',
        '8',
        '--updates-during-paging',
        '2',
      ],
    ]);
    // assess
    expect(read.api).toEqual({
      filterField: 'created',
      order: 'unordered',
      lastPage: 'next-null',
      resultCap: 300,
      resultCapTotal: 'capped',
      retryAfter: true,
      eventIdDigits: 8,
      updatesDuringPaging: 2,
    });
    expect(read.seed).toBe(TEST_SCENARIO.seed);
  });

  it('splits at 90% of a result cap unless a split threshold is given', () => {
    const capped = options(['--result-cap', '300']);
    const explicit = options(['--result-cap', '300', '--split-threshold', '400', '--page-overlap', '0']);

    expect(splitThresholdFor(capped.api, capped.splitThreshold)).toBe(270);
    expect(splitThresholdFor(explicit.api, explicit.splitThreshold)).toBe(400);
    expect(explicit.pageOverlap).toBe(0);
    expect(splitThresholdFor(FULL_SCENARIO.api, undefined)).toBe(200);
  });

  it.each([
    [['--filter-field', 'updated'], '--filter-field must be time|modified|created, got "updated"'],
    [['--event-id-digits', '9'], '--event-id-digits must be 7|8'],
    [['--result-cap', '0'], '--result-cap must be N|none'],
    [['--retry-after', 'yes'], '--retry-after must be on|off'],
    [['--updates-during-paging=-1'], '--updates-during-paging must be N'],
    [['--updates-during-paging', '1.5'], '--updates-during-paging must be N'],
    [['--split-threshold', '1'], '--split-threshold must be a whole number >= 2'],
    [['--seed', 'x'], '--seed must be a number >= 0'],
    [['--scenario', 'long'], '--scenario must be one of full, test'],
  ])('refuses %j, naming the flag', (argv, message) => {
    expect(() => readFlags(argv)).toThrow(message);
  });

  it('answers --help with every flag', () => {
    const read = readFlags(['--help']);

    expect(read.kind).toBe('help');
    for (const flag of [
      '--filter-field',
      '--order',
      '--last-page',
      '--result-cap',
      '--result-cap-total',
      '--retry-after',
      '--event-id-digits',
      '--updates-during-paging',
      '--split-threshold',
      '--page-overlap',
      '--seed',
    ]) {
      expect(read.kind === 'help' && read.text).toContain(flag);
    }
  });
});
