/**
 * Every OCSF document the mapping makes, from every fixture and from generated incidents, is checked
 * against the OCSF 1.1.0 schema files. One deviation is known and expected: Incident Finding asks for
 * `assignee` or `assignee_group`, and the incidents API has neither, so nothing fills them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toOcsfDocument } from '../../../functions/ocsf/map-incident.js';
import { fixtureInputs } from '../../support/fixture-incidents.js';
import { anyIncidentInput, realisticIncident } from '../../support/incident-arbitrary.js';
import { classDefinition, validateOcsf } from '../../support/ocsf-validator.js';

const INCIDENT_FINDING = classDefinition('findings/incident_finding');
const KNOWN_DEVIATION = ['$: constraint at_least_one of assignee, assignee_group not met'];
const NOW = Date.UTC(2024, 4, 1);

describe('OCSF documents against the OCSF 1.1.0 schema', () => {
  it.each(fixtureInputs().map((input) => [input.label, input] as const))(
    '%s maps to a valid Incident Finding but for the missing assignee',
    (_label, input) => {
      const document = toOcsfDocument(input.value, { preserveOriginalEvent: true }, { now: NOW, originalText: input.text });

      expect(validateOcsf(JSON.parse(JSON.stringify(document)), INCIDENT_FINDING)).toEqual(KNOWN_DEVIATION);
    },
  );

  it('maps any input to a valid Incident Finding but for the missing assignee', () => {
    fc.assert(
      fc.property(anyIncidentInput, fc.boolean(), (input, preserveOriginalEvent) => {
        const document = toOcsfDocument(input, { preserveOriginalEvent }, { now: NOW });

        expect(validateOcsf(JSON.parse(JSON.stringify(document)), INCIDENT_FINDING)).toEqual(KNOWN_DEVIATION);
      }),
      { numRuns: 500 },
    );
  });

  it('maps realistic incidents, events included, to valid Incident Findings but for the missing assignee', () => {
    fc.assert(
      fc.property(realisticIncident, (incident) => {
        const document = toOcsfDocument(incident, undefined, { now: NOW });

        expect(validateOcsf(JSON.parse(JSON.stringify(document)), INCIDENT_FINDING)).toEqual(KNOWN_DEVIATION);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the OCSF validator', () => {
  const valid = (): Record<string, any> =>
    JSON.parse(JSON.stringify(toOcsfDocument({ incident_uid: 'u-1', type_id: 8075, severity_id: 4, state_id: 1, time: 1 })));

  it('passes a mapped document but for the known deviation', () => {
    expect(validateOcsf(valid(), INCIDENT_FINDING)).toEqual(KNOWN_DEVIATION);
  });

  it('reports a missing required attribute, also inside an object', () => {
    const document = valid();
    delete document.time;
    delete document.metadata.product.vendor_name;

    expect(validateOcsf(document, INCIDENT_FINDING)).toEqual([
      '$.time: required by findings/incident_finding, missing',
      '$.metadata.product.vendor_name: required by product, missing',
      ...KNOWN_DEVIATION,
    ]);
  });

  it('reports an attribute the class or object does not define, but not unmapped', () => {
    const document: Record<string, any> = { ...valid(), priority_label: 'High', unmapped: { anything: 1 } };
    document.finding_info_list[0].color = 'red';

    expect(validateOcsf(document, INCIDENT_FINDING)).toEqual([
      '$.finding_info_list[0].color: not an attribute of finding_info',
      '$.priority_label: not an attribute of findings/incident_finding',
      ...KNOWN_DEVIATION,
    ]);
  });

  it("reports an id outside its enumeration and a caption that is not the id's", () => {
    const document = { ...valid(), status_id: 7, severity: 'Low' };

    expect(validateOcsf(document, INCIDENT_FINDING)).toEqual([
      '$.severity: "Low" is not the caption of severity_id 4 ("High")',
      '$.status_id: 7 is not in its enumeration (0, 1, 2, 3, 4, 5, 99)',
      ...KNOWN_DEVIATION,
    ]);
  });

  it('reports values of the wrong type: a timestamp as text, a fraction for an integer, a string for an array', () => {
    const document: Record<string, any> = { ...valid(), time: '2024-01-01T00:00:00Z', severity_id: 4.5, is_suspected_breach: 'Yes' };
    document.finding_info_list[0].types = 'Malware';

    expect(validateOcsf(document, INCIDENT_FINDING)).toEqual(
      expect.arrayContaining([
        '$.time: "2024-01-01T00:00:00Z" is not a timestamp_t (long_t)',
        '$.severity_id: 4.5 is not a integer_t',
        '$.is_suspected_breach: "Yes" is not a boolean_t',
        '$.finding_info_list[0].types: must be an array',
      ]),
    );
  });

  it('reports the at_least_one constraint an object inherits', () => {
    const document = valid();
    document.finding_info_list[0].analytic = { type_id: 1, type: 'Rule' };

    expect(validateOcsf(document, INCIDENT_FINDING)).toEqual([
      '$.finding_info_list[0].analytic: constraint at_least_one of name, uid not met',
      ...KNOWN_DEVIATION,
    ]);
  });
});
