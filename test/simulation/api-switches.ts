/**
 * The facts about the Symantec API that public material leaves open, as the simulation runs them: the
 * simulator's switches, their defaults here, their spelling as `npm run simulate` flags, and the function
 * settings that go with them (the split threshold follows the result cap).
 */
import type { SimulatorBehaviour } from '../../local/symantec-behaviour.js';

export type ApiSwitches = Readonly<
  Pick<
    SimulatorBehaviour,
    'filterField' | 'order' | 'lastPage' | 'resultCap' | 'resultCapTotal' | 'retryAfter' | 'eventIdDigits' | 'updatesDuringPaging'
  >
>;

export const DEFAULT_API_SWITCHES: ApiSwitches = {
  filterField: 'time',
  order: 'asc',
  lastPage: 'next-equals-total',
  resultCap: undefined,
  resultCapTotal: 'true-count',
  // A 429 or 503 without a value of its own then carries no header, so the client's own backoff is
  // exercised next to the Retry-After the faults set explicitly.
  retryAfter: false,
  eventIdDigits: 7,
  // Rows moved before every follow-up page, all the time; the "api pages shifting" fault adds to it for a tick.
  updatesDuringPaging: 0,
};

/** The function's WINDOW_SPLIT_THRESHOLD without a result cap: low enough that a catch-up's day-long windows are narrowed. */
const UNCAPPED_SPLIT_THRESHOLD = 200;
/** With a cap, split at 90% of it, as the function's default of 9,000 is for the 10,000 the event search stops at. */
const SPLIT_SHARE_OF_CAP = 0.9;

export function splitThresholdFor(api: ApiSwitches, explicit: number | undefined): number {
  if (explicit !== undefined) return explicit;
  if (api.resultCap === undefined) return UNCAPPED_SPLIT_THRESHOLD;
  // The configuration accepts 2 at least.
  return Math.max(2, Math.floor(api.resultCap * SPLIT_SHARE_OF_CAP));
}

interface SwitchFlag<K extends keyof ApiSwitches> {
  readonly key: K;
  /** What the flag takes, for `--help`. */
  readonly values: string;
  readonly help: string;
  readonly parse: (text: string) => ApiSwitches[K] | undefined;
  readonly format: (value: ApiSwitches[K]) => string;
}

const among =
  <T extends string>(choices: readonly T[]) =>
  (text: string): T | undefined =>
    (choices as readonly string[]).includes(text) ? (text as T) : undefined;
const wholeNumber = (least: number) => (text: string) => (/^\d+$/.test(text) && Number(text) >= least ? Number(text) : undefined);

function flag<K extends keyof ApiSwitches>(spec: SwitchFlag<K>): SwitchFlag<K> {
  return spec;
}

/** Flag name to switch, in the order the header and `--help` show them. */
export const API_SWITCH_FLAGS = {
  'filter-field': flag({
    key: 'filterField',
    values: 'time|modified|created',
    help: 'the timestamp the API filters windows on',
    parse: among(['time', 'modified', 'created'] as const),
    format: String,
  }),
  order: flag({
    key: 'order',
    values: 'asc|desc|unordered',
    help: 'the order of rows across pages',
    parse: among(['asc', 'desc', 'unordered'] as const),
    format: String,
  }),
  'last-page': flag({
    key: 'lastPage',
    values: 'next-equals-total|next-absent|next-null',
    help: 'what the last page says about next',
    parse: among(['next-equals-total', 'next-absent', 'next-null'] as const),
    format: String,
  }),
  'event-id-digits': flag({
    key: 'eventIdDigits',
    values: '7|8',
    help: 'the width of event_id',
    parse: (text) => (text === '7' ? 7 : text === '8' ? 8 : undefined),
    format: String,
  }),
  'result-cap': flag({
    key: 'resultCap',
    values: 'N|none',
    help: 'rows past offset N are never served; sets the split threshold to 90% of N',
    parse: (text) => (text === 'none' ? undefined : wholeNumber(1)(text)),
    format: (value) => (value === undefined ? 'none' : String(value)),
  }),
  'result-cap-total': flag({
    key: 'resultCapTotal',
    values: 'true-count|capped',
    help: 'what total reports when the cap applies',
    parse: among(['true-count', 'capped'] as const),
    format: String,
  }),
  'retry-after': flag({
    key: 'retryAfter',
    values: 'on|off',
    help: "whether 429/503 answers without a value of their own carry Retry-After (the simulator's 1 s)",
    parse: (text) => (text === 'on' ? true : text === 'off' ? false : undefined),
    format: (value) => (value ? 'on' : 'off'),
  }),
  'updates-during-paging': flag({
    key: 'updatesDuringPaging',
    values: 'N',
    help: 'rows of the queried window updated before every follow-up page, all along',
    parse: wholeNumber(0),
    format: String,
  }),
} as const;

export type ApiSwitchFlag = keyof typeof API_SWITCH_FLAGS;

/** Reads one flag's text into `switches`; answers an error message when the text is not one of its values. */
export function applySwitchFlag(switches: ApiSwitches, name: ApiSwitchFlag, text: string): ApiSwitches | string {
  const spec = API_SWITCH_FLAGS[name] as SwitchFlag<keyof ApiSwitches>;
  const value = spec.parse(text);
  const isNone = name === 'result-cap' && text === 'none';
  if (value === undefined && !isNone) return `--${name} must be ${spec.values}, got ${JSON.stringify(text)}`;
  return { ...switches, [spec.key]: value };
}

/** The switches as the flags that reproduce them, split into lines of about `perLine` flags. */
export function formatSwitchFlags(switches: ApiSwitches, perLine = 4): string[] {
  const flags = (Object.entries(API_SWITCH_FLAGS) as [string, SwitchFlag<keyof ApiSwitches>][]).map(
    ([name, spec]) => `--${name} ${spec.format(switches[spec.key] as never)}`,
  );
  const lines: string[] = [];
  for (let i = 0; i < flags.length; i += perLine) lines.push(flags.slice(i, i + perLine).join(' '));
  return lines;
}
