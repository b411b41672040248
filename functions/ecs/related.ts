/**
 * `related.*` from the incident's `events[]` (the detections behind it, present when incidents are
 * fetched with `include_events`). Only strings count; IPs must be valid; every list is de-duplicated and
 * sorted so that the same incident always gives the same document.
 */
import { isIP } from 'node:net';
import type { EcsIncidentDocument } from './document-types.js';

export type RelatedFields = NonNullable<EcsIncidentDocument['related']>;

// Hash fields of an ICDM file object, and the process objects of an event whose file carries hashes.
const HASH_FIELDS = ['sha2', 'md5', 'sha1'] as const;
const PROCESS_FIELDS = ['process', 'actor'] as const;

/** The related facts of `events`, or `undefined` when there are none. */
export function collectRelated(events: readonly unknown[]): RelatedFields | undefined {
  const hosts = new Set<string>();
  const ips = new Set<string>();
  const users = new Set<string>();
  const hashes = new Set<string>();
  for (const event of events) {
    if (!isRecord(event)) continue;
    addText(hosts, event.device_name);
    const ip = event.device_ip;
    if (typeof ip === 'string' && isIP(ip) !== 0) ips.add(ip);
    addText(users, event.user_name);
    if (isRecord(event.user)) addText(users, event.user.name);
    addHashes(hashes, event.file);
    for (const field of PROCESS_FIELDS) {
      const process = event[field];
      if (isRecord(process)) addHashes(hashes, process.file);
    }
  }
  const related: RelatedFields = {};
  if (hosts.size > 0) related.hosts = sorted(hosts);
  if (ips.size > 0) related.ip = sorted(ips);
  if (users.size > 0) related.user = sorted(users);
  if (hashes.size > 0) related.hash = sorted(hashes);
  return hosts.size + ips.size + users.size + hashes.size > 0 ? related : undefined;
}

function addHashes(hashes: Set<string>, file: unknown): void {
  if (!isRecord(file)) return;
  for (const field of HASH_FIELDS) addText(hashes, file[field]);
}

function addText(set: Set<string>, value: unknown): void {
  if (typeof value === 'string' && value !== '') set.add(value);
}

function sorted(set: Set<string>): string[] {
  return [...set].sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
