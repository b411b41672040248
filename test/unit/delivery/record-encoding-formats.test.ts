import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, encodeRecord } from '../../../functions/delivery/record-encoding.js';
import { SES_SHAPE } from '../../../functions/ecs/incident-shape.js';
import { toEcsDocument } from '../../../functions/ecs/map-incident.js';
import { mappingOptionsFor } from '../../../functions/output-records.js';
import { toOcsfDocument } from '../../../functions/ocsf/map-incident.js';
import { classDefinition, validateOcsf } from '../../support/ocsf-validator.js';

const parse = (data: Buffer) => JSON.parse(data.toString('utf8')) as Record<string, any>;
const INCIDENT_FINDING = classDefinition('findings/incident_finding');

describe('encodeRecord of OCSF findings and ses documents', () => {
  it('drops raw_data first from an OCSF finding too large for a record, and notes it in unmapped.error', () => {
    const finding = toOcsfDocument(
      { incident_uid: 'u', remediation: 'r'.repeat(MAX_RECORD_BYTES) },
      { preserveOriginalEvent: true },
      { now: 0 },
    );

    const { data, shrunk } = encodeRecord(finding, { annotate: true, layout: 'ocsf' });
    const out = parse(data);

    expect(data.length).toBeLessThan(MAX_RECORD_BYTES);
    expect(out).not.toHaveProperty('raw_data');
    expect(out).not.toHaveProperty('error');
    expect(out.unmapped.error).toEqual([
      expect.stringMatching(/^raw_data removed/),
      expect.stringMatching(/^unmapped\.remediation cut from/),
    ]);
    expect(shrunk).toHaveLength(2);
    expect(validateOcsf(out, INCIDENT_FINDING)).toEqual(['$: constraint at_least_one of assignee, assignee_group not met']);
  });

  it('keeps a valid OCSF identity when no cut can shrink the finding', () => {
    const many = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`field_${i}`, 'v'.repeat(20)]));
    const finding = toOcsfDocument({ incident_uid: 'uid-1', ...many }, undefined, { now: 0 });

    const out = parse(encodeRecord(finding, { annotate: true, layout: 'ocsf' }).data);

    expect(out.finding_info_list).toEqual([{ uid: 'uid-1', title: 'Symantec EDR incident' }]);
    expect(out.unmapped.error.at(-1)).toMatch(/replaced by its identity/);
    expect(validateOcsf(out, INCIDENT_FINDING)).toEqual(['$: constraint at_least_one of assignee, assignee_group not met']);
  });

  it('keeps the identity of a ses document under ses', () => {
    const many = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`field_${i}`, 'v'.repeat(20)]));
    const document = toEcsDocument(
      { incident_uid: 'uid-1', modified: '2024-01-01T00:00:00Z', ...many },
      mappingOptionsFor('ses'),
      { now: 0 },
      SES_SHAPE,
    );

    const out = parse(encodeRecord(document).data);

    expect(out.ses.incident).toEqual({ modified: '2024-01-01T00:00:00.000Z' });
    expect(out.event).toMatchObject({ id: 'uid-1', module: 'symantec_endpoint_security' });
    expect(out).not.toHaveProperty('symantec_edr_cloud');
  });
});
