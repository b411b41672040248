import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toEcsDocument } from '../../../functions/ecs/map-incident.js';
import { collectRelated } from '../../../functions/ecs/related.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, any>;

describe('collectRelated', () => {
  it('takes hosts, IPs, users and hashes from the events of the SumoLogic sample', () => {
    const incident = fixture('sumologic_ses_app_sample_event_log.json');

    expect(collectRelated(incident.events)).toStrictEqual({
      hosts: ['Victim-1'],
      ip: ['172.28.53.29'],
      user: ['SYSTEM'],
      hash: ['39fff7c11c59ce946cfec471d99baaa832266a07ab6f30cd123e385ca9436efa'],
    });
  });

  it('de-duplicates and sorts every list', () => {
    const events = [
      { device_name: 'b', device_ip: '10.0.0.2', user_name: 'zed', file: { sha2: 'ff', md5: 'aa' } },
      { device_name: 'a', device_ip: '10.0.0.1', user: { name: 'amy' }, file: { sha2: 'ff', sha1: 'cc' } },
      { device_name: 'b', device_ip: '10.0.0.2', user_name: 'amy' },
    ];

    expect(collectRelated(events)).toStrictEqual({
      hosts: ['a', 'b'],
      ip: ['10.0.0.1', '10.0.0.2'],
      user: ['amy', 'zed'],
      hash: ['aa', 'cc', 'ff'],
    });
  });

  it('takes user_name and user.name of the same event', () => {
    expect(collectRelated([{ user_name: 'DOMAIN\\alice', user: { name: 'alice' } }])).toStrictEqual({ user: ['DOMAIN\\alice', 'alice'] });
  });

  it('takes the hashes of the process and actor files', () => {
    const events = [{ process: { file: { sha2: 'p2', md5: 'p5' } }, actor: { file: { sha1: 'a1' } } }];

    expect(collectRelated(events)).toStrictEqual({ hash: ['a1', 'p2', 'p5'] });
  });

  it('keeps valid IPv4 and IPv6 addresses only', () => {
    expect(collectRelated([{ device_ip: '::1' }, { device_ip: '999.0.0.1' }, { device_ip: 'host' }, { device_ip: 10 }])).toStrictEqual({
      ip: ['::1'],
    });
  });

  it('skips events and values of the wrong type', () => {
    expect(
      collectRelated([null, 'event', [1], { device_name: 7, user: 'x', file: 'f', process: [] }, { device_name: '' }]),
    ).toBeUndefined();
  });

  it('finds nothing in no events', () => {
    expect(collectRelated([])).toBeUndefined();
  });
});

describe('events in the document', () => {
  it('moves the facts of events[] to related.* and leaves events out of the incident fields', () => {
    const incident = fixture('xsoar_SymantecICDM_icdm_incidents_with_events.json').incidents[0];

    const document = toEcsDocument(incident);

    expect(document.related).toStrictEqual({
      hosts: ['Victim-1'],
      ip: ['0.0.0.0'],
      user: ['SYSTEM'],
      hash: ['dea362186fb7c6003c3aca8ec01b3ae447a982a5bcdb777fc646bf3c0e855de5'],
    });
    expect(document.symantec_edr_cloud.incident).not.toHaveProperty('events');
  });

  it('writes no related.* for events without facts', () => {
    expect(toEcsDocument({ events: [{ type: 'x' }] })).not.toHaveProperty('related');
  });
});
