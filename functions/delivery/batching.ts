/** Firehose `PutRecordBatch` takes at most 500 records and 4 MiB per call. */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Splits records, by index, into batches that respect both limits, keeping their order. Pure.
 * Every record must already be within the per-record limit (see record-encoding).
 */
export function planBatches(sizes: readonly number[], maxRecords = MAX_BATCH_RECORDS, maxBytes = MAX_BATCH_BYTES): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (current.length > 0 && (current.length === maxRecords || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
