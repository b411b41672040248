/**
 * Every row of every label table and of the categorisation table (docs/fields.md), written out here from the
 * spec (not imported from the code under test), checked through `toEcsDocument` with the id as a number
 * and as a string.
 */
import { describe, expect, it } from 'vitest';
import { toEcsDocument } from '../../../functions/ecs/map-incident.js';

const incidentLabels = (incident: Record<string, unknown>) => toEcsDocument(incident, undefined, { now: 0 }).symantec_edr_cloud.incident;
const asNumberAndText = <T extends readonly [number, ...unknown[]]>(rows: readonly T[]) =>
  rows.flatMap((row) => [row, [String(row[0]), ...row.slice(1)] as unknown as T]);

describe('severity_id', () => {
  it.each(
    asNumberAndText([
      [3, 'Minor'],
      [4, 'Major'],
      [5, 'Critical'],
    ] as const),
  )('labels %j as %s', (id, label) => {
    const document = toEcsDocument({ severity_id: id });

    expect(document.symantec_edr_cloud.incident.severity).toBe(label);
    expect(document.event.severity).toBe(Number(id));
  });
});

describe('state_id', () => {
  it.each(
    asNumberAndText([
      [0, 'Unknown'],
      [1, 'New'],
      [2, 'In Progress'],
      [3, 'On Hold'],
      [4, 'Resolved'],
      [5, 'Closed'],
    ] as const),
  )('labels %j as %s', (id, label) => {
    expect(incidentLabels({ state_id: id }).state).toBe(label);
  });
});

describe('priority_id', () => {
  it.each(
    asNumberAndText([
      [0, 'Unknown'],
      [1, 'Informational'],
      [2, 'Normal'],
      [3, 'High'],
      [4, 'Critical'],
    ] as const),
  )('labels %j as %s', (id, label) => {
    expect(incidentLabels({ priority_id: id }).priority).toBe(label);
  });
});

describe('resolution_id', () => {
  it.each(
    asNumberAndText([
      [1, 'Insufficient data'],
      [2, 'Security risk'],
      [3, 'False positive'],
      [4, 'Managed externally'],
      [5, 'Benign'],
      [6, 'Test'],
    ] as const),
  )('labels %j as %s', (id, label) => {
    expect(incidentLabels({ resolution_id: id }).resolution).toBe(label);
  });
});

describe('id (outcome)', () => {
  it.each(
    asNumberAndText([
      [0, 'Unknown'],
      [4, 'Logged'],
    ] as const),
  )('labels %j as %s', (id, label) => {
    expect(incidentLabels({ id }).outcome).toBe(label);
  });
});

describe('event_id', () => {
  it.each(
    asNumberAndText([
      [8075004, 'Incident Creation: Logged'],
      [8075000, 'Incident Creation: Unknown'],
      [8076004, 'Incident Update: Logged'],
      [8076000, 'Incident Update: Unknown'],
      [8077004, 'Incident Closure: Logged'],
      [8077000, 'Incident Closure: Unknown'],
      [80750004, 'Incident Creation: Logged'],
      [80750000, 'Incident Creation: Unknown'],
      [80760004, 'Incident Update: Logged'],
      [80760000, 'Incident Update: Unknown'],
      [80770004, 'Incident Closure: Logged'],
      [80770000, 'Incident Closure: Unknown'],
    ] as const),
  )('labels %j as %s', (id, label) => {
    const fields = incidentLabels({ event_id: id });

    expect(fields.event).toBe(label);
    expect(fields.event_id).toBe(String(id));
  });
});

describe('ids outside their tables', () => {
  it.each([
    ['severity_id', 2, 'severity'],
    ['severity_id', 6, 'severity'],
    ['state_id', 6, 'state'],
    ['state_id', 'constructor', 'state'],
    ['priority_id', 5, 'priority'],
    ['resolution_id', 0, 'resolution'],
    ['resolution_id', 7, 'resolution'],
    ['id', 1, 'outcome'],
    ['event_id', 8078004, 'event'],
    ['event_id', 807500004, 'event'],
    ['event_id', '08075004', 'event'],
  ] as const)('sets no label for %s %j and reports no error', (field, id, label) => {
    const document = toEcsDocument({ [field]: id });

    expect(document.symantec_edr_cloud.incident).not.toHaveProperty(label);
    expect(document.event.kind).toBe('alert');
    expect(document).not.toHaveProperty('error');
  });
});

describe('conclusion', () => {
  const malware = { category: ['malware'], type: ['info'] };
  const threat = { category: ['threat'], type: ['indicator'] };
  it.each([
    ['Targeted Malware', malware],
    ['Suspicious Activity', malware],
    ['Malicious Activity', malware],
    ['Malicious File', malware],
    ['Dual Use Tool', malware],
    ['Malware', malware],
    ['Hacktool', malware],
    ['Breach', { category: ['intrusion_detection'], type: ['info'] }],
    ['Network Threat', { category: ['threat', 'network'], type: ['info', 'indicator'] }],
    ['Potential Threat', threat],
    ['Targeted Attack', threat],
    ['SUSPICIOUS ACTIVITY', malware],
    ['network threat', { category: ['threat', 'network'], type: ['info', 'indicator'] }],
  ])('categorises %s', (conclusion, expected) => {
    const document = toEcsDocument({ conclusion });

    expect({ category: document.event.category, type: document.event.type }).toEqual(expected);
    expect(document.event.reason).toBe(conclusion);
  });

  it.each(['Something Else', 'Suspicious  Activity', ' Malware', 'hack tool'])('leaves %j uncategorised', (conclusion) => {
    const document = toEcsDocument({ conclusion });

    expect(document.event).not.toHaveProperty('category');
    expect(document.event).not.toHaveProperty('type');
    expect(document.event.reason).toBe(conclusion);
  });

  it('gives each document its own category list', () => {
    const first = toEcsDocument({ conclusion: 'Malware' });
    first.event.category?.push('changed');

    expect(toEcsDocument({ conclusion: 'Malware' }).event.category).toEqual(['malware']);
  });
});
