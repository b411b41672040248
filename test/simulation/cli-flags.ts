/**
 * The flags of `npm run simulate`: a scenario, the numbers that change it, the API switches and the
 * function settings that go with them. Nothing here runs a simulation, so a test can read flags alone.
 */
import { parseArgs } from 'node:util';
import { API_SWITCH_FLAGS, type ApiSwitchFlag, applySwitchFlag, formatSwitchFlags } from './api-switches.js';
import { FULL_SCENARIO, TEST_SCENARIO, type ScenarioOptions } from './scenario.js';

const SCENARIOS: Readonly<Record<string, ScenarioOptions>> = { full: FULL_SCENARIO, test: TEST_SCENARIO };

/** Flags that set a number of the scenario, with what they mean. */
const SCENARIO_FLAGS = {
  seed: ['seed', 'the seed every random draw comes from'],
  days: ['days', 'days of scheduled ticks (the long outage comes on top)'],
  'incidents-per-day': ['incidentsPerDay', 'new incidents per simulated day'],
  'updates-per-day': ['updatesPerDay', 'updates of older incidents per simulated day'],
  'outage-days': ['longOutageDays', 'the outage with no run at all; past 30 the checkpoint is clamped; 0 for none'],
  'fault-rate': ['faultRate', 'chance that a tick brings a fault'],
  'kill-rate': ['killRate', "chance that a tick's process is killed at a random step"],
  'overlap-rate': ['overlapRate', 'chance that a tick starts two invocations at once'],
  'page-size': ['pageSize', 'PAGE_SIZE'],
  'sweep-hours': ['sweepHours', 'UPDATE_SWEEP_INTERVAL in hours; 0 turns the sweep off'],
  'quiet-hours': ['quietHours', 'the fault-free tail in which the lag is measured'],
} as const satisfies Record<string, readonly [keyof ScenarioOptions, string]>;

/** Function settings that default to something derived from the other flags. */
const SETTING_FLAGS = {
  'split-threshold': ['splitThreshold', 2, 'WINDOW_SPLIT_THRESHOLD (default: 90% of --result-cap, or 200 without a cap)'],
  'page-overlap': ['pageOverlap', 0, "PAGE_OVERLAP (default: the function's own, a quarter of PAGE_SIZE, at most 10)"],
} as const satisfies Record<string, readonly [keyof ScenarioOptions, number, string]>;

export type ReadFlags = { readonly kind: 'run'; readonly options: ScenarioOptions } | { readonly kind: 'help'; readonly text: string };

/** Reads the command line; throws an Error whose message says which flag is wrong and why. */
export function readFlags(argv: readonly string[]): ReadFlags {
  const names = [...Object.keys(SCENARIO_FLAGS), ...Object.keys(SETTING_FLAGS), ...Object.keys(API_SWITCH_FLAGS)];
  const { values } = parseArgs({
    args: [...argv],
    options: {
      help: { type: 'boolean', short: 'h' },
      scenario: { type: 'string' },
      ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
    },
    strict: true,
  });
  if (values.help) return { kind: 'help', text: helpText() };
  const text = (name: string) => (values as Record<string, string | boolean | undefined>)[name] as string | undefined;

  const base = SCENARIOS[text('scenario') ?? 'full'];
  if (!base) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`);
  const options: Record<string, unknown> = { ...base };
  for (const [name, [key]] of Object.entries(SCENARIO_FLAGS)) {
    const given = text(name);
    if (given === undefined) continue;
    const value = Number(given);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number >= 0, got ${JSON.stringify(given)}`);
    options[key] = value;
  }
  for (const [name, [key, least]] of Object.entries(SETTING_FLAGS)) {
    const given = text(name);
    if (given === undefined) continue;
    if (!/^\d+$/.test(given) || Number(given) < least)
      throw new Error(`--${name} must be a whole number >= ${least}, got ${JSON.stringify(given)}`);
    options[key] = Number(given);
  }
  let api = base.api;
  for (const name of Object.keys(API_SWITCH_FLAGS) as ApiSwitchFlag[]) {
    const given = text(name);
    if (given === undefined) continue;
    const applied = applySwitchFlag(api, name, given);
    if (typeof applied === 'string') throw new Error(applied);
    api = applied;
  }
  return { kind: 'run', options: { ...(options as unknown as ScenarioOptions), api } };
}

export function helpText(): string {
  const column = (rows: readonly (readonly [string, string])[]) => {
    const width = Math.max(...rows.map(([flag]) => flag.length));
    return rows.map(([flag, meaning]) => `  ${flag.padEnd(width)}  ${meaning}`).join('\n');
  };
  const scenarioRows = Object.entries(SCENARIO_FLAGS).map(
    ([name, [key, meaning]]) => [`--${name} N`, `${meaning} (full ${FULL_SCENARIO[key]}, test ${TEST_SCENARIO[key]})`] as const,
  );
  const settingRows = Object.entries(SETTING_FLAGS).map(([name, [, , meaning]]) => [`--${name} N`, meaning] as const);
  const apiRows = Object.entries(API_SWITCH_FLAGS).map(([name, spec]) => [`--${name} ${spec.values}`, spec.help] as const);
  return [
    'npm run simulate -- [flags]: the fault simulation of the real run code, as a table; exits 1 when a target is missed',
    '',
    'Scenario:',
    column([
      ['--scenario full|test', 'the full run (default) or the short run of `npm test`'],
      ['--help, -h', 'this text'],
      ...scenarioRows,
    ]),
    '',
    'The simulated API, where public material leaves it open (default, in both scenarios):',
    `  ${formatSwitchFlags(FULL_SCENARIO.api, 8).join(' ')}`,
    column(apiRows),
    '',
    'Function settings:',
    column(settingRows),
    '',
    'Examples:',
    '  npm run simulate -- --seed 7 --days 40 --incidents-per-day 300',
    '  npm run simulate -- --scenario test --filter-field created',
    '  npm run simulate -- --scenario test --order desc --result-cap 300 --result-cap-total capped',
  ].join('\n');
}
