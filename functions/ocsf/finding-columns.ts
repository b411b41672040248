/**
 * The attributes of the Incident Finding this project writes, with their OCSF 1.1.0 types: the one
 * definition the Parquet writer and the Glue table columns are generated from. Tests check it both ways:
 * each attribute and type against the OCSF schema files, and each mapped document against it.
 */

/** OCSF scalar types used here; `json` is `unmapped`, an object of any shape, written as its JSON text. */
export type ScalarType = 'string_t' | 'integer_t' | 'long_t' | 'timestamp_t' | 'boolean_t' | 'json';

export type AttributeType = { readonly scalar: ScalarType } | { readonly object: string; readonly attributes: readonly FindingAttribute[] };

export interface FindingAttribute {
  readonly name: string;
  readonly type: AttributeType;
  readonly isArray?: true;
}

const scalar = (name: string, type: ScalarType, isArray?: true): FindingAttribute => ({
  name,
  type: { scalar: type },
  ...(isArray ? { isArray } : {}),
});
const object = (name: string, objectName: string, attributes: readonly FindingAttribute[], isArray?: true): FindingAttribute => ({
  name,
  type: { object: objectName, attributes },
  ...(isArray ? { isArray } : {}),
});

export const FINDING_ATTRIBUTES: readonly FindingAttribute[] = Object.freeze([
  scalar('class_uid', 'integer_t'),
  scalar('class_name', 'string_t'),
  scalar('category_uid', 'integer_t'),
  scalar('category_name', 'string_t'),
  scalar('activity_id', 'integer_t'),
  scalar('activity_name', 'string_t'),
  scalar('type_uid', 'long_t'),
  scalar('type_name', 'string_t'),
  scalar('time', 'timestamp_t'),
  scalar('start_time', 'timestamp_t'),
  scalar('end_time', 'timestamp_t'),
  scalar('severity_id', 'integer_t'),
  scalar('severity', 'string_t'),
  scalar('status_id', 'integer_t'),
  scalar('status', 'string_t'),
  scalar('priority_id', 'integer_t'),
  scalar('verdict_id', 'integer_t'),
  scalar('verdict', 'string_t'),
  scalar('is_suspected_breach', 'boolean_t'),
  scalar('src_url', 'string_t'),
  scalar('desc', 'string_t'),
  scalar('message', 'string_t'),
  object(
    'finding_info_list',
    'finding_info',
    [
      scalar('uid', 'string_t'),
      scalar('title', 'string_t'),
      scalar('types', 'string_t', true),
      scalar('created_time', 'timestamp_t'),
      scalar('modified_time', 'timestamp_t'),
      object('analytic', 'analytic', [scalar('name', 'string_t'), scalar('type_id', 'integer_t'), scalar('type', 'string_t')]),
    ],
    true,
  ),
  object('metadata', 'metadata', [
    scalar('version', 'string_t'),
    object('product', 'product', [scalar('name', 'string_t'), scalar('vendor_name', 'string_t'), scalar('uid', 'string_t')]),
    scalar('log_provider', 'string_t'),
    scalar('uid', 'string_t'),
    scalar('correlation_uid', 'string_t'),
    scalar('tenant_uid', 'string_t'),
    scalar('original_time', 'string_t'),
  ]),
  object(
    'observables',
    'observable',
    [scalar('name', 'string_t'), scalar('type_id', 'integer_t'), scalar('type', 'string_t'), scalar('value', 'string_t')],
    true,
  ),
  scalar('raw_data', 'string_t'),
  scalar('unmapped', 'json'),
]);

const GLUE_SCALARS: Readonly<Record<ScalarType, string>> = {
  string_t: 'string',
  integer_t: 'int',
  long_t: 'bigint',
  timestamp_t: 'bigint',
  boolean_t: 'boolean',
  json: 'string',
};

/** The Glue (Hive) type of an attribute, e.g. `array<struct<uid:string,title:string>>`. */
export function glueTypeOf(attribute: FindingAttribute): string {
  const type = attribute.type;
  const base =
    'scalar' in type
      ? GLUE_SCALARS[type.scalar]
      : `struct<${type.attributes.map((child) => `${child.name}:${glueTypeOf(child)}`).join(',')}>`;
  return attribute.isArray ? `array<${base}>` : base;
}

/** The columns of a Glue table that holds the findings (for Firehose's record format conversion). */
export function glueColumns(): { name: string; type: string }[] {
  return FINDING_ATTRIBUTES.map((attribute) => ({ name: attribute.name, type: glueTypeOf(attribute) }));
}
