/**
 * Every ECS field the mapping writes (all but `symantec_edr_cloud.*`) must exist in the ECS 8.11 catalogue
 * of `@elastic/ecs` with a type its value fits, and `event.kind`/`category`/`type` must take ECS's allowed
 * values. Checked over every incident of every fixture, with every combination of the options, and over
 * generated incidents.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { EcsFlat } from '@elastic/ecs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toEcsDocument } from '../../../functions/ecs/map-incident.js';
import { resolveMappingOptions, type MappingOptions } from '../../../functions/ecs/mapping-options.js';
import { anyIncidentInput, realisticIncident } from '../../support/incident-arbitrary.js';

interface CatalogueField {
  type: string;
  allowed_values?: { name: string; expected_event_types?: string[] }[];
}
const catalogue = EcsFlat as unknown as Record<string, CatalogueField>;
const OUTPUT_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function fitsType(type: string, value: unknown): boolean {
  switch (type) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'match_only_text':
    case 'text':
      return typeof value === 'string';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      return Number.isSafeInteger(value);
    case 'float':
    case 'double':
    case 'half_float':
    case 'scaled_float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'date':
      return typeof value === 'string' && OUTPUT_DATE.test(value) && !Number.isNaN(Date.parse(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'ip':
      return typeof value === 'string' && isIP(value) !== 0;
    default:
      return false;
  }
}

/** `[path, value]` for every leaf of the ECS part of `document`; array elements are leaves of their path. */
function ecsLeaves(value: unknown, path = ''): [string, unknown][] {
  if (path === 'symantec_edr_cloud') return [];
  if (Array.isArray(value)) return value.flatMap((item) => ecsLeaves(item, path));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, child]) => ecsLeaves(child, path === '' ? key : `${path}.${key}`));
  }
  return [[path, value]];
}

/** The problems of one document; empty when it conforms. */
function conformanceProblems(document: object): string[] {
  const problems: string[] = [];
  for (const [path, value] of ecsLeaves(document)) {
    const field = catalogue[path];
    if (field === undefined) problems.push(`${path} is not an ECS field`);
    else if (!fitsType(field.type, value)) problems.push(`${path} = ${JSON.stringify(value)} does not fit ECS type ${field.type}`);
  }
  const event = (document as { event?: Record<string, unknown> }).event ?? {};
  const categories = [event.category ?? []].flat() as string[];
  const types = [event.type ?? []].flat() as string[];
  const allowed = (path: string) => catalogue[path]?.allowed_values ?? [];
  for (const [path, values] of [
    ['event.kind', [event.kind]],
    ['event.category', categories],
    ['event.type', types],
  ] as const) {
    for (const value of values) {
      if (!allowed(path).some((entry) => entry.name === value)) problems.push(`${path} = ${JSON.stringify(value)} is not an allowed value`);
    }
  }
  // ECS names the event types each category expects; each type written must be expected by a category.
  const expectedTypes = new Set(
    allowed('event.category')
      .filter((entry) => categories.includes(entry.name))
      .flatMap((entry) => entry.expected_event_types ?? []),
  );
  for (const type of types)
    if (!expectedTypes.has(type)) problems.push(`event.type ${type} is not expected for categories ${categories.join(', ')}`);
  return problems;
}

const fixtureIncidents = (name: string): unknown[] => {
  const text = readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
  if (name.endsWith('.ndjson'))
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
  const value = JSON.parse(text) as { incidents?: unknown[] };
  return value.incidents ?? [value];
};

const FIXTURES = [
  'elastic_edr_cloud_pipeline_test_input.ndjson',
  'elastic_ses_mock_incidents_page1_next0.json',
  'elastic_ses_mock_incidents_page2_next1.json',
  'xsoar_SymantecICDM_icdm_incidents_without_events.json',
  'xsoar_SymantecICDM_icdm_incidents_with_events.json',
  'sumologic_ses_app_sample_event_log.json',
];

const OPTION_SETS: MappingOptions[] = [false, true].flatMap((preserveOriginalEvent) =>
  [false, true].map((preserveDuplicateCustomFields) => resolveMappingOptions({ preserveOriginalEvent, preserveDuplicateCustomFields })),
);

describe('ECS conformance', () => {
  it.each(FIXTURES)('holds for every incident of %s with every option set', (name) => {
    const incidents = fixtureIncidents(name);

    const problems = incidents.flatMap((incident) =>
      OPTION_SETS.flatMap((options) => conformanceProblems(toEcsDocument(incident, options))),
    );

    expect(incidents.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('maps the public sample pages without errors, also with the 8-digit event_id', () => {
    const documents = FIXTURES.flatMap(fixtureIncidents).map((incident) => toEcsDocument(incident));

    expect(documents.filter((document) => document.error !== undefined)).toEqual([]);
    expect(documents.map((document) => document.event.kind)).toEqual(documents.map(() => 'alert'));
    expect(documents.map((document) => document.symantec_edr_cloud.incident.event)).toEqual(
      documents.map(() => expect.stringMatching(/^Incident (Creation|Update): Logged$/)),
    );
  });

  it('holds for generated incidents and arbitrary JSON', () => {
    fc.assert(
      fc.property(anyIncidentInput, fc.constantFrom(...OPTION_SETS), (incident, options) => {
        expect(conformanceProblems(toEcsDocument(incident, options))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the problems it looks for', () => {
    const bad = {
      event: { kind: 'incident', category: ['malware'], type: ['creation'], severity: 'high' },
      url: { port: 1.5 },
      made_up: { field: 'x' },
    };

    expect(conformanceProblems(bad)).toEqual([
      'event.severity = "high" does not fit ECS type long',
      'url.port = 1.5 does not fit ECS type long',
      'made_up.field is not an ECS field',
      'event.kind = "incident" is not an allowed value',
      'event.type creation is not expected for categories malware',
    ]);
  });

  it('covers the categorised conclusions of generated incidents', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(realisticIncident, (incident) => {
        const document = toEcsDocument(incident);
        kinds.add(String(document.event.category));
        expect(conformanceProblems(document)).toEqual([]);
      }),
      { numRuns: 300 },
    );

    expect(kinds).toEqual(new Set(['malware', 'intrusion_detection', 'threat,network', 'threat', 'undefined']));
  });
});
