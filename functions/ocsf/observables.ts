/**
 * OCSF observables from the facts of an incident's `events[]` (the same facts the ECS documents keep in
 * `related.*`): each distinct host name, valid IP address, user name and file hash, in that order, each
 * group sorted. `name` says where in the incident the values come from.
 */
import type { RelatedFields } from '../ecs/related.js';
import { OBSERVABLE_TYPES, type OcsfObservable } from './incident-finding.js';

const GROUPS = [
  { facts: 'hosts', name: 'events.device_name', ...OBSERVABLE_TYPES.hostname },
  { facts: 'ip', name: 'events.device_ip', ...OBSERVABLE_TYPES.ip },
  { facts: 'user', name: 'events.user_name', ...OBSERVABLE_TYPES.user },
  { facts: 'hash', name: 'events.file.hashes', ...OBSERVABLE_TYPES.hash },
] as const;

export function observablesOf(related: RelatedFields): OcsfObservable[] {
  const observables: OcsfObservable[] = [];
  for (const group of GROUPS) {
    for (const value of related[group.facts] ?? []) observables.push({ name: group.name, type_id: group.type_id, type: group.type, value });
  }
  return observables;
}
