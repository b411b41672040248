import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toOcsfDocument } from '../../../functions/ocsf/map-incident.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const goldenLine = fixtureText('elastic_edr_cloud_pipeline_test_input.ndjson').trim();
const golden = JSON.parse(goldenLine) as Record<string, unknown>;
const NOW = Date.UTC(2024, 4, 1, 10, 11, 12, 123);
const CREATED = Date.UTC(2023, 3, 26, 21, 46, 10, 400);
const MODIFIED = Date.UTC(2023, 3, 26, 22, 1, 58, 648);

const mapOne = (incident: unknown, preserveOriginalEvent = false) => toOcsfDocument(incident, { preserveOriginalEvent }, { now: NOW });

describe('toOcsfDocument on the golden incident', () => {
  it('writes the Incident Finding the mapping table describes', () => {
    const document = toOcsfDocument(golden, { preserveOriginalEvent: true }, { originalText: goldenLine, now: NOW });

    expect(document).toStrictEqual({
      class_uid: 2005,
      class_name: 'Incident Finding',
      category_uid: 2,
      category_name: 'Findings',
      activity_id: 1,
      activity_name: 'Create',
      type_uid: 200501,
      type_name: 'Incident Finding: Create',
      time: CREATED,
      start_time: CREATED,
      end_time: MODIFIED,
      severity_id: 4,
      severity: 'High',
      status_id: 1,
      status: 'New',
      priority_id: 4,
      verdict_id: 7,
      verdict: 'Insufficient Data',
      is_suspected_breach: true,
      src_url: golden.incident_url,
      desc: golden.message,
      message: golden.message,
      finding_info_list: [
        {
          uid: '8e7edfb1-27d2-4837-98ca-e7d794119c3b',
          title: 'Advanced Attack Technique',
          types: ['Suspicious Activity', 'Advanced Analytics'],
          created_time: CREATED,
          modified_time: MODIFIED,
          analytic: { name: 'Advanced Attack Technique', type_id: 1, type: 'Rule' },
        },
      ],
      metadata: {
        version: '1.1.0',
        product: {
          name: 'Symantec Integrated Cyber Defense Manager',
          vendor_name: 'Symantec',
          uid: '31B0C880-0229-49E8-94C5-48D56B1BD7B9',
        },
        log_provider: 'Symantec EDR Cloud incidents API',
        uid: '8e7edfb1-27d2-4837-98ca-e7d794119c3b',
        correlation_uid: '102110',
        tenant_uid: 'TEST-JvOsaJktSS-eyL-dXhxOvA',
        original_time: '2023-04-26T21:46:10.400+00:00',
      },
      raw_data: goldenLine,
      unmapped: {
        type: 'INCIDENT_CREATION',
        remediation: golden.remediation,
        category_id: 1,
        id: 4,
        device_time: 1682545570400,
        version: '1.0',
        event_id: 8075004,
        domain_uid: 'TEST-ZBg_IqnyTAijNjP2BOOcuw',
      },
    });
  });

  it('leaves raw_data out unless asked, and leaves the incident unchanged', () => {
    const before = structuredClone(golden);

    const document = mapOne(golden);

    expect(document).not.toHaveProperty('raw_data');
    expect(golden).toStrictEqual(before);
  });
});

