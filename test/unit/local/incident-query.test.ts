import { describe, expect, it } from 'vitest';
import { createIncidentGenerator, type Incident } from '../../../local/incident-generator.js';
import { parseIncidentQuery } from '../../../local/incident-query.js';

const incident: Incident = {
  ...createIncidentGenerator().create(Date.parse('2024-05-01T00:00:00Z')),
  state_id: 2,
  conclusion: 'Malicious File',
};

function matches(text: string): boolean {
  const parsed = parseIncidentQuery(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.matches(incident);
}

describe('parseIncidentQuery', () => {
  it('matches everything when the query is empty', () => {
    expect(matches('')).toBe(true);
  });

  it('matches a numeric range with inclusive bounds', () => {
    expect(matches('state_id: [0 TO 3]')).toBe(true);
    expect(matches('state_id:[3 TO 5]')).toBe(false);
    expect(matches('state_id:[2 TO *]')).toBe(true);
  });

  it('matches a quoted string without regard to case', () => {
    expect(matches('conclusion: "malicious file"')).toBe(true);
    expect(matches('conclusion: "Breach"')).toBe(false);
  });

  it('requires every term joined by AND', () => {
    expect(matches('state_id:2 AND conclusion:"Malicious File"')).toBe(true);
    expect(matches('state_id:2 AND severity_id:[9 TO 9]')).toBe(false);
  });

  it("refuses a field the API does not search, in the API's message shape", () => {
    const parsed = parseIncidentQuery('device_location.desc: x');
    expect(parsed).toEqual({ ok: false, message: "Invalid query. Search is not allowed on field 'device_location.desc'" });
  });

  it('refuses syntax outside the supported subset', () => {
    const parsed = parseIncidentQuery('state_id:1 OR state_id:2');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^Invalid query\./);
  });
});
