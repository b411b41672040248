import { createRandom, type Random } from './random.js';
import {
  conclusionProfiles,
  eventProduct,
  fileNames,
  incidentProduct,
  osNames,
  plainMessages,
  techniques,
  unknownConclusionProfiles,
  userNames,
  type ConclusionProfile,
} from './incident-vocabulary.js';

/**
 * Seeded, realistic incidents shaped like the public samples: epoch-millisecond `time`/`device_time`,
 * ISO `created`/`modified` with `+00:00` and milliseconds, lifecycle types 8075/8076/8077.
 */

export type EventIdDigits = 7 | 8;

/** One incident as the API returns it. Known fields are typed; the schema grows, so others may appear. */
export interface Incident {
  incident_uid: string;
  ref_incident_uid: number;
  type: string;
  type_id: number;
  event_id: number;
  id: number;
  time: number;
  device_time: number;
  created: string;
  modified: string;
  state_id: number;
  priority_id: number;
  severity_id: number;
  events?: Record<string, unknown>[];
  [field: string]: unknown;
}

export interface IncidentGeneratorOptions {
  /** @default 1 */
  seed?: number;
  /** `event_id` as 8075004 (7 digits) or 80750004 (8 digits); both occur in public data. @default 7 */
  eventIdDigits?: EventIdDigits;
  /** @default 100000 */
  firstRefIncidentUid?: number;
  /** Share of incidents whose conclusion the categorisation table does not know. @default 0.1 */
  unknownConclusionRate?: number;
  /** Share of incidents carrying a state or priority id outside the documented tables. @default 0.02 */
  unknownEnumRate?: number;
}

export interface IncidentGenerator {
  create(atMs: number): Incident;
  /** The next version of `previous`: same uid, `created` and ref; new state, `time` and `modified`. */
  update(previous: Incident, atMs: number): Incident;
  /**
   * An edit that moves only `modified` (the public sample shows an INCIDENT_CREATION whose `modified` is
   * 15 minutes after its `time`): same type, state and `time`.
   */
  touch(previous: Incident, atMs: number): Incident;
}

export const lifecycle = {
  creation: { type: 'INCIDENT_CREATION', typeId: 8075 },
  update: { type: 'INCIDENT_UPDATE', typeId: 8076 },
  closure: { type: 'INCIDENT_CLOSURE', typeId: 8077 },
} as const;

/** `created`/`modified` the way the API writes them: `2023-04-26T21:46:10.400+00:00`. */
export function toApiIso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+00:00');
}

/** 8075 + outcome 4 -> 8075004 (7 digits) or 80750004 (8 digits). */
export function formatEventId(typeId: number, outcomeId: number, digits: EventIdDigits): number {
  return typeId * (digits === 7 ? 1000 : 10000) + outcomeId;
}

/** Rewrites an event_id of either width to the wanted width; other numbers pass unchanged. */
export function withEventIdDigits(eventId: number, digits: EventIdDigits): number {
  if (eventId >= 8_000_000 && eventId < 10_000_000) return formatEventId(Math.floor(eventId / 1000), eventId % 1000, digits);
  if (eventId >= 80_000_000 && eventId < 100_000_000) return formatEventId(Math.floor(eventId / 10000), eventId % 10000, digits);
  return eventId;
}

/** Allowed next states, so a history reads like an analyst's work: New -> In Progress -> ... -> Closed. */
const nextStates: Record<number, readonly number[]> = {
  0: [1, 2],
  1: [2, 2, 4, 5],
  2: [3, 4, 5, 5],
  3: [2, 4, 5],
  4: [5, 5, 2],
  5: [2],
};