describe('toOcsfDocument rules', () => {
  it.each([
    [8075, 1, 'Create'],
    ['8076', 2, 'Update'],
    [8077, 3, 'Close'],
    [9999, 99, 'Other'],
    [undefined, 0, 'Unknown'],
  ])('turns type_id %j into activity %i %s, and type_uid with it', (typeId, activityId, name) => {
    const document = mapOne({ incident_uid: 'u', type_id: typeId });

    expect(document).toMatchObject({
      activity_id: activityId,
      activity_name: name,
      type_uid: 200500 + activityId,
      type_name: `Incident Finding: ${name}`,
    });
  });

  it.each([
    [4, 4, 'High'],
    ['5', 5, 'Critical'],
    [1, 1, 'Informational'],
    [0, 0, 'Unknown'],
    [undefined, 0, 'Unknown'],
    [7, 99, 'Other'],
  ])('turns severity_id %j into %i %s', (value, id, caption) => {
    expect(mapOne({ incident_uid: 'u', severity_id: value })).toMatchObject({ severity_id: id, severity: caption });
  });

  it.each([
    [1, 1, 'New'],
    ['2', 2, 'In Progress'],
    [3, 3, 'On Hold'],
    [4, 4, 'Resolved'],
    [5, 5, 'Closed'],
    [0, 0, 'Unknown'],
    [undefined, 0, 'Unknown'],
    [6, 99, 'Other'],
  ])('turns state_id %j into status %i %s', (value, id, caption) => {
    expect(mapOne({ incident_uid: 'u', state_id: value })).toMatchObject({ status_id: id, status: caption });
  });

  it('keeps priority_id 0-4, makes any other Other, and writes no priority caption', () => {
    expect(mapOne({ incident_uid: 'u', priority_id: '3' }).priority_id).toBe(3);
    expect(mapOne({ incident_uid: 'u', priority_id: 9 }).priority_id).toBe(99);
    expect(mapOne({ incident_uid: 'u' })).not.toHaveProperty('priority_id');
    expect(mapOne({ incident_uid: 'u', priority_id: 2 })).not.toHaveProperty('priority');
  });

  it.each([
    [1, 7, 'Insufficient Data'],
    [2, 8, 'Security Risk'],
    [3, 1, 'False Positive'],
    [4, 9, 'Managed Externally'],
    [5, 5, 'Benign'],
    [6, 6, 'Test'],
    [0, 99, 'Other'],
  ])('turns resolution_id %j into verdict %i %s', (value, id, caption) => {
    expect(mapOne({ incident_uid: 'u', resolution_id: value })).toMatchObject({ verdict_id: id, verdict: caption });
  });

  it('sets no verdict without a resolution_id', () => {
    expect(mapOne({ incident_uid: 'u' })).not.toHaveProperty('verdict_id');
  });

  it.each([
    ['Yes', true],
    ['no', false],
    [true, true],
  ])('reads suspected_breach %j as %j', (value, breach) => {
    expect(mapOne({ incident_uid: 'u', suspected_breach: value }).is_suspected_breach).toBe(breach);
  });

  it('takes time, else modified, else created, else the time of mapping, in epoch milliseconds', () => {
    expect(mapOne({ incident_uid: 'u', time: '1682545570400', modified: '2024-01-01T00:00:00Z' }).time).toBe(1682545570400);
    expect(mapOne({ incident_uid: 'u', modified: '2024-01-01T01:00:00+01:00', created: '2023-01-01T00:00:00Z' }).time).toBe(
      Date.UTC(2024, 0, 1),
    );
    expect(mapOne({ incident_uid: 'u', created: '2023-01-01T00:00:00.123456Z' }).time).toBe(Date.UTC(2023, 0, 1, 0, 0, 0, 123));
    expect(mapOne({ incident_uid: 'u' }).time).toBe(NOW);
  });

  it('titles the finding by rule_name, else conclusion, else a fixed title, and lists the present types', () => {
    expect(mapOne({ incident_uid: 'u', conclusion: 'Malware' }).finding_info_list).toEqual([
      { uid: 'u', title: 'Malware', types: ['Malware'] },
    ]);
    expect(mapOne({ incident_uid: 'u', detection_type: 'Sandbox' }).finding_info_list).toEqual([
      { uid: 'u', title: 'Symantec EDR incident', types: ['Sandbox'] },
    ]);
  });

  it('makes observables of the distinct host names, valid IPs, user names and hashes of events[]', () => {
    const events = [
      { device_name: 'host-b', device_ip: '10.0.0.2', user_name: 'alice', file: { sha2: 'ab'.repeat(32) } },
      { device_name: 'host-a', device_ip: 'not-an-ip', user: { name: 'alice' }, process: { file: { md5: 'cd'.repeat(16) } } },
    ];

    const document = mapOne({ incident_uid: 'u', events });

    expect(document.observables).toEqual([
      { name: 'events.device_name', type_id: 1, type: 'Hostname', value: 'host-a' },
      { name: 'events.device_name', type_id: 1, type: 'Hostname', value: 'host-b' },
      { name: 'events.device_ip', type_id: 2, type: 'IP Address', value: '10.0.0.2' },
      { name: 'events.user_name', type_id: 4, type: 'User Name', value: 'alice' },
      { name: 'events.file.hashes', type_id: 8, type: 'Hash', value: 'ab'.repeat(32) },
      { name: 'events.file.hashes', type_id: 8, type: 'Hash', value: 'cd'.repeat(16) },
    ]);
    expect(document.unmapped ?? {}).not.toHaveProperty('events');
  });

  it('leaves out an unreadable field, names it in unmapped.error and keeps the incident in raw_data', () => {
    const incident = { incident_uid: 'u', time: 'yesterday', severity_id: 'high', suspected_breach: 'maybe', extra: 1 };

    const document = mapOne(incident);

    expect(document).not.toHaveProperty('is_suspected_breach');
    expect(document).toMatchObject({ time: NOW, severity_id: 0, raw_data: JSON.stringify(incident) });
    expect(document.unmapped).toEqual({
      extra: 1,
      error: [
        'time: cannot read "yesterday" as epoch milliseconds',
        'severity_id: cannot read "high" as a whole number',
        'suspected_breach: cannot read "maybe" as "Yes", "No" or a boolean',
      ],
    });
  });

  it('identifies an incident without incident_uid by the SHA-256 of its text, and says so', () => {
    const document = mapOne({ conclusion: 'Malware' });

    expect(document.finding_info_list[0]?.uid).toBe(
      `unidentified-${createHash('sha256').update('{"conclusion":"Malware"}').digest('hex')}`,
    );
    expect(document.unmapped?.error).toEqual(['incident_uid: missing: the finding is identified by the SHA-256 of the incident text']);
  });

  it.each([
    ['not an object', '"not an object"'],
    [[1, 2], '[1,2]'],
    [null, 'null'],
  ])('makes an unreadable-incident finding of %j', (input, text) => {
    const document = mapOne(input);

    expect(document).toMatchObject({
      activity_id: 0,
      severity_id: 0,
      status_id: 0,
      time: NOW,
      finding_info_list: [
        { uid: `unreadable-${createHash('sha256').update(text).digest('hex')}`, title: 'Unreadable Symantec EDR incident' },
      ],
      raw_data: text,
      unmapped: { error: [expect.stringContaining('as a JSON object')] },
    });
  });

  it('yields a finding for an object whose fields throw when read', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no keys');
        },
        get: () => {
          throw new Error('no fields');
        },
      },
    );

    const document = mapOne(hostile);

    expect(document.unmapped?.error).toEqual([expect.stringMatching(/^incident: mapping failed: no (fields|keys)$/)]);
  });
});
