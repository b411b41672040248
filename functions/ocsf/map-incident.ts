/**
 * One Symantec incident to one OCSF 1.1.0 Incident Finding (class 2005). The readings (dates, ids,
 * yes/no, the facts of `events[]`) are the ECS mapping's own, so both formats agree on what an incident
 * says. Pure and total: whatever comes in, one document comes out and nothing is thrown. A field that
 * cannot be read is left out and named in `unmapped.error`; input that is not a JSON object still yields
 * a finding, identified by the SHA-256 of its text. Nothing is invented: OCSF 1.1.0 wants an `assignee`
 * or `assignee_group`, which the incidents API does not have, so the documents carry neither.
 */
import { createHash } from 'node:crypto';
import { readEpochMillis, readIsoDate } from '../ecs/dates.js';
import { fieldError, readText, readWholeNumber, readYesNo } from '../ecs/incident-fields.js';
import { describeValue, textOf } from '../ecs/json-text.js';
import type { MappingContext } from '../ecs/map-incident.js';
import { DEFAULT_MAPPING_OPTIONS, type MappingOptions } from '../ecs/mapping-options.js';
import { isAbsent, prunedCopy, setOwn } from '../ecs/prune.js';
import { collectRelated } from '../ecs/related.js';
import {
  ACTIVITY_CAPTIONS,
  ACTIVITY_OF_TYPE,
  DEFAULT_PRODUCT_NAME,
  FINDINGS_CATEGORY,
  INCIDENT_FINDING_CLASS,
  LOG_PROVIDER,
  OCSF_VERSION,
  OTHER,
  PRIORITY_OF_PRIORITY,
  PRODUCT_VENDOR,
  SEVERITY_CAPTIONS,
  STATUS_CAPTIONS,
  STATUS_OF_STATE,
  UNREADABLE_FINDING,
  UNTITLED_FINDING,
  VERDICT_CAPTIONS,
  VERDICT_OF_RESOLUTION,
  type OcsfFindingInfo,
  type OcsfIncidentFinding,
  type OcsfMetadata,
} from './incident-finding.js';
import { observablesOf } from './observables.js';

/** The incident's top-level fields this mapping reads; every other one goes to `unmapped` as received. */
export const MAPPED_FIELDS: ReadonlySet<string> = new Set([
  'type_id',
  'time',
  'created',
  'modified',
  'severity_id',
  'state_id',
  'priority_id',
  'resolution_id',
  'suspected_breach',
  'incident_url',
  'message',
  'incident_uid',
  'rule_name',
  'conclusion',
  'detection_type',
  'ref_incident_uid',
  'customer_uid',
  'product_name',
  'product_uid',
  'events',
]);

/**
 * The finding of one incident. Of the options only `preserveOriginalEvent` applies: it keeps the incident's
 * JSON text in `raw_data` (a finding with an unreadable field keeps it whatever the option says).
 */
export function toOcsfDocument(
  incident: unknown,
  options: Pick<MappingOptions, 'preserveOriginalEvent'> = DEFAULT_MAPPING_OPTIONS,
  context: MappingContext = {},
): OcsfIncidentFinding {
  if (!isRecord(incident)) {
    return toOcsfErrorDocument(
      [`incident: cannot read ${describeValue(incident)} as a JSON object`],
      originalOf(incident, context),
      context,
    );
  }
  try {
    return mapRecord(incident, options, context);
  } catch (error) {
    // Only a hostile object can get here (a throwing getter, a proxy): it still yields its finding.
    const reason = error instanceof Error ? error.message : String(error);
    return toOcsfErrorDocument([`incident: mapping failed: ${reason}`], originalOf(incident, context), context);
  }
}

/** The finding for input that cannot be mapped at all: unknown activity, severity and status, the text kept. */
export function toOcsfErrorDocument(
  reasons: readonly string[],
  original: string,
  context: Pick<MappingContext, 'now'> = {},
): OcsfIncidentFinding {
  const document = findingFrame(0, context.now ?? Date.now(), 0, 0, {
    uid: `unreadable-${createHash('sha256').update(original).digest('hex')}`,
    title: UNREADABLE_FINDING,
  });
  document.metadata = metadataOf(undefined, undefined);
  document.raw_data = original;
  document.unmapped = { error: reasons.length > 0 ? [...reasons] : ['incident: unreadable'] };
  return document;
}

