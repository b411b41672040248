import { describe, expect, it } from 'vitest';
import type { VersionRecord } from '../../local/incident-store.js';
import { checkLedger, type LedgerCheckInput, versionKey } from './ledger-check.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ORIGIN = Date.UTC(2026, 10, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function version(uid: string, createdMs: number, timeMs = createdMs, modifiedMs = timeMs): VersionRecord {
  return { incident_uid: uid, type: 'INCIDENT_UPDATE', created: iso(createdMs), time: timeMs, modified: iso(modifiedMs) };
}

function input(versions: VersionRecord[], delivered: VersionRecord[], overrides: Partial<LedgerCheckInput> = {}): LedgerCheckInput {
  return {
    versions,
    delivered: delivered.map((v) => ({ uid: v.incident_uid, modified: v.modified })),
    filterField: 'time',
    originMs: ORIGIN,
    endMs: ORIGIN + 48 * HOUR,
    forwardLatencyMs: 7 * MINUTE,
    sweepLatencyMs: 8 * HOUR,
    ...overrides,
  };
}

describe('checkLedger', () => {
  it('lists a required version that never arrived as missing', () => {
    const created = version('a', ORIGIN + HOUR);
    const updated = version('a', ORIGIN + HOUR, ORIGIN + 10 * HOUR);

    const check = checkLedger(input([created, updated], [created]));

    expect(check.missing).toEqual([versionKey('a', updated.modified)]);
    expect(check.required).toBe(2);
  });

  it('lists a version delivered twice and a document that matches no version', () => {
    const created = version('a', ORIGIN + HOUR);
    const stranger = version('b', ORIGIN + HOUR);

    const check = checkLedger(input([created], [created, created, stranger]));

    expect(check.duplicates).toEqual([versionKey('a', created.modified)]);
    expect(check.unknown).toEqual([versionKey('b', stranger.modified)]);
  });

  it('requires nothing modified before the first window', () => {
    const old = version('a', ORIGIN - 2 * HOUR);

    expect(checkLedger(input([old], []))).toMatchObject({ inScope: 0, required: 0, missing: [] });
  });

  it('excuses a version replaced before a new window could hold it', () => {
    const created = version('a', ORIGIN + HOUR);
    const replacedSoon = version('a', ORIGIN + HOUR, ORIGIN + HOUR + 2 * MINUTE);

    const check = checkLedger(input([created, replacedSoon], [replacedSoon]));

    expect(check).toMatchObject({ required: 1, missing: [], shortLivedMissed: 1 });
  });

  it('gives an update the sweep latency when the window filters on created', () => {
    const created = version('a', ORIGIN + HOUR);
    const update = version('a', ORIGIN + HOUR, ORIGIN + 2 * HOUR);
    // Replaced 3 hours later: long enough for a new window, too soon for a sweep.
    const next = version('a', ORIGIN + HOUR, ORIGIN + 5 * HOUR);

    const byCreated = checkLedger(input([created, update, next], [created, next], { filterField: 'created' }));
    const byTime = checkLedger(input([created, update, next], [created, next], { filterField: 'time' }));

    expect(byCreated).toMatchObject({ missing: [], shortLivedMissed: 1 });
    expect(byTime.missing).toEqual([versionKey('a', update.modified)]);
  });

  it('gives an edit that moves only modified the sweep latency when the window filters on time', () => {
    const created = version('a', ORIGIN + HOUR);
    const edit = version('a', ORIGIN + HOUR, ORIGIN + HOUR, ORIGIN + 2 * HOUR);

    const byTime = checkLedger(input([created, edit], [created], { filterField: 'time', endMs: ORIGIN + 5 * HOUR }));
    const byModified = checkLedger(input([created, edit], [created], { filterField: 'modified', endMs: ORIGIN + 5 * HOUR }));

    expect(byTime).toMatchObject({ missing: [], shortLivedMissed: 1 });
    expect(byModified.missing).toEqual([versionKey('a', edit.modified)]);
  });
});
