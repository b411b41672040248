/**
 * One page's records through the seen-set and into Firehose, in the order that can duplicate but never
 * lose: filter what was already delivered, send the rest, then mark what Firehose accepted.
 */
import type { RecordSink } from '../aws/firehose-sink.js';
import type { SeenSet } from '../aws/seen-set.js';
import { DeliveryError } from '../errors.js';
import { encodeIncidents, versionFingerprint } from './page-records.js';
import type { RunSettings } from './ports.js';

export interface PageDelivery {
  readonly delivered: number;
  readonly duplicates: number;
  readonly shrunk: number;
  /** Fingerprints of the versions Firehose accepted: the seen-marks still to write. */
  readonly accepted: readonly string[];
}

export interface SendOptions {
  /** Versions sent whose seen-marks are still being written (the page before): they count as delivered. */
  readonly inFlight?: ReadonlySet<string>;
}

export interface DeliveryPorts {
  readonly source: string;
  readonly seen: SeenSet | undefined;
  readonly sink: RecordSink;
  readonly deadlineMs: number;
}

/** A page looked up and mapped: the records of its versions not delivered before, ready for Firehose. */
export interface PreparedPage {
  /** Fingerprints of the versions to send, in the order of `records`. */
  readonly fingerprints: readonly string[];
  readonly records: readonly Buffer[];
  readonly duplicates: number;
  readonly shrunk: number;
}

/**
 * A page's first stage: which versions of `incidents` are new (seen-set lookup), mapped and encoded.
 * `putPage` sends them; the caller then writes their seen-marks (`markDelivered`) before it stores
 * progress past the page.
 */
export async function preparePage(
  incidents: readonly unknown[],
  settings: RunSettings,
  nowMs: number,
  ports: Pick<DeliveryPorts, 'seen' | 'source'>,
  options: SendOptions = {},
): Promise<PreparedPage> {
  const fingerprints = incidents.map(versionFingerprint);
  let freshIndexes = fingerprints.map((_, index) => index);
  if (ports.seen) {
    const unseen = await ports.seen.filterUnseen(ports.source, fingerprints);
    for (const fingerprint of options.inFlight ?? []) unseen.delete(fingerprint);
    // A version listed twice in one page (overlapping offsets) goes out once: deleting marks it taken.
    freshIndexes = freshIndexes.filter((index) => unseen.delete(fingerprints[index] as string));
  }
  // Only unseen versions are mapped: a page re-read by the update sweep, a resumed window or the page
  // overlap costs lookups, not mapping. (Mapping while the lookup is in flight was measured slower: it
  // holds the event loop the previous page's seen-marks need.)
  const encoded = encodeIncidents(
    freshIndexes.map((index) => incidents[index]),
    settings,
    nowMs,
  );
  return {
    fingerprints: freshIndexes.map((index) => fingerprints[index] as string),
    records: encoded.map((record) => record.data),
    duplicates: incidents.length - freshIndexes.length,
    shrunk: encoded.filter((record) => record.shrunk !== undefined).length,
  };
}

/**
 * A page's second stage: the prepared records to Firehose. When some are still refused as time
 * runs out, the accepted ones are marked and the page fails with a `DeliveryError`.
 */
export async function putPage(prepared: PreparedPage, ports: DeliveryPorts): Promise<PageDelivery> {
  const { fingerprints, records, duplicates, shrunk } = prepared;
  if (records.length === 0) return { delivered: 0, duplicates, shrunk: 0, accepted: [] };
  const outcome = await ports.sink.put(records, ports.deadlineMs);
  const accepted = fingerprints.filter((_, position) => !outcome.failed.has(position));
  if (outcome.failed.size > 0) {
    await markDelivered(accepted, ports);
    throw new DeliveryError(
      `Firehose did not accept ${outcome.failed.size} of ${records.length} records before the run's time was up (${outcome.lastError ?? 'no error text'}); the checkpoint stays before them`,
      outcome.failed.size,
    );
  }
  return { delivered: accepted.length, duplicates, shrunk, accepted };
}

/** Writes the seen-marks of versions Firehose accepted (nothing when the dedupe is off). */
export async function markDelivered(fingerprints: readonly string[], ports: Pick<DeliveryPorts, 'seen' | 'source'>): Promise<void> {
  if (ports.seen && fingerprints.length > 0) await ports.seen.markSeen(ports.source, fingerprints);
}
