/**
 * One Symantec incident to one ECS document, shaped like those of Elastic's integrations, field by field,
 * in the names of one of them (`IncidentShape`: `symantec_edr_cloud`, or `symantec_endpoint_security` for `ses`).
 * Pure (no I/O) and total: whatever comes in, one document comes out and nothing is thrown. An unreadable
 * field is left out and reported in `error.message`, with `event.kind: pipeline_error` and the incident
 * kept in `event.original`, so nothing is lost silently.
 */
import type { EcsEcs } from '@elastic/ecs';
import { formatInstant, readEpochMillis, readIsoDate } from './dates.js';
import type {
  EcsIncidentDocument,
  IncidentDocumentBase,
  IncidentEventFields,
  SesIncidentDocument,
  ShapedIncidentDocument,
} from './document-types.js';
import { EDR_CLOUD_SHAPE, SES_SHAPE, type IncidentShape } from './incident-shape.js';
import { readIncident, readText, type IncidentReading } from './incident-fields.js';
import { boundedJson, describeValue, MAX_BOUNDED_CHARS, MAX_JSON_DEPTH, safeStringify, textOf } from './json-text.js';
import {
  CONCLUSION_CATEGORISATION,
  EVENT_LABELS,
  OUTCOME_LABELS,
  PRIORITY_LABELS,
  RESOLUTION_LABELS,
  SEVERITY_LABELS,
  STATE_LABELS,
} from './lookups.js';
import { DEFAULT_MAPPING_OPTIONS, type MappingOptions } from './mapping-options.js';
import { collectRelated } from './related.js';

/** The ECS version of the reference documents (and of the `@elastic/ecs` types this module uses). */
export const ECS_VERSION: EcsEcs['version'] = '8.11.0';
export const EVENT_MODULE = EDR_CLOUD_SHAPE.module;
export const EVENT_DATASET = EDR_CLOUD_SHAPE.dataset;

/** What the caller knows about the incident besides its value. */
export interface MappingContext {
  /**
   * The incident's JSON text as received (a line of NDJSON), for `event.original`.
   * Without it, `event.original` is `JSON.stringify(incident)`.
   */
  readonly originalText?: string;
  /** Epoch milliseconds of the mapping: `@timestamp` when the incident has no readable date. Default: now. */
  readonly now?: number;
}

/**
 * The ECS document of one incident (`incident` is anything a JSON parser can return, or worse), in the
 * names of `shape` (by default those of the `symantec_edr_cloud` integration).
 */
export function toEcsDocument<Root extends string = 'symantec_edr_cloud'>(
  incident: unknown,
  options: MappingOptions = DEFAULT_MAPPING_OPTIONS,
  context: MappingContext = {},
  shape: IncidentShape<Root> = EDR_CLOUD_SHAPE as unknown as IncidentShape<Root>,
): ShapedIncidentDocument<Root> {
  if (!isRecord(incident)) {
    return toErrorDocument(
      [`incident: cannot read ${describeValue(incident)} as a JSON object`],
      originalOf(incident, context),
      options,
      context,
      shape,
    );
  }
  try {
    return mapRecord(incident, options, context, shape);
  } catch (error) {
    // Only a hostile object can get here (a throwing getter, a proxy, nesting deeper than the stack): it
    // still yields its document.
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof RangeError && context.originalText === undefined && safeStringify(incident) === undefined) {
      return toUnwritableDocument(incident, reason, options, context, shape);
    }
    return toErrorDocument([`incident: mapping failed: ${reason}`], originalOf(incident, context), options, context, shape);
  }
}

/** The `ses` output format: the document of Elastic's `symantec_endpoint_security` integration. */
export function toSesDocument(incident: unknown, options: MappingOptions, context: MappingContext = {}): SesIncidentDocument {
  return toEcsDocument(incident, options, context, SES_SHAPE);
}

/**
 * The document for an incident JSON can read but not write back (nested thousands of levels deep, say):
 * an error document whose `event.original` is a bounded text of it, with its uid as `event.id` when it
 * has a readable one, so it can be looked up at the source.
 */
