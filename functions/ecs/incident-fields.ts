/**
 * Reading the source fields of one incident (dates, ids as text, severity, breach flag, URL): each known
 * field is converted, an unreadable one becomes a field error and is left out, any other field is copied
 * under `symantec_edr_cloud.incident.*` without its empty values. The values the ECS part of the
 * document needs are kept aside, so the fields copied to ECS can be left out of `incident.*` without
 * deleting properties later.
 */
import { readEpochMillis, readIsoDate } from './dates.js';
import type { SymantecIncidentFields } from './document-types.js';
import { describeValue } from './json-text.js';
import { isAbsent, prunedCopy, setOwn } from './prune.js';
import { roomyObject } from './roomy-object.js';
import { parseUrlParts, type UrlParts } from './url-parts.js';

export interface IncidentReading {
  /** `symantec_edr_cloud.incident.*` so far (the labels come later). */
  readonly custom: SymantecIncidentFields;
  /** One message per unreadable field. */
  readonly errors: string[];
  time: string | undefined;
  created: string | undefined;
  modified: string | undefined;
  severityId: number | undefined;
  conclusion: string | undefined;
  incidentUid: string | undefined;
  incidentUrl: string | undefined;
  url: UrlParts | undefined;
  message: string | undefined;
  productName: string | undefined;
  ruleName: string | undefined;
  version: string | undefined;
  events: readonly unknown[] | undefined;
}

/** The source fields this module reads by name; any other field is copied as received. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'time',
  'device_time',
  'created',
  'modified',
  'log_time',
  'category_id',
  'event_id',
  'id',
  'priority_id',
  'ref_incident_uid',
  'resolution_id',
  'state_id',
  'type_id',
  'severity_id',
  'suspected_breach',
  'incident_url',
  'conclusion',
  'incident_uid',
  'message',
  'product_name',
  'rule_name',
  'version',
  'events',
  'customer_uid',
  'detection_type',
  'domain_uid',
  'product_uid',
  'remediation',
  'type',
]);

type Incident = Readonly<Record<string, unknown>>;

/**
 * Reads every field of `source`; `keepDuplicates` keeps the fields copied to ECS under `incident.*` too.
 * Known fields are read and stored by name: the incidents of a page share a handful of shapes, so each
 * read and store is a single inline-cached access, where a loop over the keys with a `switch` costs a
 * string comparison per case and computed-key stores turn the output object into a slow dictionary.
 */
