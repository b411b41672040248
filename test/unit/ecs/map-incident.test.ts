import { readFileSync } from 'node:fs';
import { EcsVersion } from '@elastic/ecs';
import { describe, expect, it } from 'vitest';
import { ECS_VERSION, incidentVersionKey, toEcsDocument, toErrorDocument, toRawRecord } from '../../../functions/ecs/map-incident.js';
import { DEFAULT_MAPPING_OPTIONS, resolveMappingOptions } from '../../../functions/ecs/mapping-options.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

const goldenLine = fixtureText('elastic_edr_cloud_pipeline_test_input.ndjson').trim();
const goldenIncident = JSON.parse(goldenLine) as Record<string, unknown>;
const [goldenExpected] = (JSON.parse(fixtureText('elastic_edr_cloud_pipeline_test_expected.json')) as { expected: Record<string, any>[] })
  .expected;

const NOW = Date.UTC(2024, 4, 1, 10, 11, 12, 123);
const DUPLICATE_FIELDS = [
  'conclusion',
  'created',
  'incident_uid',
  'incident_url',
  'message',
  'time',
  'product_name',
  'rule_name',
  'severity_id',
  'version',
];

/**
 * Our document without what Elastic's agent adds and the pipeline test therefore lacks: the constant
 * `data_stream.*`, `event.dataset` and `event.module`. (The agent's two tags are left out by mapping with
 * `tags: []`.)
 */
function withoutAgentConstants(document: object): Record<string, any> {
  const copy = structuredClone(document) as Record<string, any>;
  delete copy.data_stream;
  delete copy.event.dataset;
  delete copy.event.module;
  return copy;
}

function mapOne(incident: unknown, options: Parameters<typeof resolveMappingOptions>[0] = {}) {
  return toEcsDocument(incident, resolveMappingOptions(options), { now: NOW });
}

describe('toEcsDocument on the golden pair', () => {
  it('gives exactly the reference document with both preserve options on', () => {
    const options = resolveMappingOptions({ preserveOriginalEvent: true, preserveDuplicateCustomFields: true, tags: [] });

    const document = toEcsDocument(goldenIncident, options, { originalText: goldenLine, now: NOW });

    expect(withoutAgentConstants(document)).toStrictEqual(goldenExpected);
  });

  it('leaves out event.original and the fields copied to ECS with the options off', () => {
    const expected = structuredClone(goldenExpected) as Record<string, any>;
    delete expected.event.original;
    for (const field of DUPLICATE_FIELDS) delete expected.symantec_edr_cloud.incident[field];
    delete expected.tags;

    const document = toEcsDocument(goldenIncident, resolveMappingOptions({ tags: [] }), { originalText: goldenLine, now: NOW });

    expect(withoutAgentConstants(document)).toStrictEqual(expected);
  });

  it('copies a field it does not know next to the known ones, and reads each known one once', () => {
    // With an unknown field the incident's keys are looked at one by one: a known field missing from
    // that lookup would show up twice, once converted and once as received.
    const options = resolveMappingOptions({ preserveOriginalEvent: true, preserveDuplicateCustomFields: true, tags: [] });
    const expected = structuredClone(goldenExpected) as Record<string, any>;
    expected.symantec_edr_cloud.incident.added_later = { level: 3 };

    const document = toEcsDocument({ ...goldenIncident, added_later: { level: 3, empty: '' } }, options, {
      originalText: goldenLine,
      now: NOW,
    });

    expect(withoutAgentConstants(document)).toStrictEqual(expected);
  });

  it("reads only the incident's own fields, not those of its prototype", () => {
    const inherited = Object.assign(Object.create({ time: 1, message: 'from the prototype' }) as object, { incident_uid: 'u-1' });

    const document = mapOne(inherited);

    expect(document.message).toBeUndefined();
    expect(document['@timestamp']).toBe(new Date(NOW).toISOString());
    expect(document.event.id).toBe('u-1');
  });

  it('writes the constant fields and the default tags', () => {
    const document = toEcsDocument(goldenIncident);

    expect(document.ecs).toEqual({ version: '8.11.0' });
    expect(document.data_stream).toEqual({ type: 'logs', dataset: 'symantec_edr_cloud.incident', namespace: 'default' });
    expect(document.event).toMatchObject({ kind: 'alert', module: 'symantec_edr_cloud', dataset: 'symantec_edr_cloud.incident' });
    expect(document.symantec_edr_cloud.incident.category).toBe('Security');
    expect(document.tags).toEqual(['forwarded', 'symantec_edr_cloud-incident']);
  });

  it('declares the ECS version of the installed @elastic/ecs', () => {
    expect(ECS_VERSION).toBe(EcsVersion);
  });
});

