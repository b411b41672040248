/**
 * One page's records through the seen-set and into Firehose, in the order that can duplicate but never
 * lose: filter what was already delivered, send the rest, then mark what Firehose accepted.
 */
import type { RecordSink } from '../aws/firehose-sink.js';
import type { SeenSet } from '../aws/seen-set.js';
import { DeliveryError } from '../errors.js';
import type { PageRecord } from './page-records.js';

export interface PageDelivery {
  readonly delivered: number;
  readonly duplicates: number;
  readonly shrunk: number;
}

export interface DeliveryPorts {
  readonly source: string;
  readonly seen: SeenSet | undefined;
  readonly sink: RecordSink;
  readonly deadlineMs: number;
}

export async function deliverPage(records: readonly PageRecord[], ports: DeliveryPorts): Promise<PageDelivery> {
  let fresh: readonly PageRecord[] = records;
  if (ports.seen) {
    const unseen = await ports.seen.filterUnseen(ports.source, records.map((record) => record.fingerprint));
    // A version listed twice in one page (overlapping offsets) goes out once: deleting marks it taken.
    fresh = records.filter((record) => unseen.delete(record.fingerprint));
  }
  const shrunk = fresh.filter((record) => record.shrunk !== undefined).length;
  if (fresh.length === 0) return { delivered: 0, duplicates: records.length, shrunk };

  const outcome = await ports.sink.put(
    fresh.map((record) => record.data),
    ports.deadlineMs,
  );
  const accepted = fresh.filter((_, index) => !outcome.failed.has(index));
  if (ports.seen && accepted.length > 0) {
    await ports.seen.markSeen(ports.source, accepted.map((record) => record.fingerprint));
  }
  if (outcome.failed.size > 0) {
    throw new DeliveryError(
      `Firehose did not accept ${outcome.failed.size} of ${fresh.length} records before the run's time was up (${outcome.lastError ?? 'no error text'}); the checkpoint stays before them`,
      outcome.failed.size,
    );
  }
  return { delivered: accepted.length, duplicates: records.length - fresh.length, shrunk };
}
