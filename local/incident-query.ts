import type { Incident } from './incident-generator.js';

/**
 * The small part of Lucene the simulator understands in `query`: terms joined by AND, each
 * `field: value`, `field: "quoted value"` or `field: [low TO high]` (`*` for an open end). Anything else
 * is refused with the API's 400 message shape, so a client bug shows up as it would against the real API.
 */

export type QueryResult = { ok: true; matches: (incident: Incident) => boolean } | { ok: false; message: string };

/** Incident fields the simulator lets a query name (the top-level fields of the public samples). */
export const queryableFields: ReadonlySet<string> = new Set([
  'category_id',
  'conclusion',
  'created',
  'customer_uid',
  'detection_type',
  'device_time',
  'domain_uid',
  'event_id',
  'id',
  'incident_uid',
  'incident_url',
  'message',
  'modified',
  'priority_id',
  'product_name',
  'product_uid',
  'ref_incident_uid',
  'remediation',
  'resolution_id',
  'rule_name',
  'severity_id',
  'state_id',
  'suspected_breach',
  'time',
  'type',
  'type_id',
  'version',
]);

const termPattern = /^([A-Za-z_][\w.]*)\s*:\s*(\[\s*(\S+)\s+TO\s+(\S+)\s*\]|"([^"]*)"|(\S+))$/;

export function parseIncidentQuery(text: string): QueryResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, matches: () => true };
  const terms = trimmed.split(/\s+AND\s+/);
  const tests: ((incident: Incident) => boolean)[] = [];
  for (const term of terms) {
    const found = termPattern.exec(term.trim());
    if (!found) return { ok: false, message: `Invalid query. Cannot parse '${term.trim()}'` };
    const [, field = '', range, low, high, quoted, bare] = found;
    if (!queryableFields.has(field)) {
      return { ok: false, message: `Invalid query. Search is not allowed on field '${field}'` };
    }
    if (range?.startsWith('[')) {
      tests.push((incident) => inRange(incident[field], low ?? '*', high ?? '*'));
    } else {
      const wanted = quoted ?? bare ?? '';
      tests.push((incident) => equals(incident[field], wanted));
    }
  }
  return { ok: true, matches: (incident) => tests.every((test) => test(incident)) };
}

function comparable(value: unknown): number | string | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  return undefined;
}

function equals(value: unknown, wanted: string): boolean {
  const have = comparable(value);
  if (have === undefined) return false;
  if (typeof have === 'number') return have === Number(wanted);
  return have.toLowerCase() === wanted.toLowerCase();
}

function inRange(value: unknown, low: string, high: string): boolean {
  const have = comparable(value);
  if (have === undefined) return false;
  const toKey = (bound: string) => (typeof have === 'number' ? Number(bound) : bound);
  if (low !== '*' && have < toKey(low)) return false;
  if (high !== '*' && have > toKey(high)) return false;
  return true;
}
