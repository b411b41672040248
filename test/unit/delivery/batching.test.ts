import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, planBatches } from '../../../functions/delivery/batching.js';

describe('planBatches', () => {
  it('cuts at 500 records', () => {
    const batches = planBatches(new Array(1201).fill(10));

    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
  });

  it('cuts before a record that would pass 4 MiB', () => {
    const oneMiB = 1024 * 1024;

    const batches = planBatches([oneMiB, oneMiB, oneMiB, oneMiB, 1]);

    expect(batches).toEqual([[0, 1, 2, 3], [4]]);
  });

  it('keeps every record once, in order, within both limits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_024_000 }), { maxLength: 2000 }), (sizes) => {
        const batches = planBatches(sizes);

        expect(batches.flat()).toEqual(sizes.map((_, i) => i));
        for (const batch of batches) {
          expect(batch.length).toBeLessThanOrEqual(MAX_BATCH_RECORDS);
          expect(batch.reduce((sum, i) => sum + (sizes[i] as number), 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
        }
      }),
    );
  });
});
