import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createIncidentGenerator, formatEventId, toApiIso, withEventIdDigits, type Incident } from '../../../local/incident-generator.js';

const sample = JSON.parse(
  readFileSync(new URL('../../fixtures/xsoar_SymantecICDM_icdm_incidents_with_events.json', import.meta.url), 'utf8'),
) as { incidents: Incident[] };
const sampleIncident = sample.incidents[0] as Incident;
const apiIso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;
const at = Date.parse('2024-05-01T10:00:00.000Z');

function many(count: number, seed = 5): Incident[] {
  const generator = createIncidentGenerator({ seed });
  return Array.from({ length: count }, (_, i) => generator.create(at + i * 1000));
}

describe('createIncidentGenerator', () => {
  it('makes incidents with the fields and field types of the public sample', () => {
    // prepare
    const optional = new Set(['remediation', 'resolution_id']);
    const incidents = many(50);

    // act
    const complete = incidents.find((incident) => 'remediation' in incident && 'resolution_id' in incident) as Incident;

    // assess
    for (const [key, value] of Object.entries(sampleIncident)) {
      if (!optional.has(key)) for (const incident of incidents) expect(typeof incident[key], key).toBe(typeof value);
      expect(typeof complete[key], key).toBe(typeof value);
    }
  });

  it('writes time and device_time as epoch ms and created/modified as ISO with +00:00 and milliseconds', () => {
    const [incident] = many(1) as [Incident];
    expect(incident.time).toBe(at);
    expect(incident.device_time).toBe(at);
    expect(incident.created).toMatch(apiIso);
    expect(incident.modified).toMatch(apiIso);
    expect(Date.parse(incident.created)).toBe(at);
  });

  it('gives the detection events the keys of the public sample event', () => {
    const sampleEvent = (sampleIncident.events ?? [])[0] as Record<string, unknown>;
    const sandbox = many(200)
      .flatMap((incident) => incident.events ?? [])
      .find((event) => event.type === 'sandbox_file_detection') as Record<string, unknown>;
    for (const key of Object.keys(sampleEvent)) expect(sandbox, key).toHaveProperty(key);
  });

  it('keeps every enumeration inside the documented tables apart from rare unknown ids', () => {
    const incidents = many(400);
    expect(new Set(incidents.map((incident) => incident.severity_id))).toEqual(new Set([3, 4, 5]));
    expect(incidents.every((incident) => incident.category_id === 1)).toBe(true);
    expect(incidents.every((incident) => incident.id === 4 || incident.id === 0)).toBe(true);
    expect(incidents.every((incident) => incident.suspected_breach === 'Yes' || incident.suspected_breach === 'No')).toBe(true);
    const priorities = incidents.map((incident) => incident.priority_id);
    expect(priorities.filter((priority) => priority < 0 || priority > 4).length).toBeLessThan(incidents.length * 0.1);
  });

  it('draws conclusions from the whole categorisation table and some unknown ones', () => {
    const conclusions = new Set(many(600).map((incident) => String(incident.conclusion).toLowerCase()));
    for (const known of [
      'targeted malware',
      'suspicious activity',
      'malicious activity',
      'malicious file',
      'dual use tool',
      'malware',
      'hacktool',
      'breach',
      'network threat',
      'potential threat',
      'targeted attack',
    ]) {
      expect(conclusions, known).toContain(known);
    }
    expect(conclusions).toContain('policy violation');
  });

  it('is deterministic for a seed', () => {
    expect(many(5, 11)).toEqual(many(5, 11));
    expect(many(5, 11)).not.toEqual(many(5, 12));
  });

  it('numbers ref_incident_uid upwards and gives each incident its console URL', () => {
    const incidents = many(3);
    expect(incidents.map((incident) => incident.ref_incident_uid)).toEqual([100000, 100001, 100002]);
    expect(incidents[0]?.incident_url).toBe(
      `https://sep.securitycloud.symantec.com/v2/incidents/incidentListing/${incidents[0]?.incident_uid}/details`,
    );
  });

  it('writes event_id with 8 digits when asked', () => {
    const incident = createIncidentGenerator({ eventIdDigits: 8 }).create(at);
    expect(String(incident.event_id)).toMatch(/^8075000[04]$/);
  });

  it('makes an update that keeps the identity and moves state, time and modified', () => {
    // prepare
    const generator = createIncidentGenerator({ seed: 2, unknownEnumRate: 0 });
    const created = generator.create(at);

    // act
    const updated = generator.update(created, at + 60_000);

    // assess
    expect(updated.incident_uid).toBe(created.incident_uid);
    expect(updated.created).toBe(created.created);
    expect(updated.ref_incident_uid).toBe(created.ref_incident_uid);
    expect(updated.time).toBe(at + 60_000);
    expect(updated.modified).toBe(toApiIso(at + 60_000));
    expect(updated.state_id).not.toBe(created.state_id);
    expect([8076, 8077]).toContain(updated.type_id);
    expect(updated.type).toBe(updated.type_id === 8077 ? 'INCIDENT_CLOSURE' : 'INCIDENT_UPDATE');
    expect(updated.event_id).toBe(formatEventId(updated.type_id, created.id, 7));
  });

  it('closes an incident with state Closed and a resolution', () => {
    const generator = createIncidentGenerator({ seed: 3, unknownEnumRate: 0 });
    let incident = generator.create(at);
    for (let i = 1; i <= 10 && incident.type_id !== 8077; i++) incident = generator.update(incident, at + i * 1000);
    expect(incident.type).toBe('INCIDENT_CLOSURE');
    expect(incident.state_id).toBe(5);
    expect(incident.resolution_id).toBeGreaterThanOrEqual(1);
  });

  it('keeps versions strictly newer even when updated at the same instant', () => {
    const generator = createIncidentGenerator();
    const created = generator.create(at);
    expect(generator.update(created, at).time).toBe(at + 1);
  });
});

describe('withEventIdDigits', () => {
  it('converts between the 7- and 8-digit forms', () => {
    expect(withEventIdDigits(8075004, 8)).toBe(80750004);
    expect(withEventIdDigits(80770000, 7)).toBe(8077000);
    expect(withEventIdDigits(8076004, 7)).toBe(8076004);
    expect(withEventIdDigits(42, 8)).toBe(42);
  });
});
