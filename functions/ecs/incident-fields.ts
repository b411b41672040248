/**
 * Reading the source fields of one incident (`spec/ecs-mapping.md`, rules 1-4, 7, 9, 10): each known
 * field is converted, an unreadable one becomes a field error and is left out, any other field is copied
 * under `symantec_edr_cloud.incident.*` without its empty values. The values the ECS part of the
 * document needs are kept aside, so the fields copied to ECS can be left out of `incident.*` without
 * deleting properties later.
 */
import { readEpochMillis, readIsoDate } from './dates.js';
import type { SymantecIncidentFields } from './document-types.js';
import { describeValue } from './json-text.js';
import { isAbsent, prunedCopy, setOwn } from './prune.js';
import { parseUrlParts, type UrlParts } from './url-parts.js';

export interface IncidentReading {
  /** `symantec_edr_cloud.incident.*` so far (the labels come later). */
  readonly custom: SymantecIncidentFields;
  /** One message per unreadable field. */
  readonly errors: string[];
  time?: string;
  created?: string;
  modified?: string;
  severityId?: number;
  conclusion?: string;
  incidentUid?: string;
  incidentUrl?: string;
  url?: UrlParts;
  message?: string;
  productName?: string;
  ruleName?: string;
  version?: string;
  events?: readonly unknown[];
}

const EPOCH = 'epoch milliseconds';
const ISO_DATE = 'an ISO 8601 date';
const ID = 'a string or a number';
const TEXT = 'a string';

/**
 * Reads every field of `incident`; `keepDuplicates` keeps the fields copied to ECS under `incident.*` too.
 * Known fields are stored by name, one `case` each: V8 turns an object that grows by more than a dozen
 * computed-key stores into a slow dictionary, which would cost more than the rest of the mapping.
 */
