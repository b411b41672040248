import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../functions/delivery/record-encoding.js';

/** Documents of many sizes, some with multi-byte characters, enough to fill several shared blocks. */
function documents(count: number): object[] {
  return Array.from({ length: count }, (_, i) => ({
    event: { id: `incident-${i}` },
    message: `${'x'.repeat(i % 700)}${i % 3 === 0 ? ' é ✓ 𝄞' : ''}`,
  }));
}

describe('encodeRecord, many records in a row', () => {
  it('gives every record its own bytes, unchanged by the records encoded after it', () => {
    const docs = documents(2_000);

    const records = docs.map((doc) => encodeRecord(doc).data);

    records.forEach((data, i) => expect(data.equals(Buffer.from(`${JSON.stringify(docs[i])}\n`))).toBe(true));
  });

  it('encodes a document larger than a shared block share on its own', () => {
    const doc = { event: { id: 'large' }, message: 'y'.repeat(200_000) };

    const { data } = encodeRecord(doc);

    expect(data.equals(Buffer.from(`${JSON.stringify(doc)}\n`))).toBe(true);
  });
});
