import type { OutputFormat } from '../functions/output-format.js';

/**
 * The per-source settings that the function reads from its environment. Each one is optional: an unset
 * setting sets no variable, and the function's own default applies (see the configuration table in the
 * project's docs/configuration.md and `functions/config.ts`, the one place those defaults live).
 */
export interface IngestionSettings {
  /** `SYMANTEC_API_URL`: the API base URL. */
  readonly apiUrl?: string;
  /** `SYMANTEC_TOKEN_URL`: the OAuth2 token endpoint. */
  readonly tokenUrl?: string;
  /** `INITIAL_LOOKBACK`: how far back the first run starts, a duration such as `24h`. */
  readonly initialLookback?: string;
  /** `SETTLE_DELAY`: how far behind now a window ends, a duration such as `60s`. */
  readonly settleDelay?: string;
  /** `MAX_WINDOW`: the longest window one run opens, a duration such as `24h`. */
  readonly maxWindow?: string;
  /** `PAGE_SIZE`: incidents per API page, 1 to 2000. */
  readonly pageSize?: number;
  /** `PAGE_OVERLAP`: rows asked again before each reported `next`. */
  readonly pageOverlap?: number;
  /** `MAX_PAGES_PER_WINDOW`: the page cap of one window. */
  readonly maxPagesPerWindow?: number;
  /** `WINDOW_SPLIT_THRESHOLD`: a first-page `total` that halves the window. */
  readonly windowSplitThreshold?: number;
  /** `UPDATE_SWEEP_INTERVAL`: how often a run re-reads the trailing horizon for updates (`0s`: never). */
  readonly updateSweepInterval?: string;
  /** `UPDATE_SWEEP_HORIZON`: how far back the update sweep reads. */
  readonly updateSweepHorizon?: string;
  /** `REQUEST_TIMEOUT`: one HTTP request to the API. */
  readonly requestTimeout?: string;
  /** `INCLUDE_EVENTS`: ask the API for each incident's events. */
  readonly includeEvents?: boolean;
  /** `QUERY`: a query string passed to the incidents API. */
  readonly query?: string;
  /** `OUTPUT_FORMAT`: `ecs` or `ses` documents, `ocsf` findings, or `raw` incidents for a destination that maps them itself. */
  readonly outputFormat?: OutputFormat;
  /** `PRESERVE_ORIGINAL_EVENT`: keep `event.original`. */
  readonly preserveOriginalEvent?: boolean;
  /** `PRESERVE_DUPLICATE_CUSTOM_FIELDS`: keep the custom fields that were copied to ECS fields. */
  readonly preserveDuplicateCustomFields?: boolean;
  /** `TAGS`: tags added to every document, passed comma-separated. */
  readonly tags?: readonly string[];
  /** `DATA_STREAM_NAMESPACE`: `data_stream.namespace` of the documents. */
  readonly dataStreamNamespace?: string;
  /** `DEDUPE`: skip incident versions already delivered. */
  readonly dedupe?: boolean;
}

/** The environment variable behind each setting; the names are the ones the function and the CLI read. */
export const SETTING_VARIABLES = {
  apiUrl: 'SYMANTEC_API_URL',
  tokenUrl: 'SYMANTEC_TOKEN_URL',
  initialLookback: 'INITIAL_LOOKBACK',
  settleDelay: 'SETTLE_DELAY',
  maxWindow: 'MAX_WINDOW',
  pageSize: 'PAGE_SIZE',
  pageOverlap: 'PAGE_OVERLAP',
  maxPagesPerWindow: 'MAX_PAGES_PER_WINDOW',
  windowSplitThreshold: 'WINDOW_SPLIT_THRESHOLD',
  updateSweepInterval: 'UPDATE_SWEEP_INTERVAL',
  updateSweepHorizon: 'UPDATE_SWEEP_HORIZON',
  requestTimeout: 'REQUEST_TIMEOUT',
  includeEvents: 'INCLUDE_EVENTS',
  query: 'QUERY',
  outputFormat: 'OUTPUT_FORMAT',
  preserveOriginalEvent: 'PRESERVE_ORIGINAL_EVENT',
  preserveDuplicateCustomFields: 'PRESERVE_DUPLICATE_CUSTOM_FIELDS',
  tags: 'TAGS',
  dataStreamNamespace: 'DATA_STREAM_NAMESPACE',
  dedupe: 'DEDUPE',
} as const satisfies Record<keyof IngestionSettings, string>;

/** The environment variables for the settings that are set, and none for those that are not. */
export function toEnvironment(settings: IngestionSettings): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, name] of Object.entries(SETTING_VARIABLES) as [keyof IngestionSettings, string][]) {
    const value = settings[key];
    if (value === undefined) continue;
    environment[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return environment;
}