describe('toEcsDocument options', () => {
  it('puts the option tags after the two preserve tags, in order', () => {
    const document = mapOne(goldenIncident, { preserveOriginalEvent: true, preserveDuplicateCustomFields: true, tags: ['b', '', 'a'] });

    expect(document.tags).toEqual(['preserve_original_event', 'preserve_duplicate_custom_fields', 'b', 'a']);
  });

  it('leaves out tags when there are none', () => {
    expect(mapOne(goldenIncident, { tags: [] })).not.toHaveProperty('tags');
  });

  it('writes the namespace option to data_stream.namespace', () => {
    expect(mapOne(goldenIncident, { namespace: 'prod_eu' }).data_stream.namespace).toBe('prod_eu');
  });

  it('uses JSON.stringify of the incident as event.original when no text is given', () => {
    const document = mapOne(goldenIncident, { preserveOriginalEvent: true });

    expect(document.event.original).toBe(JSON.stringify(goldenIncident));
  });

  it('fills options left undefined from the defaults', () => {
    expect(resolveMappingOptions({ tags: undefined, namespace: undefined })).toEqual(DEFAULT_MAPPING_OPTIONS);
  });
});

describe('toEcsDocument field rules', () => {
  it('takes @timestamp from time, then modified, then created, then the time of mapping', () => {
    const { time: _time, ...noTime } = goldenIncident;
    const { modified: _modified, ...noModified } = noTime;
    const { created: _created, ...noDates } = noModified;

    expect(mapOne(goldenIncident)['@timestamp']).toBe('2023-04-26T21:46:10.400Z');
    expect(mapOne(noTime)['@timestamp']).toBe('2023-04-26T22:01:58.648Z');
    expect(mapOne(noModified)['@timestamp']).toBe('2023-04-26T21:46:10.400Z');
    expect(mapOne(noDates)['@timestamp']).toBe('2024-05-01T10:11:12.123Z');
  });

  it('falls back to modified when time is unreadable, and reports time', () => {
    const document = mapOne({ ...goldenIncident, time: 'yesterday' });

    expect(document['@timestamp']).toBe('2023-04-26T22:01:58.648Z');
    expect(document.error?.message).toEqual(['time: cannot read "yesterday" as epoch milliseconds']);
  });

  it('reads dates with any offset and cuts extra fraction digits', () => {
    const document = mapOne(
      {
        created: '2023-04-26T23:46:10.400999+02:00',
        modified: '2023-04-26T22:01:58Z',
        log_time: '2023-04-26T21:46:10.4-0130',
        time: '1682545570400',
        device_time: 1682545570401,
      },
      { preserveDuplicateCustomFields: true },
    );

    expect(document.symantec_edr_cloud.incident).toMatchObject({
      created: '2023-04-26T21:46:10.400Z',
      modified: '2023-04-26T22:01:58.000Z',
      log_time: '2023-04-26T23:16:10.400Z',
      time: '2023-04-26T21:46:10.400Z',
      device_time: '2023-04-26T21:46:10.401Z',
    });
    expect(document.event.created).toBe('2023-04-26T21:46:10.400Z');
  });

  it('writes the id fields as text', () => {
    const document = mapOne({
      category_id: 1,
      event_id: 8075004,
      ref_incident_uid: 102110,
      id: 4,
      priority_id: '4',
      resolution_id: 1,
      state_id: 1,
      type_id: 8075,
    });

    expect(document.symantec_edr_cloud.incident).toMatchObject({
      category_id: '1',
      event_id: '8075004',
      ref_incident_uid: '102110',
      id: '4',
      priority_id: '4',
      resolution_id: '1',
      state_id: '1',
      type_id: '8075',
    });
  });

  it('makes severity_id a number, from a number or a string of digits', () => {
    expect(mapOne({ severity_id: '5' }, { preserveDuplicateCustomFields: true })).toMatchObject({
      event: { severity: 5 },
      symantec_edr_cloud: { incident: { severity_id: 5, severity: 'Critical' } },
    });
    expect(mapOne({ severity_id: 3 }).event.severity).toBe(3);
  });

  it.each([
    ['Yes', true],
    ['yes', true],
    ['YES', true],
    ['No', false],
    ['nO', false],
    [true, true],
    [false, false],
  ])('reads suspected_breach %j as %j', (value, expected) => {
    const document = mapOne({ suspected_breach: value });

    expect(document.symantec_edr_cloud.incident.suspected_breach).toBe(expected);
    expect(document.event.kind).toBe('alert');
  });

  it('copies the ECS fields of rule 6', () => {
    const document = mapOne(goldenIncident);

    expect(document.event).toMatchObject({
      reason: 'Suspicious Activity',
      id: '8e7edfb1-27d2-4837-98ca-e7d794119c3b',
      url: 'https://sep.securitycloud.symantec.com/v2/incidents/incidentListing/8e7edfb1-27d2-4837-98ca-e7d794119c3b/details',
      provider: 'Symantec Integrated Cyber Defense Manager',
      severity: 4,
      created: '2023-04-26T21:46:10.400Z',
    });
    expect(document.message).toBe(goldenIncident.message);
    expect(document.rule).toEqual({ name: 'Advanced Attack Technique' });
    expect(document.http).toEqual({ version: '1.0' });
  });

  it('copies unknown fields without their empty values', () => {
    const document = mapOne({ new_field: { a: '', b: [null, 'x', {}], c: { d: null } }, flag: false, empty: [], nothing: null, blank: '' });

    expect(document.symantec_edr_cloud.incident).toEqual({ category: 'Security', new_field: { b: ['x'] }, flag: false });
  });

  it('keeps the constant category when the source has its own', () => {
    expect(mapOne({ category: 'Other' }).symantec_edr_cloud.incident.category).toBe('Security');
  });

  it('sets a label over a source field of the same name only when the id is in its table', () => {
    expect(mapOne({ state_id: 4, state: 'old' }).symantec_edr_cloud.incident.state).toBe('Resolved');
    expect(mapOne({ state_id: 42, state: 'old' }).symantec_edr_cloud.incident.state).toBe('old');
  });

  it('copies a field named __proto__ as an ordinary field', () => {
    const incident = JSON.parse('{"__proto__": {"polluted": "yes"}, "incident_uid": "u"}') as unknown;

    const document = mapOne(incident);

    expect(Object.getPrototypeOf(document.symantec_edr_cloud.incident)).toBe(Object.prototype);
    // The own property named __proto__, written out as data, not the prototype.
    expect(Object.getOwnPropertyDescriptor(JSON.parse(JSON.stringify(document)).symantec_edr_cloud.incident, '__proto__')?.value).toEqual({
      polluted: 'yes',
    });
  });

  it('leaves the incident it was given unchanged', () => {
    const incident = JSON.parse(fixtureText('xsoar_SymantecICDM_icdm_incidents_with_events.json')).incidents[0] as unknown;
    const before = structuredClone(incident);

    mapOne(incident, { preserveDuplicateCustomFields: true });

    expect(incident).toStrictEqual(before);
  });
});

