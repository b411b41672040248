import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, encodeRecord } from '../../../functions/delivery/record-encoding.js';

const parse = (data: Buffer) => JSON.parse(data.toString('utf8'));

describe('encodeRecord', () => {
  it('writes one line of JSON ending in a newline', () => {
    const { data, shrunk } = encodeRecord({ event: { id: 'a' } });

    expect(data.toString()).toBe('{"event":{"id":"a"}}\n');
    expect(shrunk).toBeUndefined();
  });

  it('drops event.original first when a document is too large, and says so', () => {
    const document = { event: { id: 'a', original: 'x'.repeat(MAX_RECORD_BYTES) }, message: 'kept' };

    const { data, shrunk } = encodeRecord(document);

    expect(data.length).toBeLessThan(MAX_RECORD_BYTES);
    expect(parse(data)).toMatchObject({
      event: { id: 'a' },
      message: 'kept',
      error: { message: [expect.stringMatching(/event.original removed/)] },
    });
    expect(parse(data).event.original).toBeUndefined();
    expect(shrunk).toHaveLength(1);
    expect(document.event.original).toHaveLength(MAX_RECORD_BYTES);
  });

  it('cuts the longest strings when dropping event.original is not enough', () => {
    const document = {
      event: { id: 'a' },
      error: { message: ['earlier'] },
      symantec_edr_cloud: { incident: { remediation: 'é'.repeat(MAX_RECORD_BYTES) } },
    };

    const { data } = encodeRecord(document);
    const out = parse(data);

    expect(data.length).toBeLessThan(MAX_RECORD_BYTES);
    expect(out.symantec_edr_cloud.incident.remediation).toMatch(/…\[cut\]$/);
    expect(out.error.message[0]).toBe('earlier');
    expect(out.error.message[1]).toMatch(/symantec_edr_cloud.incident.remediation cut from/);
  });

  it('keeps the identity of a document that no cut can shrink', () => {
    const many = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`field_${i}`, 'v'.repeat(20)]));
    const document = {
      '@timestamp': '2024-01-01T00:00:00.000Z',
      event: { id: 'uid-1', kind: 'alert' },
      symantec_edr_cloud: { incident: { incident_uid: 'uid-1', ...many } },
    };

    const { data } = encodeRecord(document);
    const out = parse(data);

    expect(out.event.id).toBe('uid-1');
    expect(out.symantec_edr_cloud.incident.incident_uid).toBe('uid-1');
    expect(out.error.message.at(-1)).toMatch(/replaced by its identity/);
  });

  it('shrinks a raw record without adding fields to it', () => {
    const text = JSON.stringify({ incident_uid: 'u', remediation: 'r'.repeat(MAX_RECORD_BYTES + 10) });

    const { data } = encodeRecord(text, { annotate: false });

    expect(data.length).toBeLessThan(MAX_RECORD_BYTES);
    expect(Object.keys(parse(data))).toEqual(['incident_uid', 'remediation']);
  });
});