function mapRecord(
  source: Record<string, unknown>,
  options: Pick<MappingOptions, 'preserveOriginalEvent'>,
  context: MappingContext,
): OcsfIncidentFinding {
  const incident = ownFieldsOf(source);
  const errors: string[] = [];
  const time = instantOf(errors, 'time', incident.time, readEpochMillis, 'epoch milliseconds');
  const created = instantOf(errors, 'created', incident.created, readIsoDate, 'an ISO 8601 date');
  const modified = instantOf(errors, 'modified', incident.modified, readIsoDate, 'an ISO 8601 date');
  const incidentUid = textField(errors, 'incident_uid', incident.incident_uid);
  const ruleName = textField(errors, 'rule_name', incident.rule_name);
  const conclusion = textField(errors, 'conclusion', incident.conclusion);
  const detectionType = textField(errors, 'detection_type', incident.detection_type);

  const activityId = codeOf(errors, 'type_id', incident.type_id, (id) => ACTIVITY_OF_TYPE.get(id) ?? OTHER, 0);
  const severityId = severityOf(errors, incident.severity_id);
  const statusId = codeOf(errors, 'state_id', incident.state_id, (id) => STATUS_OF_STATE.get(id) ?? OTHER, 0);
  const findingInfo: OcsfFindingInfo = {
    uid: incidentUid ?? `unidentified-${createHash('sha256').update(originalOf(source, context)).digest('hex')}`,
    title: ruleName ?? conclusion ?? UNTITLED_FINDING,
  };
  if (incidentUid === undefined) errors.push('incident_uid: missing: the finding is identified by the SHA-256 of the incident text');
  const types = [conclusion, detectionType].filter((type): type is string => type !== undefined);
  if (types.length > 0) findingInfo.types = types;
  if (created !== undefined) findingInfo.created_time = created;
  if (modified !== undefined) findingInfo.modified_time = modified;
  if (ruleName !== undefined) findingInfo.analytic = { name: ruleName, type_id: 1, type: 'Rule' };

  const document = findingFrame(activityId, time ?? modified ?? created ?? context.now ?? Date.now(), severityId, statusId, findingInfo);
  if (created !== undefined) document.start_time = created;
  if (modified !== undefined) document.end_time = modified;
  const priorityId = codeOf(errors, 'priority_id', incident.priority_id, (id) => PRIORITY_OF_PRIORITY.get(id) ?? OTHER, undefined);
  if (priorityId !== undefined) document.priority_id = priorityId;
  const verdictId = codeOf(errors, 'resolution_id', incident.resolution_id, (id) => VERDICT_OF_RESOLUTION.get(id) ?? OTHER, undefined);
  if (verdictId !== undefined) {
    document.verdict_id = verdictId;
    document.verdict = VERDICT_CAPTIONS.get(verdictId) ?? 'Other';
  }
  if (!isAbsent(incident.suspected_breach)) {
    const breach = readYesNo(incident.suspected_breach);
    if (breach === undefined) errors.push(fieldError('suspected_breach', incident.suspected_breach, '"Yes", "No" or a boolean'));
    else document.is_suspected_breach = breach;
  }
  const url = textField(errors, 'incident_url', incident.incident_url);
  if (url !== undefined) document.src_url = url;
  const message = textField(errors, 'message', incident.message);
  if (message !== undefined) document.desc = document.message = message;
  document.metadata = metadataOf(
    textField(errors, 'product_name', incident.product_name),
    textField(errors, 'product_uid', incident.product_uid),
  );
  if (incidentUid !== undefined) document.metadata.uid = incidentUid;
  const correlation = textField(errors, 'ref_incident_uid', incident.ref_incident_uid);
  if (correlation !== undefined) document.metadata.correlation_uid = correlation;
  const tenant = textField(errors, 'customer_uid', incident.customer_uid);
  if (tenant !== undefined) document.metadata.tenant_uid = tenant;
  if (typeof incident.created === 'string' && incident.created !== '') document.metadata.original_time = incident.created;
  const events = incident.events;
  if (Array.isArray(events)) {
    const related = collectRelated(events);
    if (related !== undefined) document.observables = observablesOf(related);
  } else if (!isAbsent(events)) {
    errors.push(fieldError('events', events, 'a list of events'));
  }
  if (options.preserveOriginalEvent || errors.length > 0) document.raw_data = originalOf(source, context);
  const unmapped = unmappedOf(incident);
  // Replaces a source field named `error`, if any: with errors the whole incident is in `raw_data`.
  if (errors.length > 0) unmapped.error = errors;
  if (Object.keys(unmapped).length > 0) document.unmapped = unmapped;
  return document;
}