export function readIncident(source: Incident, keepDuplicates: boolean): IncidentReading {
  const incident = ownFieldsOf(source);
  const errors: string[] = [];
  const custom: SymantecIncidentFields = roomyObject({ category: 'Security' });
  // Every field named at once: added one by one, they would regrow the object's storage several times.
  const reading: IncidentReading = {
    custom,
    errors,
    time: undefined,
    created: undefined,
    modified: undefined,
    severityId: undefined,
    conclusion: undefined,
    incidentUid: undefined,
    incidentUrl: undefined,
    url: undefined,
    message: undefined,
    productName: undefined,
    ruleName: undefined,
    version: undefined,
    events: undefined,
  };
  // How many known fields the incident has: when that is all it has, no key needs looking at.
  let present = 0;
  let value: unknown;
  let text: string | undefined;

  if ((value = incident.time) !== undefined) {
    present++;
    if ((text = dateOf(errors, 'time', value, readEpochMillis, EPOCH)) !== undefined) {
      reading.time = text;
      if (keepDuplicates) custom.time = text;
    }
  }
  if ((value = incident.device_time) !== undefined) {
    present++;
    if ((text = dateOf(errors, 'device_time', value, readEpochMillis, EPOCH)) !== undefined) custom.device_time = text;
  }
  if ((value = incident.created) !== undefined) {
    present++;
    if ((text = dateOf(errors, 'created', value, readIsoDate, ISO_DATE)) !== undefined) {
      reading.created = text;
      if (keepDuplicates) custom.created = text;
    }
  }
  if ((value = incident.modified) !== undefined) {
    present++;
    if ((text = dateOf(errors, 'modified', value, readIsoDate, ISO_DATE)) !== undefined) custom.modified = reading.modified = text;
  }
  if ((value = incident.log_time) !== undefined) {
    present++;
    if ((text = dateOf(errors, 'log_time', value, readIsoDate, ISO_DATE)) !== undefined) custom.log_time = text;
  }
  // Identifiers: a string, or a number as its decimal text.
  if ((value = incident.category_id) !== undefined) {
    present++;
    if ((text = idOf(errors, 'category_id', value)) !== undefined) custom.category_id = text;
  }
  if ((value = incident.event_id) !== undefined) {
    present++;
    if ((text = idOf(errors, 'event_id', value)) !== undefined) custom.event_id = text;
  }
  if ((value = incident.id) !== undefined) {
    present++;
    if ((text = idOf(errors, 'id', value)) !== undefined) custom.id = text;
  }
  if ((value = incident.priority_id) !== undefined) {
    present++;
    if ((text = idOf(errors, 'priority_id', value)) !== undefined) custom.priority_id = text;
  }
  if ((value = incident.ref_incident_uid) !== undefined) {
    present++;
    if ((text = idOf(errors, 'ref_incident_uid', value)) !== undefined) custom.ref_incident_uid = text;
  }
  if ((value = incident.resolution_id) !== undefined) {
    present++;
    if ((text = idOf(errors, 'resolution_id', value)) !== undefined) custom.resolution_id = text;
  }
  if ((value = incident.state_id) !== undefined) {
    present++;
    if ((text = idOf(errors, 'state_id', value)) !== undefined) custom.state_id = text;
  }
  if ((value = incident.type_id) !== undefined) {
    present++;
    if ((text = idOf(errors, 'type_id', value)) !== undefined) custom.type_id = text;
  }
  if ((value = incident.severity_id) !== undefined) {
    present++;
    if (!isAbsent(value)) {
      const severity = checked(errors, 'severity_id', value, readWholeNumber(value), 'a whole number');
      if (severity !== undefined) {
        reading.severityId = severity;
        if (keepDuplicates) custom.severity_id = severity;
      }
    }
  }
  if ((value = incident.suspected_breach) !== undefined) {
    present++;
    if (!isAbsent(value)) {
      const breach = checked(errors, 'suspected_breach', value, readYesNo(value), '"Yes", "No" or a boolean');
      if (breach !== undefined) custom.suspected_breach = breach;
    }
  }
  if ((value = incident.incident_url) !== undefined) {
    present++;
    if (!isAbsent(value)) {
      text = readText(value);
      const url = checked(errors, 'incident_url', value, text === undefined ? undefined : parseUrlParts(text), 'an absolute URL');
      if (text !== undefined && url !== undefined) {
        reading.incidentUrl = text;
        reading.url = url;
        if (keepDuplicates) custom.incident_url = text;
      }
    }
  }
  // Texts copied to ECS fields.
  if ((value = incident.conclusion) !== undefined) {
    present++;
    if ((text = stringOf(errors, 'conclusion', value)) !== undefined) {
      reading.conclusion = text;
      if (keepDuplicates) custom.conclusion = text;
    }
  }
  if ((value = incident.incident_uid) !== undefined) {
    present++;
    if ((text = stringOf(errors, 'incident_uid', value)) !== undefined) {
      reading.incidentUid = text;
      if (keepDuplicates) custom.incident_uid = text;
    }
  }
  if ((value = incident.message) !== undefined) {
    present++;
    if ((text = stringOf(errors, 'message', value)) !== undefined) {
      reading.message = text;
      if (keepDuplicates) custom.message = text;
    }
  }
  if ((value = incident.product_name) !== undefined) {
    present++;
    if ((text = stringOf(errors, 'product_name', value)) !== undefined) {
      reading.productName = text;
      if (keepDuplicates) custom.product_name = text;
    }
  }
  if ((value = incident.rule_name) !== undefined) {
    present++;
    if ((text = stringOf(errors, 'rule_name', value)) !== undefined) {
      reading.ruleName = text;
      if (keepDuplicates) custom.rule_name = text;
    }
  }
  if ((value = incident.version) !== undefined) {
    present++;
    if ((text = stringOf(errors, 'version', value)) !== undefined) {
      reading.version = text;
      if (keepDuplicates) custom.version = text;
    }
  }
  if ((value = incident.events) !== undefined) {
    present++;
    // Never kept under `incident.*`: its facts go to `related.*`.
    if (Array.isArray(value)) reading.events = value;
    else if (!isAbsent(value)) errors.push(fieldError('events', value, 'a list of events'));
  }
  // The other fields of the reference, copied as received.
  if ((value = incident.customer_uid) !== undefined) {
    present++;
    if ((text = plainText(custom, 'customer_uid', value)) !== undefined) custom.customer_uid = text;
  }
  if ((value = incident.detection_type) !== undefined) {
    present++;
    if ((text = plainText(custom, 'detection_type', value)) !== undefined) custom.detection_type = text;
  }
  if ((value = incident.domain_uid) !== undefined) {
    present++;
    if ((text = plainText(custom, 'domain_uid', value)) !== undefined) custom.domain_uid = text;
  }
  if ((value = incident.product_uid) !== undefined) {
    present++;
    if ((text = plainText(custom, 'product_uid', value)) !== undefined) custom.product_uid = text;
  }
  if ((value = incident.remediation) !== undefined) {
    present++;
    if ((text = plainText(custom, 'remediation', value)) !== undefined) custom.remediation = text;
  }
  if ((value = incident.type) !== undefined) {
    present++;
    if ((text = plainText(custom, 'type', value)) !== undefined) custom.type = text;
  }
  if (present !== Object.keys(incident).length) {
    for (const key of Object.keys(incident)) if (!KNOWN_FIELDS.has(key)) copyAsReceived(custom, key, incident[key]);
  }
  // A constant of the reference, set last so that a source field of the same name cannot replace it.
  custom.category = 'Security';
  if (errors.length > 1) inFieldOrder(errors, incident);
  return reading;
}

