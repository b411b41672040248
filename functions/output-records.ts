/**
 * The one place that knows what each output format makes of an incident: the ECS document in
 * `symantec_edr_cloud` names (`ecs`) or `symantec_endpoint_security` names (`ses`), the OCSF finding
 * (`ocsf`), or the incident as received (`raw`). The function and `symantec-edr map` both use it.
 */
import { type EncodedRecord, encodeRecord } from './delivery/record-encoding.js';
import { EDR_CLOUD_SHAPE, SES_SHAPE } from './ecs/incident-shape.js';
import { boundedJson, MAX_BOUNDED_CHARS } from './ecs/json-text.js';
import { toEcsDocument, toErrorDocument, toRawRecord, toUnwritableDocument, type MappingContext } from './ecs/map-incident.js';
import { resolveMappingOptions, type MappingOptions } from './ecs/mapping-options.js';
import { toOcsfDocument, toOcsfErrorDocument } from './ocsf/map-incident.js';
import type { OutputFormat } from './output-format.js';

/** One incident's output: a document, or JSON text already (the raw format). */
export type OutputRecord = object | string;

export type OptionSettings = Parameters<typeof resolveMappingOptions>[0];

/** The mapping options of `format`: the tags default to those of the format's Elastic data stream. */
export function mappingOptionsFor(format: OutputFormat, settings: OptionSettings = {}): MappingOptions {
  return resolveMappingOptions(settings, format === 'ses' ? SES_SHAPE.defaultTags : EDR_CLOUD_SHAPE.defaultTags);
}

/** A function making `format`'s record of one incident; `context.originalText` is its JSON text when known. */
export function recordMaker(format: OutputFormat, options: MappingOptions): (incident: unknown, context: MappingContext) => OutputRecord {
  switch (format) {
    case 'ecs':
      return (incident, context) => toEcsDocument(incident, options, context);
    case 'ses':
      return (incident, context) => toEcsDocument(incident, options, context, SES_SHAPE);
    case 'ocsf':
      return (incident, context) => toOcsfDocument(incident, options, context);
    case 'raw':
      return (incident, context) => toRawRecord(incident, context);
  }
}

/**
 * The record for input that is not JSON at all, with the reasons: `format`'s error document (an ECS error
 * document for `raw`, since text that is not JSON cannot go out as received in NDJSON).
 */
export function errorRecord(
  format: OutputFormat,
  reasons: readonly string[],
  original: string,
  options: MappingOptions,
  now: number,
): object {
  if (format === 'ocsf') return toOcsfErrorDocument(reasons, original, { now });
  return toErrorDocument(reasons, original, options, { now }, format === 'ses' ? SES_SHAPE : EDR_CLOUD_SHAPE);
}

/**
 * The record for an incident whose document JSON cannot write (a field nested deeper than the stack):
 * `format`'s error document, with a bounded text of the incident.
 */
export function unwritableRecord(format: OutputFormat, incident: unknown, error: unknown, options: MappingOptions, now: number): object {
  const reason = error instanceof Error ? error.message : String(error);
  if (format === 'ocsf')
    return toOcsfErrorDocument([`incident: cannot be written as JSON (${reason})`], boundedJson(incident, MAX_BOUNDED_CHARS), { now });
  return toUnwritableDocument(incident, reason, options, { now }, format === 'ses' ? SES_SHAPE : EDR_CLOUD_SHAPE);
}

/** `record` as Firehose gets it. */
export function encodeOutputRecord(format: OutputFormat, record: OutputRecord): EncodedRecord {
  if (typeof record === 'string') return encodeRecord(record, { annotate: false });
  return encodeRecord(record, { annotate: true, layout: format === 'ocsf' ? 'ocsf' : 'ecs' });
}
