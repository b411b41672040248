/**
 * OCSF findings to one Parquet object, the form Amazon Security Lake takes from a custom source: one row
 * per finding, sorted by `time` (as Security Lake asks), every attribute of `FINDING_ATTRIBUTES` a column
 * (objects as groups, arrays as three-level LISTs, `unmapped` as JSON text), SNAPPY-compressed.
 */
import { parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import { FINDING_ATTRIBUTES, type FindingAttribute, type ScalarType } from './finding-columns.js';
import type { OcsfIncidentFinding } from './incident-finding.js';

const PARQUET_SCALARS: Readonly<Record<ScalarType, Omit<SchemaElement, 'name'>>> = {
  string_t: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  integer_t: { type: 'INT32' },
  long_t: { type: 'INT64' },
  timestamp_t: { type: 'INT64' },
  boolean_t: { type: 'BOOLEAN' },
  json: { type: 'BYTE_ARRAY', converted_type: 'JSON' },
};

/** The Parquet schema of the findings, depth first as Parquet lists it. */
export function findingParquetSchema(): SchemaElement[] {
  return [{ name: 'root', num_children: FINDING_ATTRIBUTES.length }, ...FINDING_ATTRIBUTES.flatMap((attribute) => schemaOf(attribute))];
}

function schemaOf(attribute: FindingAttribute): SchemaElement[] {
  const value = valueSchema(attribute.isArray ? 'element' : attribute.name, attribute);
  if (!attribute.isArray) return value;
  return [
    { name: attribute.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    ...value,
  ];
}

function valueSchema(name: string, attribute: FindingAttribute): SchemaElement[] {
  const type = attribute.type;
  if ('scalar' in type) return [{ name, repetition_type: 'OPTIONAL', ...PARQUET_SCALARS[type.scalar] }];
  return [
    { name, repetition_type: 'OPTIONAL', num_children: type.attributes.length },
    ...type.attributes.flatMap((child) => schemaOf(child)),
  ];
}

/** The Parquet bytes of `findings`, sorted by time; `findings` itself is left as it is. */
export function findingsToParquet(findings: readonly OcsfIncidentFinding[]): Uint8Array {
  const rows = [...findings].sort((a, b) => a.time - b.time) as unknown as Record<string, unknown>[];
  const columnData = FINDING_ATTRIBUTES.map((attribute) => ({
    name: attribute.name,
    data: rows.map((row) => columnValue(row[attribute.name], attribute)),
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData, schema: findingParquetSchema() }));
}

/** A value as the writer takes it: absent is null, a long is a bigint, an object keeps only known attributes. */
function columnValue(value: unknown, attribute: FindingAttribute): unknown {
  if (value === undefined || value === null) return null;
  if (attribute.isArray) return Array.isArray(value) ? value.map((item) => elementValue(item, attribute)) : null;
  return elementValue(value, attribute);
}

function elementValue(value: unknown, attribute: FindingAttribute): unknown {
  const type = attribute.type;
  if ('scalar' in type) return type.scalar === 'long_t' || type.scalar === 'timestamp_t' ? BigInt(value as number) : value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const child of type.attributes) out[child.name] = columnValue(record[child.name], child);
  return out;
}
