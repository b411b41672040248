/**
 * The function's configuration: read once from the environment with the settings table
 * (`settings.ts`, where every default and rule is defined), validated, frozen. A bad value stops the run
 * at start with one message per bad variable; a URL is echoed by its origin only.
 */
import { ConfigError } from './errors.js';
import type { OutputFormat } from './output-format.js';
import { type SettingName, describeForEnvironment, readSettings } from './settings.js';

export type { OutputFormat } from './output-format.js';

export interface Config {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  /** Hosts besides Symantec's API hosts that the credentials may be sent to. */
  readonly allowedApiHosts: readonly string[];
  readonly secretId: string;
  readonly checkpointTable: string;
  /** Absent when the records go to Security Lake. */
  readonly deliveryStream: string | undefined;
  /** Set together (the settings table checks it): the custom source the function writes Parquet objects to. */
  readonly securityLakeBucket: string | undefined;
  readonly securityLakeSourceName: string | undefined;
  readonly securityLakeRoleArn: string | undefined;
  readonly securityLakeExternalId: string | undefined;
  readonly sourceId: string;
  readonly initialLookbackMs: number;
  readonly settleDelayMs: number;
  readonly maxWindowMs: number;
  readonly pageSize: number;
  /** Pages fetched for one window before the run stops paging it (a runaway `next` guard). */
  readonly maxPagesPerWindow: number;
  /** Rows asked again before each reported `next`, so a shift of offsets skips nothing. */
  readonly pageOverlap: number;
  /** A first page whose `total` reaches this narrows the window (the API may cap a query at 10,000). */
  readonly splitThreshold: number;
  /** How often a run also re-reads the trailing horizon for updates; 0 turns the sweep off. */
  readonly updateSweepIntervalMs: number;
  readonly updateSweepHorizonMs: number;
  readonly includeEvents: boolean;
  readonly query: string | undefined;
  readonly outputFormat: OutputFormat;
  readonly preserveOriginalEvent: boolean;
  readonly preserveDuplicateCustomFields: boolean;
  readonly tags: readonly string[] | undefined;
  readonly namespace: string | undefined;
  readonly dedupe: boolean;
  readonly requestTimeoutMs: number;
}

// The table and this type name the same settings: one added to either alone fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameSettings: Same<keyof Config, SettingName> = true;
void sameSettings;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the whole configuration. `env` is normally `process.env`; the CLI passes the same.
 * Throws one ConfigError listing every problem, so a user fixes them in one go.
 */
export function loadConfig(env: Env): Config {
  const { values, issues } = readSettings(env);
  if (issues.length > 0) {
    const problems = issues.map(describeForEnvironment);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, problems);
  }
  // Every required setting is present and every value valid, so each has the type Config gives it.
  return Object.freeze(values as unknown as Config);
}