const EPOCH = 'epoch milliseconds';
const ISO_DATE = 'an ISO 8601 date';
const ID = 'a string or a number';
const TEXT = 'a string';

/**
 * `source` itself when it is a plain object (as JSON makes them), else a plain copy of its own enumerable
 * fields: a field its prototype carries is not one of the incident's.
 */
function ownFieldsOf(source: Incident): Incident {
  const prototype: unknown = Object.getPrototypeOf(source);
  return prototype === Object.prototype || prototype === null ? source : { ...source };
}

/** Sorts field errors (`<field>: ...`, known fields only) into the order of the fields in `incident`. */
function inFieldOrder(errors: string[], incident: Incident): void {
  const order = Object.keys(incident);
  const position = (error: string) => order.indexOf(error.slice(0, error.indexOf(':')));
  errors.sort((a, b) => position(a) - position(b));
}

function dateOf(
  errors: string[],
  key: string,
  value: unknown,
  read: (value: unknown) => string | undefined,
  expected: string,
): string | undefined {
  return isAbsent(value) ? undefined : checked(errors, key, value, read(value), expected);
}

function idOf(errors: string[], key: string, value: unknown): string | undefined {
  return isAbsent(value) ? undefined : checked(errors, key, value, readText(value), ID);
}

function stringOf(errors: string[], key: string, value: unknown): string | undefined {
  return isAbsent(value) ? undefined : checked(errors, key, value, readText(value), TEXT);
}

/**
 * A field kept as received: a non-empty string is returned for the caller to store under its own name
 * (a store by name, see `readIncident`); any other value is copied here without its empty parts.
 */
function plainText(custom: SymantecIncidentFields, key: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  copyAsReceived(custom, key, value);
  return undefined;
}

function copyAsReceived(custom: SymantecIncidentFields, key: string, value: unknown): void {
  const kept = prunedCopy(value);
  if (kept !== undefined) setOwn(custom, key, kept);
}

/** `result`, after recording a field error when it is `undefined` (the value could not be read). */
function checked<T>(errors: string[], key: string, value: unknown, result: T | undefined, expected: string): T | undefined {
  if (result === undefined) errors.push(fieldError(key, value, expected));
  return result;
}

/** A string as it is, a number as its decimal text; anything else is unreadable. */
export function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

// 15 digits hold every safe integer below 10^15, far beyond any severity.
const MAX_NUMBER_DIGITS = 15;

/** A whole number, or a string of digits. */
export function readWholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NUMBER_DIGITS) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(value);
}

/** `Yes`/`No` in any case, or a JSON boolean. */
export function readYesNo(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' || (value.length !== 2 && value.length !== 3)) return undefined;
  const lower = value.toLowerCase();
  return lower === 'yes' ? true : lower === 'no' ? false : undefined;
}

/** `<field>: cannot read <value> as <expected>`, the value as JSON and cut to a readable length. */
export function fieldError(field: string, value: unknown, expected: string): string {
  return `${field}: cannot read ${describeValue(value)} as ${expected}`;
}
