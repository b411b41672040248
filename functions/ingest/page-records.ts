/**
 * A page of incidents becomes records: each incident mapped (or kept raw), encoded for Firehose, and given
 * the fingerprint of its version for the seen-set. Pure. Fingerprints and encoding are separate steps so
 * that only the versions the seen-set has not seen are mapped.
 */
import * as crypto from 'node:crypto';
import { boundedJson, safeStringify } from '../ecs/json-text.js';
import { incidentVersionKey } from '../ecs/map-incident.js';
import type { EncodedRecord } from '../delivery/record-encoding.js';
import { encodeOutputRecord, mappingOptionsFor, recordMaker, unwritableRecord } from '../output-records.js';
import type { RunSettings } from './ports.js';

/**
 * An incident version's identity: `incident_uid` + `modified` (else `time`); an incident without one is its
 * own content. Written `<hour>/<hash>`: the UTC hour of the version (`2023-04-26T23`, `none` without one)
 * is the seen-set bucket it is kept in.
 */
export function versionFingerprint(incident: unknown): string {
  const key = incidentVersionKey(incident);
  const identity = key ? `v1\n${key.uid}\n${key.version}` : contentIdentity(incident);
  // 128 bits of SHA-256: a collision would hide one version; at 10^9 versions the odds are ~10^-21.
  const hash = sha256Base64url(identity).slice(0, 22);
  return `${key ? key.version.slice(0, HOUR_PREFIX) : 'none'}/${hash}`;
}

/**
 * An incident without a version key is its own content: its JSON text, or for one JSON cannot write back
 * (nested deeper than the stack allows) a bounded text of it, which is as stable from run to run.
 */
function contentIdentity(incident: unknown): string {
  const json = safeStringify(incident);
  return json === undefined ? `bounded\n${boundedJson(incident, MAX_IDENTITY_CHARS)}` : `raw\n${json}`;
}

// A megabyte of text tells two incidents apart as well as their whole text would.
const MAX_IDENTITY_CHARS = 1024 * 1024;

// `YYYY-MM-DDTHH` of a version date in the output format.
const HOUR_PREFIX = 13;

// The one-shot `crypto.hash` (Node 20.12+, 21.7+) costs a quarter of a `createHash` object per incident.
const sha256Base64url: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'base64url')
    : (text) => crypto.createHash('sha256').update(text).digest('base64url');

/**
 * Each incident as the record Firehose gets, in the run's output format: its ECS document (`ecs`, `ses`),
 * its OCSF finding, or the incident itself (`raw`). The fingerprints do not depend on the format.
 */
export function encodeIncidents(incidents: readonly unknown[], settings: RunSettings, nowMs: number): EncodedRecord[] {
  const format = settings.outputFormat;
  const options = mappingOptionsFor(format, settings);
  const make = recordMaker(format, options);
  const context = { now: nowMs };
  return incidents.map((incident) => {
    try {
      return encodeOutputRecord(format, make(incident, context));
    } catch (error) {
      // A document mapped from an incident that JSON cannot write back (one field nested too deep) has
      // the same trouble: one incident in, one document out, still.
      return encodeOutputRecord(format, unwritableRecord(format, incident, error, options, nowMs));
    }
  });
}
