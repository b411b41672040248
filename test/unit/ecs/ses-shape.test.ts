/**
 * The `ses` output format against Elastic's own `symantec_endpoint_security` incident samples (the
 * pipeline test pair and the package's sample event). Deliberate differences, as for the
 * `symantec_edr_cloud` pair: the pipeline test lacks what Elastic's agent adds (`data_stream.*`,
 * `event.dataset`, `event.module`, the agent's tags); the sample event has the agent's and Fleet's own
 * fields (`agent`, `elastic_agent`, `input`, `event.agent_id_status`, `event.ingested`) and no
 * `event.module`, which we write as the `ses` shape says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toEcsDocument, toErrorDocument, toSesDocument } from '../../../functions/ecs/map-incident.js';
import { SES_SHAPE } from '../../../functions/ecs/incident-shape.js';
import { resolveMappingOptions } from '../../../functions/ecs/mapping-options.js';
import { mappingOptionsFor } from '../../../functions/output-records.js';
import { fixtureInputs } from '../../support/fixture-incidents.js';

const fixtureText = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

const inputLine = fixtureText('elastic_ses_incident_pipeline_test_input.ndjson').trim();
const [expected] = (JSON.parse(fixtureText('elastic_ses_incident_pipeline_test_expected.json')) as { expected: Record<string, any>[] })
  .expected;
const sampleEvent = JSON.parse(fixtureText('elastic_ses_incident_sample_event.json')) as Record<string, any>;
const NOW = Date.UTC(2024, 4, 1);

function withoutAgentConstants(document: object): Record<string, any> {
  const copy = structuredClone(document) as Record<string, any>;
  delete copy.data_stream;
  delete copy.event.dataset;
  delete copy.event.module;
  return copy;
}

function withoutAgentFields(document: Record<string, any>): Record<string, any> {
  const copy = structuredClone(document);
  for (const field of ['agent', 'elastic_agent', 'input']) delete copy[field];
  delete copy.event.agent_id_status;
  delete copy.event.ingested;
  return copy;
}

describe("the ses document on Elastic's symantec_endpoint_security samples", () => {
  it("is exactly the pipeline test's expected document with both preserve options on", () => {
    const options = resolveMappingOptions({ preserveOriginalEvent: true, preserveDuplicateCustomFields: true, tags: [] });

    const document = toSesDocument(JSON.parse(inputLine), options, { originalText: inputLine, now: NOW });

    expect(withoutAgentConstants(document)).toStrictEqual(expected);
  });

  it("is the package's sample event, default tags and data stream included, but for the agent's own fields and event.module", () => {
    const original = sampleEvent.event.original as string;
    const options = mappingOptionsFor('ses', {
      preserveOriginalEvent: true,
      preserveDuplicateCustomFields: true,
      namespace: sampleEvent.data_stream.namespace,
    });

    const document = toSesDocument(JSON.parse(original), options, { originalText: original, now: NOW }) as unknown as Record<string, any>;

    expect(document.event.module).toBe('symantec_endpoint_security');
    delete document.event.module;
    expect(document).toStrictEqual(withoutAgentFields(sampleEvent));
  });

  it('holds the same fields as the ecs document, under ses instead of symantec_edr_cloud, for every fixture', () => {
    for (const input of fixtureInputs()) {
      const ecs = toEcsDocument(input.value, resolveMappingOptions({ tags: [] }), {
        now: NOW,
        originalText: input.text,
      }) as unknown as Record<string, any>;
      const ses = toSesDocument(input.value, resolveMappingOptions({ tags: [] }), {
        now: NOW,
        originalText: input.text,
      }) as unknown as Record<string, any>;

      const { symantec_edr_cloud: custom, ...rest } = ecs;
      expect(ses, input.label).toStrictEqual({
        ...rest,
        ses: custom,
        data_stream: { ...rest.data_stream, dataset: 'symantec_endpoint_security.incident' },
        event: { ...rest.event, module: 'symantec_endpoint_security', dataset: 'symantec_endpoint_security.incident' },
      });
    }
  });

  it('writes the ses names into an error document', () => {
    const document = toErrorDocument(['input line 1: cannot read it as JSON'], 'nope', mappingOptionsFor('ses'), { now: NOW }, SES_SHAPE);

    expect(document).toMatchObject({
      event: {
        kind: 'pipeline_error',
        module: 'symantec_endpoint_security',
        dataset: 'symantec_endpoint_security.incident',
        original: 'nope',
      },
      ses: { incident: { category: 'Security' } },
      tags: ['preserve_original_event', 'forwarded', 'ses-incident'],
    });
    expect(document).not.toHaveProperty('symantec_edr_cloud');
  });
});