describe('toEcsDocument field errors', () => {
  it.each([
    ['created', 'yesterday', 'created: cannot read "yesterday" as an ISO 8601 date'],
    ['modified', '2023-02-30T00:00:00Z', 'modified: cannot read "2023-02-30T00:00:00Z" as an ISO 8601 date'],
    ['log_time', 1682545570400, 'log_time: cannot read 1682545570400 as an ISO 8601 date'],
    ['time', '2023-04-26T21:46:10.400Z', 'time: cannot read "2023-04-26T21:46:10.400Z" as epoch milliseconds'],
    ['device_time', -1e300, 'device_time: cannot read -1e+300 as epoch milliseconds'],
    ['severity_id', 'high', 'severity_id: cannot read "high" as a whole number'],
    ['severity_id', 4.5, 'severity_id: cannot read 4.5 as a whole number'],
    ['suspected_breach', 'maybe', 'suspected_breach: cannot read "maybe" as "Yes", "No" or a boolean'],
    [
      'incident_url',
      'sep.securitycloud.symantec.com/v2',
      'incident_url: cannot read "sep.securitycloud.symantec.com/v2" as an absolute URL',
    ],
    ['incident_url', 'https://host:99999/', 'incident_url: cannot read "https://host:99999/" as an absolute URL'],
    ['state_id', { id: 1 }, 'state_id: cannot read {"id":1} as a string or a number'],
    ['message', ['a', 'b'], 'message: cannot read ["a","b"] as a string'],
    ['events', { device_name: 'x' }, 'events: cannot read {"device_name":"x"} as a list of events'],
  ])('reports an unreadable %s (%j), leaves it out and keeps the incident', (field, value, message) => {
    const incident = { ...goldenIncident, [field]: value };

    const document = mapOne(incident, { preserveDuplicateCustomFields: true });

    expect(document.error?.message).toEqual([message]);
    expect(document.event.kind).toBe('pipeline_error');
    expect(document.event.original).toBe(JSON.stringify(incident));
    expect(document.tags).toEqual([
      'preserve_original_event',
      'preserve_duplicate_custom_fields',
      'forwarded',
      'symantec_edr_cloud-incident',
    ]);
    expect(document.symantec_edr_cloud.incident).not.toHaveProperty(field);
  });

  it('leaves every ECS copy of an unreadable incident_url out', () => {
    const document = mapOne({ ...goldenIncident, incident_url: 'not a url' });

    expect(document).not.toHaveProperty('url');
    expect(document.event).not.toHaveProperty('url');
  });

  it('reports each unreadable field once, in input order', () => {
    const document = mapOne({ time: 'x', severity_id: 'y', created: 'z' });

    expect(document.error?.message).toEqual([
      'time: cannot read "x" as epoch milliseconds',
      'severity_id: cannot read "y" as a whole number',
      'created: cannot read "z" as an ISO 8601 date',
    ]);
  });

  it('cuts a long bad value in the message', () => {
    const document = mapOne({ created: 'x'.repeat(500) });

    expect(document.error?.message?.[0]?.length).toBeLessThan(200);
  });

  it.each([
    ['null', null, 'null'],
    ['a number', 42, '42'],
    ['a string', 'text', '"text"'],
    ['an array', [1, 2], '[1,2]'],
    ['a boolean', true, 'true'],
  ])('gives an error document for %s', (_kind, input, original) => {
    const document = mapOne(input);

    expect(document).toEqual({
      '@timestamp': '2024-05-01T10:11:12.123Z',
      ecs: { version: '8.11.0' },
      data_stream: { type: 'logs', dataset: 'symantec_edr_cloud.incident', namespace: 'default' },
      event: { kind: 'pipeline_error', module: 'symantec_edr_cloud', dataset: 'symantec_edr_cloud.incident', original },
      error: { message: [`incident: cannot read ${original} as a JSON object`] },
      symantec_edr_cloud: { incident: { category: 'Security' } },
      tags: ['preserve_original_event', 'forwarded', 'symantec_edr_cloud-incident'],
    });
  });

  it('gives an error document for an object whose fields cannot be read at all', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no keys for you');
        },
      },
    );

    const document = mapOne(hostile);

    expect(document.event.kind).toBe('pipeline_error');
    expect(document.error?.message).toEqual(['incident: mapping failed: no keys for you']);
  });

  it('builds an error document for input that is not JSON', () => {
    const document = toErrorDocument(
      ['input line 3: cannot read it as JSON'],
      'not json',
      resolveMappingOptions({ namespace: 'x', tags: ['t'] }),
      { now: NOW },
    );

    expect(document).toMatchObject({
      event: { kind: 'pipeline_error', original: 'not json' },
      data_stream: { namespace: 'x' },
      tags: ['preserve_original_event', 't'],
    });
  });
});

