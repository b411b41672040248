/**
 * Checks a document against an OCSF 1.1.0 class as the schema files define it (test/fixtures/ocsf-1.1.0,
 * copied from ocsf/ocsf-schema at tag v1.1.0). The class and every object it reaches are resolved the
 * way the OCSF schema server resolves them: `$include` files and `extends` chains merged, each attribute's
 * dictionary entry under its class or object overrides, enumerations merged. Profiles are left out.
 *
 * Reported, one sentence per problem with its path: a required attribute missing, an attribute the class
 * or object does not define (`unmapped` aside), a value of the wrong type (`timestamp_t`: epoch
 * milliseconds as an integer), an `_id` outside its enumeration, a sibling caption that is not the
 * enumeration's caption, and an unmet `at_least_one` / `just_one` constraint.
 */
import { existsSync, readFileSync } from 'node:fs';

const SCHEMA_ROOT = new URL('../fixtures/ocsf-1.1.0/', import.meta.url);
const OTHER = '99';

export interface Attribute {
  readonly type: string;
  readonly isArray: boolean;
  readonly requirement: string | undefined;
  readonly enumeration: ReadonlyMap<string, string> | undefined;
  readonly sibling: string | undefined;
}

export interface Definition {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, Attribute>;
  readonly constraints: Readonly<Record<string, readonly string[]>>;
}

type Json = Record<string, any>;

function readSchemaFile(path: string): Json {
  const url = new URL(path, SCHEMA_ROOT);
  if (!existsSync(url)) throw new Error(`OCSF schema file ${path} is not among the test fixtures: copy it from ocsf/ocsf-schema v1.1.0`);
  return JSON.parse(readFileSync(url, 'utf8')) as Json;
}

const dictionary = readSchemaFile('dictionary.json');
const TYPES = dictionary.types.attributes as Record<string, Json>;
const DICTIONARY = dictionary.attributes as Record<string, Json>;

/** A scalar type reduced to the base type its values are checked against (`timestamp_t` is `long_t`). */
function baseType(type: string): string {
  let current = type;
  while (TYPES[current]?.type !== undefined) current = TYPES[current]!.type as string;
  return current;
}

/** The attributes a schema file declares, its `$include` files first (profiles are not applied). */
function declaredAttributes(file: Json): Record<string, Json> {
  const merged: Record<string, Json> = {};
  for (const include of (file.attributes?.$include ?? []) as string[]) {
    if (include.startsWith('profiles/')) continue;
    mergeAttributes(merged, readSchemaFile(include).attributes as Record<string, Json>);
  }
  const own = { ...(file.attributes as Record<string, Json>) };
  delete own.$include;
  mergeAttributes(merged, own);
  return merged;
}

/** Later declarations override earlier ones field by field; enumerations merge value by value. */
function mergeAttributes(into: Record<string, Json>, from: Record<string, Json>): void {
  for (const [name, declaration] of Object.entries(from)) {
    const earlier = into[name] ?? {};
    into[name] = { ...earlier, ...declaration, enum: mergeEnums(earlier.enum, declaration.enum) };
  }
}

function mergeEnums(a: Json | undefined, b: Json | undefined): Json | undefined {
  if (a === undefined && b === undefined) return undefined;
  const merged: Json = { ...(a ?? {}) };
  for (const [value, entry] of Object.entries(b ?? {})) merged[value] = { ...(merged[value] ?? {}), ...(entry as Json) };
  return merged;
}

/** The observable type ids OCSF derives from the data types (and objects) that name one. */
function observableTypes(): Json {
  const values: Json = {};
  for (const [, type] of Object.entries(TYPES))
    if (type.observable !== undefined) values[String(type.observable)] = { caption: type.caption };
  return values;
}

function resolve(chain: Json[], name: string, classEnums: Record<string, Json> = {}): Definition {
  const declared: Record<string, Json> = {};
  // The root of the chain first, so that each extension overrides what it extends.
  for (const file of [...chain].reverse()) mergeAttributes(declared, declaredAttributes(file));
  for (const [attribute, enumeration] of Object.entries(classEnums)) declared[attribute] = { ...declared[attribute], enum: enumeration };
  const attributes = new Map<string, Attribute>();
  for (const [attribute, declaration] of Object.entries(declared)) {
    const entry = DICTIONARY[attribute];
    if (entry === undefined) throw new Error(`OCSF attribute ${name}.${attribute} is not in the dictionary`);
    let enumeration =
      attribute in classEnums
        ? (declaration.enum as Json)
        : mergeEnums(entry.enum as Json | undefined, declaration.enum as Json | undefined);
    if (name === 'observable' && attribute === 'type_id') enumeration = mergeEnums(enumeration, observableTypes());
    attributes.set(attribute, {
      type: (declaration.type ?? entry.type) as string,
      isArray: entry.is_array === true,
      requirement: declaration.requirement as string | undefined,
      enumeration:
        enumeration === undefined
          ? undefined
          : new Map(Object.entries(enumeration).map(([value, e]) => [value, (e as Json).caption as string])),
      sibling: entry.sibling as string | undefined,
    });
  }
  const constraints: Record<string, string[]> = {};
  for (const file of [...chain].reverse()) Object.assign(constraints, file.constraints ?? {});
  return { name, attributes, constraints };
}

const objects = new Map<string, Definition>();

export function objectDefinition(name: string): Definition {
  let definition = objects.get(name);
  if (definition === undefined) {
    const chain: Json[] = [];
    for (let file: Json | undefined = readSchemaFile(`objects/${name}.json`); file !== undefined; ) {
      chain.push(file);
      file = file.extends === undefined ? undefined : readSchemaFile(`objects/${file.extends as string}.json`);
    }
    definition = resolve(chain, name);
    objects.set(name, definition);
  }
  return definition;
}

