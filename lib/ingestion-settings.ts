/**
 * The function's per-source settings as construct props. The props, their kinds and their validation come
 * from the function's settings table (`functions/settings.ts`): a setting is defined there once, and a
 * value the construct accepts is one the function accepts. Durations are CDK `Duration`s here.
 */
import { Duration } from 'aws-cdk-lib';
import { formatMs, type JsonKind, type SETTINGS, type SettingName, SOURCE_SETTINGS, checkSourceSettings } from '../functions/settings.js';
import { parseDurationMs } from '../functions/duration.js';
import type { OutputFormat } from '../functions/output-format.js';

type PropKind<J extends JsonKind> = J extends 'duration'
  ? Duration
  : J extends 'integer'
    ? number
    : J extends 'boolean'
      ? boolean
      : J extends 'string-list'
        ? readonly string[]
        : string;
type KeyedSetting = { [K in SettingName]: (typeof SETTINGS)[K] extends { key: string } ? K : never }[SettingName];

/**
 * Each optional; unset leaves the function's own default. The names are the `cdk.json` keys; what each
 * means, accepts and defaults to is in docs/configuration.md (generated from the same table).
 */
export type IngestionSettings = {
  readonly [K in KeyedSetting as (typeof SETTINGS)[K]['key']]?: K extends 'outputFormat'
    ? OutputFormat
    : PropKind<(typeof SETTINGS)[K]['json']>;
};

/** `cdk.json` values (durations as text) to props; a text that is not a duration is left for the check to name. */
export function settingsFromJson(source: Readonly<Record<string, unknown>>): IngestionSettings {
  const settings: Record<string, unknown> = {};
  for (const [, setting] of SOURCE_SETTINGS) {
    const value = source[setting.key];
    if (value === undefined) continue;
    const ms = setting.json === 'duration' && typeof value === 'string' ? parseDurationMs(value) : undefined;
    settings[setting.key] = ms === undefined ? value : Duration.millis(ms);
  }
  return settings as IngestionSettings;
}

/**
 * The environment the function gets for these settings (none for a setting that is unset), and every
 * problem the function would have with them, each named by its prop.
 */
export function settingsEnvironment(settings: IngestionSettings): { environment: Record<string, string>; problems: string[] } {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    json[key] = value instanceof Duration ? durationText(value) : value;
  }
  const { environment, issues } = checkSourceSettings(json);
  return { environment, problems: issues.map((issue) => `${issue.key} ${issue.why}`) };
}

function durationText(value: Duration): string {
  // A token (a value known only at deploy time) cannot be checked or written as text.
  if (value.isUnresolved()) return 'unresolved';
  return formatMs(value.toMilliseconds());
}
