import { describe, expect, it } from 'vitest';
import type { FilterField, VersionRecord } from '../../local/incident-store.js';
import { type AccountingInput, reconcile, type ReachRule } from './accounting.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ORIGIN = Date.UTC(2025, 0, 6);
const iso = (ms: number) => new Date(ms).toISOString();

/** A version that appeared at `atMs` (its `time` and `modified`) of an incident created at `createdMs`. */
function version(uid: string, createdMs: number, atMs = createdMs): VersionRecord {
  return {
    incident_uid: uid,
    type: atMs === createdMs ? 'INCIDENT_CREATION' : 'INCIDENT_UPDATE',
    created: iso(createdMs),
    time: atMs,
    modified: iso(atMs),
  };
}

/** The cursor follows `now` five minutes behind, one move per 5-minute tick, from the origin to `endMs`. */
function steadyCursor(endMs: number): { atMs: number; cursor: string }[] {
  const moves = [];
  for (let atMs = ORIGIN + 5 * MINUTE; atMs <= endMs; atMs += 5 * MINUTE) moves.push({ atMs, cursor: iso(atMs - 5 * MINUTE) });
  return moves;
}

function books(versions: VersionRecord[], delivered: VersionRecord[], reach: Partial<ReachRule> = {}): AccountingInput {
  const endMs = reach.endMs ?? ORIGIN + 3 * DAY;
  return {
    versions,
    appearedAtMs: versions.map((v) => v.time),
    delivered: delivered.map((v) => ({ uid: v.incident_uid, modified: v.modified })),
    cursorMoves: steadyCursor(endMs),
    clamps: [],
    finalCursor: iso(endMs),
    unmarked: new Map(),
    reach: {
      filterField: 'created',
      sweepIntervalMs: 6 * HOUR,
      sweepHorizonMs: 7 * DAY,
      sweepSlackMs: HOUR,
      noRuns: undefined,
      endMs,
      ...reach,
    },
  };
}

describe('reconcile, for versions only the update sweep can find', () => {
  it('excuses an update replaced before a sweep was due when the API filters on created', () => {
    // prepare: updated an hour after creation, replaced two hours later; the creation and the last update arrive
    const created = version('a', ORIGIN + HOUR);
    const first = version('a', ORIGIN + HOUR, ORIGIN + 2 * HOUR);
    const second = version('a', ORIGIN + HOUR, ORIGIN + 4 * HOUR);
    // act
    const byCreated = reconcile(books([created, first, second], [created, second]));
    const byTime = reconcile(books([created, first, second], [created, second], { filterField: 'time' }));
    // assess: a new window held the update when the API filters on time, so there it is a loss
    expect(byCreated).toMatchObject({ lost: 0, replacedBeforeSweep: 1, supersededUnread: 0 });
    expect(byTime).toMatchObject({ lost: 1, replacedBeforeSweep: 0 });
  });

  it('counts an update that outlived the sweep interval and its slack and never arrived as lost', () => {
    const created = version('a', ORIGIN + HOUR);
    const update = version('a', ORIGIN + HOUR, ORIGIN + 2 * HOUR);
    const next = version('a', ORIGIN + HOUR, ORIGIN + 10 * HOUR);

    const accounting = reconcile(books([created, update, next], [created, next]));

    expect(accounting.lost).toBe(1);
    expect(accounting.lostSamples[0]).toContain('created ');
  });

  it('does not count time without any run towards the wait for a sweep', () => {
    const created = version('a', ORIGIN + HOUR);
    const update = version('a', ORIGIN + HOUR, ORIGIN + 2 * HOUR);
    const next = version('a', ORIGIN + HOUR, ORIGIN + 20 * HOUR);

    const accounting = reconcile(
      books([created, update, next], [created, next], { noRuns: { fromMs: ORIGIN + 3 * HOUR, toMs: ORIGIN + 15 * HOUR } }),
    );

    // 7 h of interval and slack plus the 12 h without runs: due by 21:00, replaced at 20:00
    expect(accounting).toMatchObject({ lost: 0, replacedBeforeSweep: 1 });
  });

  it('counts an update of an incident older than the sweep horizon as unreachable by design, not as lost', () => {
    const old = version('a', ORIGIN - 10 * DAY);
    const update = version('a', ORIGIN - 10 * DAY, ORIGIN + HOUR);

    const accounting = reconcile(books([old, update], [old]));

    expect(accounting).toMatchObject({ lost: 0, beyondSweepHorizon: 1 });
  });

  it('counts a current update newer than the next due sweep as not yet swept', () => {
    const endMs = ORIGIN + 3 * DAY;
    const created = version('a', ORIGIN + HOUR);
    const update = version('a', ORIGIN + HOUR, endMs - 2 * HOUR);

    expect(reconcile(books([created, update], [created]))).toMatchObject({ lost: 0, notYetSwept: 1 });
  });

  it('excuses nothing when the sweep is off', () => {
    const created = version('a', ORIGIN + HOUR);
    const update = version('a', ORIGIN + HOUR, ORIGIN + 2 * HOUR);
    const next = version('a', ORIGIN + HOUR, ORIGIN + 3 * HOUR);

    expect(reconcile(books([created, update, next], [created, next], { sweepIntervalMs: 0 }))).toMatchObject({
      lost: 1,
      replacedBeforeSweep: 0,
    });
  });
});

describe('reconcile, for versions a new window holds', () => {
  it.each<FilterField>(['time', 'modified', 'created'])(
    'excuses a creation replaced before its window was read, filtering on %s',
    (filterField) => {
      // prepare: the update comes two minutes after the creation, before the cursor passes it
      const created = version('a', ORIGIN + HOUR + MINUTE);
      const update = version('a', ORIGIN + HOUR + MINUTE, ORIGIN + HOUR + 3 * MINUTE);
      // act
      const accounting = reconcile(books([created, update], [update], { filterField }));
      // assess
      expect(accounting).toMatchObject({ lost: 0, supersededUnread: 1 });
    },
  );
});
