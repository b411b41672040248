/**
 * An incident JSON can read but not write back (nested thousands of levels deep: JSON.parse takes it,
 * JSON.stringify overflows the stack) still gets a fingerprint and one document, and nothing throws.
 */
import { describe, expect, it } from 'vitest';
import { encodeIncidents, versionFingerprint } from '../../../functions/ingest/page-records.js';
import type { RunSettings } from '../../../functions/ingest/ports.js';

const DEPTH = 12_000;
const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const settings = (outputFormat: 'ecs' | 'raw') =>
  ({
    outputFormat,
    preserveOriginalEvent: false,
    preserveDuplicateCustomFields: false,
    tags: [],
    namespace: 'default',
  }) as unknown as RunSettings;
const decode = (record: { data: Buffer }) => JSON.parse(record.data.toString('utf8')) as Record<string, any>;

describe('an incident nested too deep to write as JSON', () => {
  it('has a fingerprint, the same each time, when it has no uid or date', () => {
    // prepare
    const incident = { severity_id: 3, deep: nested(DEPTH) };
    // act
    const first = versionFingerprint(incident);
    const again = versionFingerprint({ severity_id: 3, deep: nested(DEPTH) });
    const other = versionFingerprint({ severity_id: 4, deep: nested(DEPTH) });
    // assess
    expect(first).toMatch(/^none\/[\w-]{22}$/);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('becomes an error document, not the record null, in the raw format', () => {
    // prepare
    const incident = { incident_uid: 'deep-1', modified: '2024-05-01T10:00:00.000Z', deep: nested(DEPTH) };
    // act
    const [record] = encodeIncidents([incident], settings('raw'), Date.UTC(2024, 4, 1));
    // assess
    const document = decode(record as { data: Buffer });
    expect(document).toMatchObject({ event: { kind: 'pipeline_error', id: 'deep-1' } });
    expect(document.error.message.join(' ')).toMatch(/cannot be written as JSON/);
    expect(document.event.original.length).toBeLessThan(70_000);
  });

  it('becomes an error document in the ECS format', () => {
    // prepare
    const incident = { incident_uid: 'deep-2', modified: '2024-05-01T10:00:00.000Z', deep: nested(DEPTH) };
    // act
    const [record] = encodeIncidents([incident], settings('ecs'), Date.UTC(2024, 4, 1));
    // assess
    const document = decode(record as { data: Buffer });
    expect(document).toMatchObject({ event: { kind: 'pipeline_error', id: 'deep-2' } });
    expect(document.error.message.join(' ')).toMatch(/cannot be written as JSON/);
  });
});