export function toUnwritableDocument<Root extends string = 'symantec_edr_cloud'>(
  incident: unknown,
  reason: string,
  options: MappingOptions = DEFAULT_MAPPING_OPTIONS,
  context: Pick<MappingContext, 'now'> = {},
  shape: IncidentShape<Root> = EDR_CLOUD_SHAPE as unknown as IncidentShape<Root>,
): ShapedIncidentDocument<Root> {
  const original = boundedJson(incident, MAX_BOUNDED_CHARS);
  const document = toErrorDocument(
    [
      `incident: cannot be written as JSON (${reason}); event.original holds a bounded text of it (at most ${MAX_BOUNDED_CHARS} characters, levels below ${MAX_JSON_DEPTH} replaced)`,
    ],
    original,
    options,
    context,
    shape,
  );
  const uid = isRecord(incident) ? safeRead(() => readText(incident.incident_uid)) : undefined;
  if (uid !== undefined) document.event.id = uid;
  return document;
}

function safeRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * The document for input that cannot be mapped at all (not a JSON object, not JSON): the constant
 * fields, `event.kind: pipeline_error`, the reasons in `error.message` and the input in `event.original`.
 */
export function toErrorDocument<Root extends string = 'symantec_edr_cloud'>(
  reasons: readonly string[],
  original: string,
  options: MappingOptions = DEFAULT_MAPPING_OPTIONS,
  context: Pick<MappingContext, 'now'> = {},
  shape: IncidentShape<Root> = EDR_CLOUD_SHAPE as unknown as IncidentShape<Root>,
): ShapedIncidentDocument<Root> {
  const document: IncidentDocumentBase & Record<string, unknown> = {
    '@timestamp': nowText(context.now),
    ecs: { version: ECS_VERSION },
    data_stream: dataStreamOf(options, shape),
    event: { kind: 'pipeline_error', module: shape.module, dataset: shape.dataset },
    error: { message: reasons.length > 0 ? [...reasons] : ['incident: unreadable'] },
  };
  document[shape.root] = { incident: { category: 'Security' } };
  if (original !== '') document.event.original = original;
  const tags = tagsOf(true, options);
  if (tags.length > 0) document.tags = tags.slice();
  return document as ShapedIncidentDocument<Root>;
}

/**
 * The `raw` output format: the incident exactly as received, one JSON text; an incident JSON cannot write
 * back gets its error document (`toUnwritableDocument`) instead, never a `null` record.
 */
export function toRawRecord(incident: unknown, context: Pick<MappingContext, 'originalText' | 'now'> = {}): string {
  if (context.originalText !== undefined && context.originalText !== '') return context.originalText;
  const text = safeStringify(incident);
  if (text !== undefined) return text;
  return JSON.stringify(toUnwritableDocument(incident, writeFailure(incident), DEFAULT_MAPPING_OPTIONS, context));
}