describe('toRawRecord', () => {
  it('returns the text as received when there is one', () => {
    const text = '{ "b": 1,  "a": 2 }';

    expect(toRawRecord(JSON.parse(text), { originalText: text })).toBe(text);
  });

  it('returns the JSON of the incident otherwise', () => {
    expect(toRawRecord(goldenIncident)).toBe(JSON.stringify(goldenIncident));
  });
});

describe('incidentVersionKey', () => {
  it('identifies a version by incident_uid and modified, normalised', () => {
    expect(incidentVersionKey(goldenIncident)).toEqual({
      uid: '8e7edfb1-27d2-4837-98ca-e7d794119c3b',
      version: '2023-04-26T22:01:58.648Z',
    });
    expect(incidentVersionKey({ incident_uid: 'u', modified: '2023-04-27T00:01:58.648+02:00' })).toEqual({
      uid: 'u',
      version: '2023-04-26T22:01:58.648Z',
    });
  });

  it('falls back to time when modified is absent or unreadable', () => {
    expect(incidentVersionKey({ incident_uid: 'u', modified: 'bad', time: 1682545570400 })).toEqual({
      uid: 'u',
      version: '2023-04-26T21:46:10.400Z',
    });
  });

  it('finds no key without a uid or a readable date', () => {
    expect(incidentVersionKey({ modified: '2023-04-26T22:01:58.648Z' })).toBeUndefined();
    expect(incidentVersionKey({ incident_uid: 'u' })).toBeUndefined();
    expect(incidentVersionKey('u')).toBeUndefined();
  });
});
