import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toEcsDocument } from '../../../functions/ecs/map-incident.js';
import type { EcsIncidentDocument } from '../../../functions/ecs/document-types.js';
import { resolveMappingOptions } from '../../../functions/ecs/mapping-options.js';
import { anyIncidentInput, realisticIncident } from '../../support/incident-arbitrary.js';

const OUTPUT_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INCIDENT_DATE_FIELDS = ['time', 'device_time', 'created', 'modified', 'log_time'];

const optionsArbitrary = fc
  .record({
    preserveOriginalEvent: fc.boolean(),
    preserveDuplicateCustomFields: fc.boolean(),
    tags: fc.option(fc.array(fc.string(), { maxLength: 3 }), { nil: undefined }),
  })
  .map((options) => resolveMappingOptions(options));

/** Paths of every `null`, `undefined`, `""`, `{}` and `[]` in `value`. */
function emptyValuePaths(value: unknown, path = '$'): string[] {
  if (value === null || value === undefined || value === '') return [path];
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((item, i) => emptyValuePaths(item, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([key, child]) => emptyValuePaths(child, `${path}.${key}`));
  }
  return [];
}

function dateFields(document: EcsIncidentDocument): unknown[] {
  const incident = document.symantec_edr_cloud.incident as Record<string, unknown>;
  return [document['@timestamp'], document.event.created, ...INCIDENT_DATE_FIELDS.map((field) => incident[field])].filter(
    (value) => value !== undefined,
  );
}

describe('toEcsDocument properties', () => {
  it('makes exactly one JSON object of any input, without throwing', () => {
    fc.assert(
      fc.property(anyIncidentInput, optionsArbitrary, (input, options) => {
        const document = toEcsDocument(input, options);

        const line = JSON.stringify(document);
        expect(line).not.toContain('\n');
        const parsed = JSON.parse(line) as unknown;
        expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
        expect(document.ecs.version).toBe('8.11.0');
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves no null or empty value anywhere in the document', () => {
    fc.assert(
      fc.property(anyIncidentInput, optionsArbitrary, (input, options) => {
        const document = toEcsDocument(input, options);

        expect(emptyValuePaths(document)).toEqual([]);
        expect(emptyValuePaths(JSON.parse(JSON.stringify(document)))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes every date field in the output format', () => {
    fc.assert(
      fc.property(anyIncidentInput, (input) => {
        for (const value of dateFields(toEcsDocument(input, resolveMappingOptions({ preserveDuplicateCustomFields: true })))) {
          expect(value).toMatch(OUTPUT_DATE);
          expect(Number.isNaN(Date.parse(value as string))).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('marks a document pipeline_error exactly when it reports errors, and then keeps the original', () => {
    fc.assert(
      fc.property(anyIncidentInput, optionsArbitrary, (input, options) => {
        const document = toEcsDocument(input, options);

        const failed = document.error !== undefined;
        expect(document.event.kind).toBe(failed ? 'pipeline_error' : 'alert');
        if (failed) {
          expect(document.error?.message.length).toBeGreaterThan(0);
          expect(document.event.original).toBeTypeOf('string');
          expect(document.tags?.[0]).toBe('preserve_original_event');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('maps realistic incidents, unknown enumeration values included, without errors', () => {
    fc.assert(
      fc.property(realisticIncident, optionsArbitrary, (incident, options) => {
        const document = toEcsDocument(incident, options);

        expect(document.error).toBeUndefined();
        expect(document['@timestamp']).toBe(new Date(Number(incident.time)).toISOString());
        expect(document.event.id).toBe(incident.incident_uid);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same document for the same input', () => {
    fc.assert(
      fc.property(anyIncidentInput, optionsArbitrary, (input, options) => {
        expect(toEcsDocument(input, options, { now: 0 })).toStrictEqual(toEcsDocument(input, options, { now: 0 }));
      }),
      { numRuns: 300 },
    );
  });
});
