import { describe, expect, it } from 'vitest';
import { createIncidentStore, retentionMs, timestampOf } from '../../../local/incident-store.js';
import { createManualClock } from '../../../local/manual-clock.js';

const start = Date.parse('2024-05-01T00:00:00.000Z');
const hour = 3_600_000;

describe('createIncidentStore', () => {
  it('records every created and updated version in the ledger', () => {
    // prepare
    const clock = createManualClock(start);
    const store = createIncidentStore({ clock, seed: 4 });

    // act
    const created = store.createIncidents(3);
    clock.advance(hour);
    const updated = store.updateIncidents([created[0]?.incident_uid ?? '']);

    // assess
    const ledger = store.versionsCreated();
    expect(ledger).toHaveLength(4);
    expect(ledger.filter((entry) => entry.incident_uid === created[0]?.incident_uid).map((entry) => entry.time)).toEqual([
      start,
      start + hour,
    ]);
    expect(store.all()).toHaveLength(3);
    expect(store.get(created[0]?.incident_uid ?? '')).toEqual(updated[0]);
  });

  it('updates the asked number of incidents, each once', () => {
    const clock = createManualClock(start);
    const store = createIncidentStore({ clock });
    store.createIncidents(10);
    clock.advance(1_000);
    const updated = store.updateIncidents(4);
    expect(new Set(updated.map((incident) => incident.incident_uid)).size).toBe(4);
    expect(store.versionsCreated()).toHaveLength(14);
  });

  it('refuses to update an incident it does not hold', () => {
    const store = createIncidentStore({ clock: createManualClock(start) });
    expect(() => store.updateIncidents(['nope'])).toThrow(/No incident nope/);
  });

  it('spreads a history evenly over a window, oldest first', () => {
    const store = createIncidentStore({ clock: createManualClock(start + 10 * hour) });
    const made = store.createIncidentsBetween(4, start, start + 4 * hour);
    expect(made.map((incident) => incident.time)).toEqual([start, start + hour, start + 2 * hour, start + 3 * hour]);
  });

  it('selects by the chosen field with the end excluded or included', () => {
    // prepare
    const clock = createManualClock(start);
    const store = createIncidentStore({ clock });
    const [incident] = store.createIncidents(1, start);
    clock.advance(2 * hour);
    store.updateIncidents([incident?.incident_uid ?? ''], start + 2 * hour);

    // act
    const byTime = store.select('time', start, start + hour, false);
    const byCreated = store.select('created', start, start + hour, false);
    const atEndExcluded = store.select('time', start, start + 2 * hour, false);
    const atEndIncluded = store.select('time', start, start + 2 * hour, true);

    // assess
    expect(byTime).toHaveLength(0);
    expect(byCreated).toHaveLength(1);
    expect(atEndExcluded).toHaveLength(0);
    expect(atEndIncluded).toHaveLength(1);
  });

  it('moves only modified on a touch, so the time and modified filters part ways', () => {
    // prepare
    const clock = createManualClock(start);
    const store = createIncidentStore({ clock });
    const [incident] = store.createIncidents(1, start);
    const uid = incident?.incident_uid ?? '';

    // act
    const [touched] = store.touchIncidents([uid], start + 2 * hour);

    // assess
    expect(touched?.time).toBe(start);
    expect(touched?.type).toBe(incident?.type);
    expect(store.select('time', start, start + hour, false)).toHaveLength(1);
    expect(store.select('modified', start, start + hour, false)).toHaveLength(0);
    expect(store.versionsCreated()).toHaveLength(2);
  });

  it('stops serving versions older than 30 days', () => {
    const clock = createManualClock(start);
    const store = createIncidentStore({ clock });
    store.createIncidents(2, start);
    clock.advance(retentionMs + 1);
    expect(store.select('time', 0, clock.now(), false)).toHaveLength(0);
  });

  it('reads each filter field as epoch ms', () => {
    const store = createIncidentStore({ clock: createManualClock(start) });
    const [incident] = store.createIncidents(1, start + 123);
    if (!incident) throw new Error('no incident');
    expect([timestampOf(incident, 'time'), timestampOf(incident, 'modified'), timestampOf(incident, 'created')]).toEqual([
      start + 123,
      start + 123,
      start + 123,
    ]);
  });
});
