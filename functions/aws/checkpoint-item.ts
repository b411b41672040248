/**
 * How a source's checkpoint item reads and writes in DynamoDB attribute form: the store writes it, and
 * `symantec-edr status` reads it back with the same functions.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { OpenWindow } from '../window.js';

/** How the last run of a source ended; the names are those of the run summary's `status`. */
export type LastRunStatus = 'completed' | 'stopped-for-time' | 'idle' | 'failed';

export interface LastRun {
  readonly status: LastRunStatus;
  /** When the run ended (ISO). */
  readonly at: string;
  /** The run's error, cut to ERROR_TEXT_LIMIT characters; only for a failed run. */
  readonly error?: string | undefined;
}

/** An error kept in the item is for a person to read; the full text is in the run's log line. */
export const ERROR_TEXT_LIMIT = 500;

export interface Checkpoint {
  /** End of the last completed window (ISO). */
  readonly cursor?: string | undefined;
  readonly window?: OpenWindow | undefined;
  /** When the last update sweep began (ISO). */
  readonly sweptAt?: string | undefined;
  /** Start of the first window ever fetched (ISO): the update sweep delivers no version modified before it. */
  readonly origin?: string | undefined;
  /** An update sweep that stopped for time: the next run goes on from here instead of starting over. */
  readonly sweep?: SweepProgress | undefined;
  /** End of the last run that did not fail (ISO). */
  readonly lastSucceededAt?: string | undefined;
  readonly lastRun?: LastRun | undefined;
}

export interface SweepProgress {
  /** When the sweep began (ISO): `sweptAt` once it completes. */
  readonly startedAt: string;
  /** The range it reads (ISO): the horizon when it began, up to the cursor of that moment. */
  readonly from: string;
  readonly to: string;
  /** The window it was reading when it stopped, with the offset of its next page. */
  readonly window: OpenWindow;
}

/** The lease as stored: who holds it and until when (epoch ms). */
export interface StoredLease {
  readonly owner: string;
  readonly expiresAtMs: number;
}

/** The attributes of the checkpoint item that `readCheckpoint` and `readLease` read (for a projection). */
export const CHECKPOINT_ATTRIBUTES = [
  'pk',
  'cursor',
  'window',
  'sweptAt',
  'origin',
  'sweep',
  'lastSucceededAt',
  'lastRun',
  'lease',
] as const;

export function windowValue(window: OpenWindow): AttributeValue {
  const fields: Record<string, AttributeValue> = { start: { S: window.start }, end: { S: window.end }, next: { N: String(window.next) } };
  // A page size narrowed for this window (a page too large for the function's memory) outlives the run.
  if (window.pageSize !== undefined) fields.pageSize = { N: String(window.pageSize) };
  return { M: fields };
}

export function sweepValue(sweep: SweepProgress): AttributeValue {
  return { M: { startedAt: { S: sweep.startedAt }, from: { S: sweep.from }, to: { S: sweep.to }, window: windowValue(sweep.window) } };
}

export function lastRunValue(lastRun: LastRun): AttributeValue {
  const fields: Record<string, AttributeValue> = { status: { S: lastRun.status }, at: { S: lastRun.at } };
  if (lastRun.error !== undefined) fields.error = { S: boundedErrorText(lastRun.error) };
  return { M: fields };
}

export function boundedErrorText(text: string): string {
  return text.length <= ERROR_TEXT_LIMIT ? text : `${text.slice(0, ERROR_TEXT_LIMIT - 1)}…`;
}

export function readCheckpoint(item: Record<string, AttributeValue>): Checkpoint {
  return {
    cursor: item.cursor?.S,
    window: readWindow(item.window),
    sweptAt: item.sweptAt?.S,
    origin: item.origin?.S,
    sweep: readSweep(item.sweep),
    ...(item.lastSucceededAt?.S === undefined ? {} : { lastSucceededAt: item.lastSucceededAt.S }),
    ...(item.lastRun === undefined ? {} : { lastRun: readLastRun(item.lastRun) }),
  };
}

export function readLease(item: Record<string, AttributeValue>): StoredLease | undefined {
  const l = item.lease?.M;
  return l?.owner?.S && l.expiresAt?.N !== undefined ? { owner: l.owner.S, expiresAtMs: Number(l.expiresAt.N) } : undefined;
}

function readWindow(value: AttributeValue | undefined): OpenWindow | undefined {
  const w = value?.M;
  if (!(w?.start?.S && w.end?.S && w.next?.N !== undefined)) return undefined;
  const pageSize = Number(w.pageSize?.N);
  const window = { start: w.start.S, end: w.end.S, next: Number(w.next.N) };
  return Number.isSafeInteger(pageSize) && pageSize >= 1 ? { ...window, pageSize } : window;
}

function readSweep(value: AttributeValue | undefined): SweepProgress | undefined {
  const s = value?.M;
  const window = readWindow(s?.window);
  return s?.startedAt?.S && s.from?.S && s.to?.S && window ? { startedAt: s.startedAt.S, from: s.from.S, to: s.to.S, window } : undefined;
}

function readLastRun(value: AttributeValue | undefined): LastRun | undefined {
  const r = value?.M;
  if (!r?.status?.S || !r.at?.S) return undefined;
  return { status: r.status.S as LastRunStatus, at: r.at.S, ...(r.error?.S === undefined ? {} : { error: r.error.S }) };
}