export function readIncident(incident: Record<string, unknown>, keepDuplicates: boolean): IncidentReading {
  const errors: string[] = [];
  const custom: SymantecIncidentFields = { category: 'Security' };
  const reading: IncidentReading = { custom, errors };
  for (const key of Object.keys(incident)) {
    const value = incident[key];
    if (isAbsent(value)) continue;
    switch (key) {
      case 'time': {
        const date = checked(errors, key, value, readEpochMillis(value), EPOCH);
        if (date !== undefined) {
          reading.time = date;
          if (keepDuplicates) custom.time = date;
        }
        break;
      }
      case 'device_time': {
        const date = checked(errors, key, value, readEpochMillis(value), EPOCH);
        if (date !== undefined) custom.device_time = date;
        break;
      }
      case 'created': {
        const date = checked(errors, key, value, readIsoDate(value), ISO_DATE);
        if (date !== undefined) {
          reading.created = date;
          if (keepDuplicates) custom.created = date;
        }
        break;
      }
      case 'modified': {
        const date = checked(errors, key, value, readIsoDate(value), ISO_DATE);
        if (date !== undefined) custom.modified = reading.modified = date;
        break;
      }
      case 'log_time': {
        const date = checked(errors, key, value, readIsoDate(value), ISO_DATE);
        if (date !== undefined) custom.log_time = date;
        break;
      }
      case 'category_id': {
        const text = checked(errors, key, value, readText(value), ID);
        if (text !== undefined) custom.category_id = text;
        break;
      }
      case 'event_id': {
        const text = checked(errors, key, value, readText(value), ID);
        if (text !== undefined) custom.event_id = text;
        break;
      }
      case 'id': {
        const text = checked(errors, key, value, readText(value), ID);
        if (text !== undefined) custom.id = text;
        break;
      }
      case 'priority_id': {
        const text = checked(errors, key, value, readText(value), ID);
        if (text !== undefined) custom.priority_id = text;
        break;
      }
      case 'ref_incident_uid': {
        const text = checked(errors, key, value, readText(value), ID);
        if (text !== undefined) custom.ref_incident_uid = text;
        break;
      }
      case 'resolution_id': {
        const text = checked(errors, key, value, readText(value), ID);
        if (text !== undefined) custom.resolution_id = text;
        break;
      }
      case 'state_id': {
        const text = checked(errors, key, value, readText(value), ID);
        if (text !== undefined) custom.state_id = text;
        break;
      }
      case 'type_id': {
        const text = checked(errors, key, value, readText(value), ID);
        if (text !== undefined) custom.type_id = text;
        break;
      }
      case 'severity_id': {
        const severity = checked(errors, key, value, readWholeNumber(value), 'a whole number');
        if (severity !== undefined) {
          reading.severityId = severity;
          if (keepDuplicates) custom.severity_id = severity;
        }
        break;
      }
      case 'suspected_breach': {
        const breach = checked(errors, key, value, readYesNo(value), '"Yes", "No" or a boolean');
        if (breach !== undefined) custom.suspected_breach = breach;
        break;
      }
      case 'incident_url': {
        const text = readText(value);
        const url = checked(errors, key, value, text === undefined ? undefined : parseUrlParts(text), 'an absolute URL');
        if (text !== undefined && url !== undefined) {
          reading.incidentUrl = text;
          reading.url = url;
          if (keepDuplicates) custom.incident_url = text;
        }
        break;
      }
      case 'conclusion': {
        const text = checked(errors, key, value, readText(value), TEXT);
        if (text !== undefined) {
          reading.conclusion = text;
          if (keepDuplicates) custom.conclusion = text;
        }
        break;
      }
      case 'incident_uid': {
        const text = checked(errors, key, value, readText(value), TEXT);
        if (text !== undefined) {
          reading.incidentUid = text;
          if (keepDuplicates) custom.incident_uid = text;
        }
        break;
      }
      case 'message': {
        const text = checked(errors, key, value, readText(value), TEXT);
        if (text !== undefined) {
          reading.message = text;
          if (keepDuplicates) custom.message = text;
        }
        break;
      }
      case 'product_name': {
        const text = checked(errors, key, value, readText(value), TEXT);
        if (text !== undefined) {
          reading.productName = text;
          if (keepDuplicates) custom.product_name = text;
        }
        break;
      }
      case 'rule_name': {
        const text = checked(errors, key, value, readText(value), TEXT);
        if (text !== undefined) {
          reading.ruleName = text;
          if (keepDuplicates) custom.rule_name = text;
        }
        break;
      }
      case 'version': {
        const text = checked(errors, key, value, readText(value), TEXT);
        if (text !== undefined) {
          reading.version = text;
          if (keepDuplicates) custom.version = text;
        }
        break;
      }
      case 'events':
        // Never kept under `incident.*`: its facts go to `related.*`.
        if (Array.isArray(value)) reading.events = value;
        else errors.push(fieldError(key, value, 'a list of events'));
        break;
      // The other fields of the reference, copied as received; strings by name, for the reason above.
      case 'customer_uid':
        if (typeof value === 'string') custom.customer_uid = value;
        else copyAsReceived(custom, key, value);
        break;
      case 'detection_type':
        if (typeof value === 'string') custom.detection_type = value;
        else copyAsReceived(custom, key, value);
        break;
      case 'domain_uid':
        if (typeof value === 'string') custom.domain_uid = value;
        else copyAsReceived(custom, key, value);
        break;
      case 'product_uid':
        if (typeof value === 'string') custom.product_uid = value;
        else copyAsReceived(custom, key, value);
        break;
      case 'remediation':
        if (typeof value === 'string') custom.remediation = value;
        else copyAsReceived(custom, key, value);
        break;
      case 'type':
        if (typeof value === 'string') custom.type = value;
        else copyAsReceived(custom, key, value);
        break;
      default:
        copyAsReceived(custom, key, value);
    }
  }
  // A constant of the reference, set last so that a source field of the same name cannot replace it.
  custom.category = 'Security';
  return reading;
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
function readWholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NUMBER_DIGITS) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(value);
}

/** `Yes`/`No` in any case, or a JSON boolean. */
function readYesNo(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' || (value.length !== 2 && value.length !== 3)) return undefined;
  const lower = value.toLowerCase();
  return lower === 'yes' ? true : lower === 'no' ? false : undefined;
}

/** `<field>: cannot read <value> as <expected>`, the value as JSON and cut to a readable length. */
export function fieldError(field: string, value: unknown, expected: string): string {
  return `${field}: cannot read ${describeValue(value)} as ${expected}`;
}