/** The attributes every finding has, in the order OCSF lists them. */
function findingFrame(
  activityId: number,
  time: number,
  severityId: number,
  statusId: number,
  findingInfo: OcsfFindingInfo,
): OcsfIncidentFinding {
  const activityName = ACTIVITY_CAPTIONS.get(activityId) ?? 'Other';
  return {
    class_uid: INCIDENT_FINDING_CLASS.uid,
    class_name: INCIDENT_FINDING_CLASS.name,
    category_uid: FINDINGS_CATEGORY.uid,
    category_name: FINDINGS_CATEGORY.name,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: INCIDENT_FINDING_CLASS.uid * 100 + activityId,
    type_name: `${INCIDENT_FINDING_CLASS.name}: ${activityName}`,
    time,
    severity_id: severityId,
    severity: SEVERITY_CAPTIONS.get(severityId) ?? 'Other',
    status_id: statusId,
    status: STATUS_CAPTIONS.get(statusId) ?? 'Other',
    finding_info_list: [findingInfo],
    metadata: metadataOf(undefined, undefined),
  };
}

function metadataOf(productName: string | undefined, productUid: string | undefined): OcsfMetadata {
  const product: OcsfMetadata['product'] = { name: productName ?? DEFAULT_PRODUCT_NAME, vendor_name: PRODUCT_VENDOR };
  if (productUid !== undefined) product.uid = productUid;
  return { version: OCSF_VERSION, product, log_provider: LOG_PROVIDER };
}

/** An instant in epoch milliseconds, read as the ECS mapping reads it; an unreadable one is a field error. */
function instantOf(
  errors: string[],
  key: string,
  value: unknown,
  read: (value: unknown) => string | undefined,
  expected: string,
): number | undefined {
  if (isAbsent(value)) return undefined;
  const text = read(value);
  if (text === undefined) {
    errors.push(fieldError(key, value, expected));
    return undefined;
  }
  // The reader's output is always `YYYY-MM-DDTHH:MM:SS.mmmZ`, which Date.parse reads exactly.
  return Date.parse(text);
}

/** A string, or a number as its decimal text; anything else is a field error. */
function textField(errors: string[], key: string, value: unknown): string | undefined {
  if (isAbsent(value)) return undefined;
  const text = readText(value);
  if (text === undefined) errors.push(fieldError(key, value, 'a string or a number'));
  return text;
}

/** An enumerated Symantec id turned into an OCSF id by `toOcsf`; `absent` when the field is absent or unreadable. */
function codeOf<T extends number | undefined>(
  errors: string[],
  key: string,
  value: unknown,
  toOcsf: (id: string) => number,
  absent: T,
): number | T {
  const id = textField(errors, key, value);
  return id === undefined ? absent : toOcsf(id);
}

/** Symantec's 1-6 are OCSF's; 0, absent or unreadable is Unknown; anything else is Other. */
function severityOf(errors: string[], value: unknown): number {
  if (isAbsent(value)) return 0;
  const severity = readWholeNumber(value);
  if (severity === undefined) {
    errors.push(fieldError('severity_id', value, 'a whole number'));
    return 0;
  }
  return severity >= 0 && severity <= 6 ? severity : OTHER;
}

/** Every top-level field the mapping does not read, as received (empty values left out). */
function unmappedOf(incident: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const unmapped: Record<string, unknown> = {};
  for (const key of Object.keys(incident)) {
    if (MAPPED_FIELDS.has(key)) continue;
    const kept = prunedCopy(incident[key]);
    if (kept !== undefined) setOwn(unmapped, key, kept);
  }
  return unmapped;
}

function ownFieldsOf(source: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const prototype: unknown = Object.getPrototypeOf(source);
  return prototype === Object.prototype || prototype === null ? source : { ...source };
}

function originalOf(incident: unknown, context: MappingContext): string {
  if (context.originalText !== undefined && context.originalText !== '') return context.originalText;
  return textOf(incident);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