export function createIncidentGenerator(options: IncidentGeneratorOptions = {}): IncidentGenerator {
  const random = createRandom(options.seed ?? 1);
  const digits = options.eventIdDigits ?? 7;
  const unknownConclusionRate = options.unknownConclusionRate ?? 0.1;
  const unknownEnumRate = options.unknownEnumRate ?? 0.02;
  let nextRef = options.firstRefIncidentUid ?? 100000;
  const customerUid = `LOCAL-${tenantId(random)}`;
  const domainUid = `LOCAL-${tenantId(random)}`;
  const hosts = Array.from({ length: 24 }, (_, i) => ({
    name: `${random.pick(['Victim', 'WS', 'LAPTOP', 'SRV'])}-${i + 1}`,
    uid: tenantId(random),
    ip: `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`,
    os: random.pick(osNames),
  }));

  const create = (atMs: number): Incident => {
    const profile: ConclusionProfile = random.chance(unknownConclusionRate)
      ? random.pick(unknownConclusionProfiles)
      : random.pick(conclusionProfiles);
    const uid = random.uuid();
    const outcome = random.chance(0.05) ? 0 : 4;
    const severity = random.pick([3, 4, 4, 5]);
    const events = Array.from({ length: random.int(1, 3) }, () => makeEvent(atMs, profile));
    const first = events[0] as { device_name: string; file?: { name: string } };
    const incident: Incident = {
      customer_uid: customerUid,
      incident_uid: uid,
      type: lifecycle.creation.type,
      conclusion: profile.conclusion,
      priority_id: random.chance(unknownEnumRate) ? 9 : Math.min(4, severity - random.int(0, 2) + 1),
      category_id: 1,
      modified: toApiIso(atMs),
      state_id: 1,
      id: outcome,
      product_uid: incidentProduct.uid,
      events,
      device_time: atMs,
      ref_incident_uid: nextRef++,
      rule_name: profile.ruleName,
      created: toApiIso(atMs),
      type_id: lifecycle.creation.typeId,
      incident_url: `${incidentProduct.consoleUrl}/${uid}/details`,
      message: incidentMessage(profile, first.device_name, first.file?.name),
      version: '1.0',
      product_name: incidentProduct.name,
      event_id: formatEventId(lifecycle.creation.typeId, outcome, digits),
      domain_uid: domainUid,
      detection_type: profile.detectionType,
      severity_id: severity,
      time: atMs,
      suspected_breach: random.chance(0.3) ? 'Yes' : 'No',
    };
    if (profile.remediation !== undefined) incident.remediation = profile.remediation;
    if (random.chance(0.5)) incident.resolution_id = 1;
    return incident;
  };

  const update = (previous: Incident, atMs: number): Incident => {
    // A version must be newer than the last one even when two updates share a clock tick.
    const at = Math.max(atMs, previous.time + 1);
    const stateNow = previous.state_id;
    const state = random.chance(unknownEnumRate) ? 7 : random.pick(nextStates[stateNow] ?? [2]);
    const step = state === 5 ? lifecycle.closure : lifecycle.update;
    const outcome = previous.id === 0 ? 0 : 4;
    const next: Incident = {
      ...previous,
      type: step.type,
      type_id: step.typeId,
      event_id: formatEventId(step.typeId, outcome, digits),
      state_id: state,
      time: at,
      device_time: at,
      modified: toApiIso(at),
    };
    if (random.chance(0.3)) next.priority_id = random.int(1, 4);
    if (state === 4 || state === 5) next.resolution_id = random.int(1, 6);
    return next;
  };

  const touch = (previous: Incident, atMs: number): Incident => {
    const at = Math.max(atMs, Date.parse(previous.modified) + 1);
    return { ...previous, modified: toApiIso(at) };
  };

  function makeEvent(atMs: number, profile: ConclusionProfile): Record<string, unknown> {
    const host = random.pick(hosts);
    const user = random.pick(userNames);
    const file = random.pick(fileNames);
    const eventMs = atMs - random.int(1_000, 10_000);
    const sandbox = profile.message === 'sandbox';
    const typeId = sandbox ? 8031 : 8001;
    const fileFacts = { path: `${file.directory}\\${file.name}`, name: file.name, sha2: random.hex(64) };
    const event: Record<string, unknown> = {
      type_id: typeId,
      type: sandbox ? 'sandbox_file_detection' : 'process_activity',
      id: sandbox ? 14 : 1,
      message: sandbox ? `Sandbox result for the '${file.name}' file is malicious.` : `Process launched: ${file.name}`,
      user_name: user,
      device_uid: host.uid,
      device_name: host.name,
      device_time: new Date(eventMs).toISOString(),
      severity_id: random.pick([3, 4, 5]),
      category_id: 1,
      feature_uid: eventProduct.featureUid,
      product_uid: eventProduct.uid,
      status_id: 1,
      device_ip: random.chance(0.1) ? '0.0.0.0' : host.ip,
      device_os_name: host.os,
      device_domain: 'example.internal',
      product_ver: eventProduct.version,
      customer_uid: customerUid,
      domain_uid: domainUid,
      ref_uid: random.uuid(),
      version: '1.0',
      product_name: eventProduct.name,
      feature_name: eventProduct.featureName,
      feature_ver: '1.0',
      event_data_type: 'sep',
      user: { name: user },
      time: new Date(eventMs).toISOString(),
      timezone: 0,
      log_time: new Date(eventMs + random.int(500, 3_000)).toISOString(),
      uuid: `${typeId}:${random.uuid()}`,
      log_name: `event_service_6_t2_${new Date(eventMs).toISOString().slice(0, 10)}`,
    };
    if (sandbox) {
      event.status_detail = 'File is malicious';
      event.command_uid = random.uuid();
      event.edr_event_data_type = 'malicious';
      event.threat = { provider: 'Cynic', type_id: 5, name: 'Threat Detected By Cynic', risk_id: 100, id: 0 };
      event.file = fileFacts;
    } else {
      event.process = { cmd_line: `"${fileFacts.path}"`, file: { ...fileFacts, md5: random.hex(32) } };
    }
    return event;
  }

  function incidentMessage(profile: ConclusionProfile, hostName: string, fileName: string | undefined): string {
    if (profile.message === 'sandbox') return `Sandbox detection: ${fileName ?? 'unknown file'}`;
    if (profile.message === 'plain') return random.pick(plainMessages);
    const picked = random.shuffle(techniques).slice(0, random.int(1, 4));
    return `${hostName}:${picked.join(', ')}`;
  }

  return { create, update, touch };
}

function tenantId(random: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < 22; i++) out += alphabet[random.int(0, alphabet.length - 1)];
  return out;
}
