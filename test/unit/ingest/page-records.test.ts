import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/config.js';
import { encodeIncidents, versionFingerprint } from '../../../functions/ingest/page-records.js';

const sha256Prefix = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

describe('versionFingerprint', () => {
  it('is the hour of the version, then the first 22 characters of the SHA-256 of the incident uid and its modified date', () => {
    const incident = { incident_uid: 'uid-1', modified: '2023-04-26T23:38:48.634+00:00', time: 1 };

    expect(versionFingerprint(incident)).toBe(`2023-04-26T23/${sha256Prefix('v1\nuid-1\n2023-04-26T23:38:48.634Z')}`);
  });

  it('takes the hour from time when there is no modified date, in UTC', () => {
    const incident = { incident_uid: 'uid-1', time: Date.UTC(2023, 3, 26, 5, 59, 59, 999) };

    expect(versionFingerprint(incident)).toBe(`2023-04-26T05/${sha256Prefix('v1\nuid-1\n2023-04-26T05:59:59.999Z')}`);
    expect(versionFingerprint({ incident_uid: 'uid-1', modified: '2023-04-26T07:30:00+02:00' })).toMatch(/^2023-04-26T05\//);
  });

  it('gives two spellings of one instant the same fingerprint, and two versions different ones', () => {
    const plus = versionFingerprint({ incident_uid: 'u', modified: '2024-01-01T00:00:00.000+00:00' });
    const zulu = versionFingerprint({ incident_uid: 'u', modified: '2024-01-01T00:00:00.000Z' });
    const later = versionFingerprint({ incident_uid: 'u', modified: '2024-01-01T00:00:00.001Z' });

    expect(plus).toBe(zulu);
    expect(later).not.toBe(plus);
  });

  it('fingerprints an incident without a version key by its whole content', () => {
    const incident = { something: 'else' };

    expect(versionFingerprint(incident)).toBe(`none/${sha256Prefix(`raw\n${JSON.stringify(incident)}`)}`);
  });
});

describe('encodeIncidents', () => {
  const incident = JSON.parse(
    readFileSync(new URL('../../fixtures/elastic_edr_cloud_pipeline_test_input.ndjson', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const settings = (OUTPUT_FORMAT: string) =>
    loadConfig({ SYMANTEC_SECRET_ID: 's', CHECKPOINT_TABLE: 't', DELIVERY_STREAM: 'd', OUTPUT_FORMAT });
  const recordOf = (format: string) =>
    JSON.parse(encodeIncidents([incident], settings(format), 0)[0]!.data.toString('utf8')) as Record<string, any>;

  it('delivers the document of the configured format', () => {
    expect(recordOf('ecs')).toMatchObject({
      event: { module: 'symantec_edr_cloud' },
      symantec_edr_cloud: { incident: { state: 'New' } },
      tags: ['forwarded', 'symantec_edr_cloud-incident'],
    });
    expect(recordOf('ses')).toMatchObject({
      event: { module: 'symantec_endpoint_security' },
      ses: { incident: { state: 'New' } },
      tags: ['forwarded', 'ses-incident'],
    });
    expect(recordOf('ocsf')).toMatchObject({ class_uid: 2005, status_id: 1, metadata: { uid: incident.incident_uid } });
    expect(recordOf('raw')).toEqual(incident);
  });
});
