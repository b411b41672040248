import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEnvironment, startLocalEnvironment } from '../../../local/environment.js';
import type { SimulatorBehaviour } from '../../../local/symantec-simulator.js';
import { runCli } from '../../support/cli-run.js';
import { pointProcessEnvAt } from '../../support/local-process-env.js';

/**
 * `symantec-edr check --verbose` against the simulator in several modes: the paging facts it prints name
 * the mode (the timestamp the window filters on, the order, the last-page form, the event_id width), as
 * docs/api-assumptions.md tells a user with a live tenant to read them.
 */

const HOUR = 3_600_000;
let local: LocalEnvironment;
let restoreEnv: () => void;

beforeAll(async () => {
  local = await startLocalEnvironment({ seed: 23, secretName: 'symantec-edr/check-verbose' });
  restoreEnv = pointProcessEnvAt(local);
  // `check --verbose` reads the 24 h that ended 24 h ago. Changes made since then, and old incidents
  // changed inside it, leave exactly one timestamp agreeing with every row, whichever the API filters on.
  const now = Date.now();
  const store = local.simulator.store;
  const inside = store.createIncidentsBetween(130, now - 46 * HOUR, now - 26 * HOUR).map((incident) => incident.incident_uid);
  const old = store.createIncidentsBetween(20, now - 70 * HOUR, now - 60 * HOUR).map((incident) => incident.incident_uid);
  store.updateIncidents(inside.slice(0, 10), now - 2 * HOUR);
  store.touchIncidents(inside.slice(10, 15), now - 2 * HOUR);
  store.updateIncidents(old.slice(0, 5), now - 30 * HOUR);
  store.touchIncidents(old.slice(5, 10), now - 30 * HOUR);
});
afterAll(async () => {
  restoreEnv();
  await local.close();
});

async function checkVerbose(behaviour: Partial<SimulatorBehaviour>): Promise<{ status: number; stdout: string }> {
  local.simulator.setBehaviour(behaviour);
  return runCli(['check', '--verbose']);
}

const lines = (text: string) => text.split('\n');

describe('symantec-edr check --verbose', () => {
  it('identifies a created filter, descending order, a last page without next and 8-digit event_ids', async () => {
    const { status, stdout } = await checkVerbose({ filterField: 'created', order: 'desc', lastPage: 'next-absent', eventIdDigits: 8 });

    expect(status).toBe(0);
    expect(lines(stdout)).toEqual(
      expect.arrayContaining([
        '  page at offset 0: 100 rows, total 130, next 100',
        '  page at offset 100: 30 rows, total 130, next absent',
        '  last page: next absent',
        '  largest total: 130',
        '  created: descending; inside the window 130, outside 0, missing 0',
        '  time: unordered; inside the window 120, outside 10, missing 0',
        '  the window filters on: created',
        '  event_id digits: 8',
        'ok   paging facts: 2 pages read',
      ]),
    );
  });

  it('identifies a time filter, ascending order, next == total and 7-digit event_ids', async () => {
    const { status, stdout } = await checkVerbose({ filterField: 'time', order: 'asc', lastPage: 'next-equals-total', eventIdDigits: 7 });

    expect(status).toBe(0);
    expect(lines(stdout)).toEqual(
      expect.arrayContaining([
        '  page at offset 100: 25 rows, total 125, next 125',
        '  last page: next == total',
        '  time: ascending; inside the window 125, outside 0, missing 0',
        '  modified: unordered; inside the window 120, outside 5, missing 0',
        '  created: unordered; inside the window 120, outside 5, missing 0',
        '  the window filters on: time',
        '  event_id digits: 7',
      ]),
    );
  });

  it('identifies a modified filter, unordered results and a last page with next: null', async () => {
    const { status, stdout } = await checkVerbose({ filterField: 'modified', order: 'unordered', lastPage: 'next-null' });

    expect(status).toBe(0);
    expect(lines(stdout)).toEqual(
      expect.arrayContaining([
        '  page at offset 100: 25 rows, total 125, next null',
        '  last page: next null',
        '  modified: unordered; inside the window 125, outside 0, missing 0',
        '  the window filters on: modified',
      ]),
    );
  });

  it('reads the window that ended --ago before now', async () => {
    const before = Date.now();
    const { stdout } = await checkVerbose({ filterField: 'time' });

    const [, start, end] = /^paging facts over (\S+) \.\. (\S+):$/m.exec(stdout) ?? [];
    expect(Date.parse(end ?? '') - Date.parse(start ?? '')).toBe(24 * HOUR);
    expect(Date.parse(end ?? '')).toBeGreaterThanOrEqual(before - 24 * HOUR);
    expect(Date.parse(end ?? '')).toBeLessThanOrEqual(Date.now() - 24 * HOUR);
  });
});
