import fc from 'fast-check';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { FINDING_ATTRIBUTES, glueColumns, type FindingAttribute } from '../../../functions/ocsf/finding-columns.js';
import { findingsToParquet } from '../../../functions/ocsf/finding-parquet.js';
import type { OcsfIncidentFinding } from '../../../functions/ocsf/incident-finding.js';
import { toOcsfDocument } from '../../../functions/ocsf/map-incident.js';
import { fixtureInputs } from '../../support/fixture-incidents.js';
import { anyIncidentInput } from '../../support/incident-arbitrary.js';
import { classDefinition, objectDefinition, type Definition } from '../../support/ocsf-validator.js';
import { plainRow } from '../../support/parquet-rows.js';

const NOW = Date.UTC(2024, 4, 1);

async function readBack(bytes: Uint8Array): Promise<unknown[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file })).map(plainRow);
}

const byTime = (findings: OcsfIncidentFinding[]) => [...findings].sort((a, b) => a.time - b.time);

describe('findingsToParquet', () => {
  it('writes every finding of every fixture, and hyparquet reads each back as it was, sorted by time', async () => {
    const findings = fixtureInputs().map((input) =>
      toOcsfDocument(input.value, { preserveOriginalEvent: true }, { now: NOW, originalText: input.text }),
    );

    const rows = await readBack(findingsToParquet(findings));

    expect(rows).toEqual(JSON.parse(JSON.stringify(byTime(findings))));
  });

  it('reads back whatever the mapping makes of any input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyIncidentInput, { minLength: 1, maxLength: 20 }), async (inputs) => {
        const findings = inputs.map((input, index) =>
          toOcsfDocument(input, { preserveOriginalEvent: index % 2 === 0 }, { now: NOW + index }),
        );

        const rows = await readBack(findingsToParquet(findings));

        expect(rows).toEqual(JSON.parse(JSON.stringify(byTime(findings))));
      }),
      { numRuns: 60 },
    );
  });

  it('has one column per attribute of the definition, the same ones the Glue columns list', () => {
    const bytes = findingsToParquet([toOcsfDocument({ incident_uid: 'u' }, undefined, { now: NOW })]);

    const schema = parquetSchema(parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer));

    expect(schema.children.map((child) => child.element.name)).toEqual(glueColumns().map((column) => column.name));
    expect(glueColumns().find((column) => column.name === 'finding_info_list')?.type).toBe(
      'array<struct<uid:string,title:string,types:array<string>,created_time:bigint,modified_time:bigint,analytic:struct<name:string,type_id:int,type:string>>>',
    );
  });
});

describe('the finding definition', () => {
  const INCIDENT_FINDING = classDefinition('findings/incident_finding');

  it('names only attributes of the OCSF 1.1.0 class and its objects, with their types', () => {
    const problems: string[] = [];
    const check = (attributes: readonly FindingAttribute[], definition: Definition, path: string) => {
      for (const attribute of attributes) {
        const declared = definition.attributes.get(attribute.name);
        if (declared === undefined) {
          problems.push(`${path}${attribute.name}: not in OCSF`);
          continue;
        }
        if ((declared.isArray ? true : undefined) !== attribute.isArray) problems.push(`${path}${attribute.name}: array or not`);
        const type = attribute.type;
        if ('scalar' in type) {
          if (type.scalar !== 'json' && declared.type !== type.scalar && !(declared.type === 'url_t' && type.scalar === 'string_t'))
            problems.push(`${path}${attribute.name}: ${declared.type}, not ${type.scalar}`);
          if (type.scalar === 'json' && declared.type !== 'object')
            problems.push(`${path}${attribute.name}: ${declared.type}, not an object`);
        } else if (declared.type !== type.object) {
          problems.push(`${path}${attribute.name}: ${declared.type}, not ${type.object}`);
        } else {
          check(type.attributes, objectDefinition(type.object), `${path}${attribute.name}.`);
        }
      }
    };

    check(FINDING_ATTRIBUTES, INCIDENT_FINDING, '');

    expect(problems).toEqual([]);
  });

  it('holds every attribute the mapping writes', () => {
    fc.assert(
      fc.property(anyIncidentInput, (input) => {
        const document = toOcsfDocument(input, { preserveOriginalEvent: true }, { now: NOW }) as unknown as Record<string, unknown>;

        expect(Object.keys(document).filter((key) => !FINDING_ATTRIBUTES.some((attribute) => attribute.name === key))).toEqual([]);
      }),
    );
  });
});