/** A class under `events/`, e.g. `findings/incident_finding`, with the classes it extends. */
export function classDefinition(path: string): Definition {
  const chain: Json[] = [];
  for (let file: Json | undefined = readSchemaFile(`events/${path}.json`); file !== undefined; ) {
    chain.push(file);
    file = file.extends === undefined ? undefined : readSchemaFile(`events/${file.extends as string}.json`);
  }
  return resolve(chain, path, classificationEnums(chain[0] as Json, declaredActivities(chain)));
}

/**
 * What the schema server computes for a class: its own `class_uid` (category uid x 1000 + class uid), its
 * category's `category_uid`, and one `type_uid` per activity (class_uid x 100 + activity_id), captioned
 * `<class caption>: <activity caption>`.
 */
function classificationEnums(file: Json, activities: Record<string, string>): Record<string, Json> {
  const category = (readSchemaFile('categories.json').attributes as Record<string, Json>)[file.category as string];
  if (category === undefined) throw new Error(`OCSF category ${String(file.category)} is not in categories.json`);
  const classUid = (category.uid as number) * 1000 + (file.uid as number);
  const types: Json = {};
  for (const [activity, caption] of Object.entries(activities))
    types[String(classUid * 100 + Number(activity))] = { caption: `${file.caption as string}: ${caption}` };
  return {
    class_uid: { [String(classUid)]: { caption: file.caption } },
    category_uid: { [String(category.uid)]: { caption: category.caption } },
    type_uid: types,
  };
}

function declaredActivities(chain: Json[]): Record<string, string> {
  const declared: Record<string, Json> = {};
  for (const file of [...chain].reverse()) mergeAttributes(declared, declaredAttributes(file));
  const enumeration = mergeEnums(DICTIONARY.activity_id?.enum as Json | undefined, declared.activity_id?.enum as Json | undefined) ?? {};
  return Object.fromEntries(Object.entries(enumeration).map(([value, entry]) => [value, (entry as Json).caption as string]));
}

/** Every problem of `document` against `definition`, each prefixed with its path (`$` is the document). */
export function validateOcsf(document: unknown, definition: Definition): string[] {
  const problems: string[] = [];
  checkObject(document, definition, '$', problems);
  return problems;
}

function checkObject(value: unknown, definition: Definition, path: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: must be a ${definition.name} object, not ${JSON.stringify(value)}`);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [name, attribute] of definition.attributes) {
    if (attribute.requirement === 'required' && record[name] === undefined)
      problems.push(`${path}.${name}: required by ${definition.name}, missing`);
  }
  for (const [name, child] of Object.entries(record)) {
    const attribute = definition.attributes.get(name);
    if (attribute === undefined) {
      if (name !== 'unmapped') problems.push(`${path}.${name}: not an attribute of ${definition.name}`);
      continue;
    }
    if (attribute.isArray) {
      if (!Array.isArray(child)) problems.push(`${path}.${name}: must be an array`);
      else child.forEach((item, index) => checkValue(item, attribute, `${path}.${name}[${index}]`, problems));
    } else {
      checkValue(child, attribute, `${path}.${name}`, problems);
    }
    if (attribute.enumeration !== undefined) checkEnumeration(record, name, attribute, path, problems);
  }
  for (const [kind, names] of Object.entries(definition.constraints)) {
    const present = names.filter((name) => record[name] !== undefined).length;
    if (kind === 'at_least_one' && present === 0) problems.push(`${path}: constraint at_least_one of ${names.join(', ')} not met`);
    if (kind === 'just_one' && present !== 1)
      problems.push(`${path}: constraint just_one of ${names.join(', ')} not met (${present} present)`);
  }
}

function checkEnumeration(record: Record<string, unknown>, name: string, attribute: Attribute, path: string, problems: string[]): void {
  const value = record[name];
  const caption = attribute.enumeration?.get(String(value));
  if (caption === undefined) {
    problems.push(
      `${path}.${name}: ${JSON.stringify(value)} is not in its enumeration (${[...(attribute.enumeration?.keys() ?? [])].join(', ')})`,
    );
    return;
  }
  const sibling = attribute.sibling === undefined ? undefined : record[attribute.sibling];
  if (sibling !== undefined && String(value) !== OTHER && sibling !== caption) {
    problems.push(
      `${path}.${attribute.sibling}: ${JSON.stringify(sibling)} is not the caption of ${name} ${String(value)} (${JSON.stringify(caption)})`,
    );
  }
}

const INT32 = 2 ** 31;

function checkValue(value: unknown, attribute: Attribute, path: string, problems: string[]): void {
  const type = attribute.type;
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push(`${path}: must be an object`);
    return;
  }
  if (TYPES[type] === undefined) {
    checkObject(value, objectDefinition(type), path, problems);
    return;
  }
  const base = baseType(type);
  const fits =
    base === 'string_t'
      ? typeof value === 'string'
      : base === 'integer_t'
        ? Number.isInteger(value) && Math.abs(value as number) < INT32
        : base === 'long_t'
          ? Number.isSafeInteger(value)
          : base === 'float_t'
            ? typeof value === 'number' && Number.isFinite(value)
            : base === 'boolean_t'
              ? typeof value === 'boolean'
              : base === 'json_t'
                ? value !== undefined
                : false;
  if (!fits) problems.push(`${path}: ${JSON.stringify(value)} is not a ${type}${type === base ? '' : ` (${base})`}`);
}