/** Why JSON.stringify cannot write `incident`. */
function writeFailure(incident: unknown): string {
  try {
    return JSON.stringify(incident) === undefined ? 'it is not a JSON value' : 'unknown reason';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * What identifies one version of an incident: `incident_uid` and `modified` (else `time`), the date in
 * the output format so that `+00:00` and `Z` spellings of one instant agree. `undefined` when either is
 * missing or unreadable.
 */
export function incidentVersionKey(incident: unknown): { uid: string; version: string } | undefined {
  if (!isRecord(incident)) return undefined;
  const uid = readText(incident.incident_uid);
  const version = readIsoDate(incident.modified) ?? readEpochMillis(incident.time);
  return uid === undefined || version === undefined ? undefined : { uid, version };
}

function mapRecord<Root extends string>(
  incident: Record<string, unknown>,
  options: MappingOptions,
  context: MappingContext,
  shape: IncidentShape<Root>,
): ShapedIncidentDocument<Root> {
  const reading = readIncident(incident, options.preserveDuplicateCustomFields);
  addLabels(reading);
  const failed = reading.errors.length > 0;
  const keepOriginal = options.preserveOriginalEvent || failed;
  const event = eventOf(reading, failed, shape);
  if (keepOriginal) event.original = originalOf(incident, context);
  const document: IncidentDocumentBase & Record<string, unknown> = {
    '@timestamp': reading.time ?? reading.modified ?? reading.created ?? nowText(context.now),
    ecs: { version: ECS_VERSION },
    data_stream: dataStreamOf(options, shape),
    event,
  };
  document[shape.root] = { incident: reading.custom };
  if (failed) document.error = { message: reading.errors };
  if (reading.message !== undefined) document.message = reading.message;
  if (reading.ruleName !== undefined) document.rule = { name: reading.ruleName };
  if (reading.version !== undefined) document.http = { version: reading.version };
  if (reading.url !== undefined) document.url = reading.url;
  if (reading.events !== undefined) {
    const related = collectRelated(reading.events);
    if (related !== undefined) document.related = related;
  }
  const tags = tagsOf(keepOriginal, options);
  if (tags.length > 0) document.tags = tags.slice();
  return document as ShapedIncidentDocument<Root>;
}

function eventOf(reading: IncidentReading, failed: boolean, shape: IncidentShape): IncidentEventFields {
  const event: IncidentEventFields = { kind: failed ? 'pipeline_error' : 'alert', module: shape.module, dataset: shape.dataset };
  if (reading.conclusion !== undefined) {
    event.reason = reading.conclusion;
    const categorisation = CONCLUSION_CATEGORISATION.get(reading.conclusion.toLowerCase());
    if (categorisation !== undefined) {
      event.category = [...categorisation.category];
      event.type = [...categorisation.type];
    }
  }
  if (reading.created !== undefined) event.created = reading.created;
  if (reading.incidentUid !== undefined) event.id = reading.incidentUid;
  if (reading.incidentUrl !== undefined) event.url = reading.incidentUrl;
  if (reading.productName !== undefined) event.provider = reading.productName;
  if (reading.severityId !== undefined) event.severity = reading.severityId;
  return event;
}

/** The labels of rule 5; an id outside its table sets none (a same-named source field then stays). */
function addLabels(reading: IncidentReading): void {
  const custom = reading.custom;
  const severity = reading.severityId === undefined ? undefined : SEVERITY_LABELS.get(reading.severityId);
  if (severity !== undefined) custom.severity = severity;
  const state = custom.state_id === undefined ? undefined : STATE_LABELS.get(custom.state_id);
  if (state !== undefined) custom.state = state;
  const priority = custom.priority_id === undefined ? undefined : PRIORITY_LABELS.get(custom.priority_id);
  if (priority !== undefined) custom.priority = priority;
  const resolution = custom.resolution_id === undefined ? undefined : RESOLUTION_LABELS.get(custom.resolution_id);
  if (resolution !== undefined) custom.resolution = resolution;
  const outcome = custom.id === undefined ? undefined : OUTCOME_LABELS.get(custom.id);
  if (outcome !== undefined) custom.outcome = outcome;
  const label = custom.event_id === undefined ? undefined : EVENT_LABELS.get(custom.event_id);
  if (label !== undefined) custom.event = label;
}

function dataStreamOf(options: MappingOptions, shape: IncidentShape): EcsIncidentDocument['data_stream'] {
  return { type: 'logs', dataset: shape.dataset, namespace: options.namespace };
}

/**
 * `preserve_original_event`, `preserve_duplicate_custom_fields` (when they apply), then the option tags:
 * listed once per options object; each document gets a copy.
 */
function tagsOf(keepOriginal: boolean, options: MappingOptions): readonly string[] {
  let lists = tagListsByOptions.get(options);
  if (lists === undefined) {
    lists = { keepingOriginal: listTags(true, options), plain: listTags(false, options) };
    tagListsByOptions.set(options, lists);
  }
  return keepOriginal ? lists.keepingOriginal : lists.plain;
}

const tagListsByOptions = new WeakMap<MappingOptions, { readonly keepingOriginal: readonly string[]; readonly plain: readonly string[] }>();

// Not frozen: copying a frozen list takes a much slower path.
function listTags(keepOriginal: boolean, options: MappingOptions): readonly string[] {
  const tags: string[] = [];
  if (keepOriginal) tags.push('preserve_original_event');
  if (options.preserveDuplicateCustomFields) tags.push('preserve_duplicate_custom_fields');
  for (const tag of options.tags) if (typeof tag === 'string' && tag !== '') tags.push(tag);
  return tags;
}

function originalOf(incident: unknown, context: MappingContext): string {
  if (context.originalText !== undefined && context.originalText !== '') return context.originalText;
  return textOf(incident);
}

function nowText(now: number | undefined): string {
  return formatInstant(now ?? Date.now()) ?? new Date().toISOString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
