/**
 * One document becomes one Firehose record: newline-terminated JSON. A document too large for a record is
 * shrunk, never dropped: first the incident's own text goes (`event.original`; `raw_data` in OCSF), then
 * the longest strings are cut, and the document says so (`error.message`; `unmapped.error` in OCSF).
 */

/** Firehose takes records of at most 1,000 KiB (before base64). */
export const MAX_RECORD_BYTES = 1_000 * 1024;
const CUT_MARKER = '…[cut]';
const MAX_CUT_ROUNDS = 64;

export interface EncodedRecord {
  readonly data: Buffer;
  /** What shrinking did, for the log; absent when the document fit. */
  readonly shrunk?: readonly string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface EncodingOptions {
  /** Say in the document what shrinking did (not for raw incidents, which must stay as received). */
  readonly annotate: boolean;
  /** `ocsf` for an OCSF finding; otherwise an ECS document (`symantec_edr_cloud` or `ses` names). */
  readonly layout?: 'ecs' | 'ocsf';
}

/** `document` is an object, or JSON text already serialised (the raw format). */
export function encodeRecord(document: object | string, options: EncodingOptions = { annotate: true }): EncodedRecord {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  // Most documents are a few KiB: the UTF-16 length bounds the UTF-8 bytes by 3x, skip measuring when small.
  if (text.length * 3 < MAX_RECORD_BYTES || Buffer.byteLength(text) < MAX_RECORD_BYTES) {
    return { data: lineBytes(text) };
  }
  const copy = typeof document === 'string' ? JSON.parse(document) : structuredClone(document);
  return shrink(copy as { [key: string]: Json }, options.annotate, options.layout === 'ocsf' ? OCSF_LAYOUT : ECS_LAYOUT);
}

/** Where a document keeps the incident's own text and its error notes, and what its identity is. */
interface Layout {
  /** Where the incident's own text is kept, for the note saying it was removed. */
  readonly originalField: string;
  removeOriginal(document: { [key: string]: Json }): boolean;
  withNotes(document: { [key: string]: Json }, notes: string[]): { [key: string]: Json };
  minimal(document: { [key: string]: Json }, notes: string[]): { [key: string]: Json };
}

const ECS_LAYOUT: Layout = {
  originalField: 'event.original',
  removeOriginal(document) {
    const event = document.event;
    if (!isObject(event) || typeof event.original !== 'string') return false;
    delete event.original;
    return true;
  },
  withNotes(document, notes) {
    const existing = isObject(document.error) ? document.error.message : undefined;
    const messages = [...(Array.isArray(existing) ? existing : typeof existing === 'string' ? [existing] : []), ...notes];
    return { ...document, error: { ...(isObject(document.error) ? document.error : {}), message: messages } };
  },
  minimal: minimalDocument,
};

const OCSF_LAYOUT: Layout = {
  originalField: 'raw_data',
  removeOriginal(document) {
    if (typeof document.raw_data !== 'string') return false;
    delete document.raw_data;
    return true;
  },
  withNotes(document, notes) {
    const unmapped = isObject(document.unmapped) ? document.unmapped : {};
    const existing = unmapped.error;
    return { ...document, unmapped: { ...unmapped, error: [...(Array.isArray(existing) ? existing : []), ...notes] } };
  },
  minimal(document, notes) {
    const keep = [
      'class_uid',
      'class_name',
      'category_uid',
      'category_name',
      'activity_id',
      'activity_name',
      'type_uid',
      'type_name',
      'time',
      'severity_id',
      'severity',
      'status_id',
      'status',
    ];
    const minimal = pick(document, keep);
    const info = Array.isArray(document.finding_info_list) && isObject(document.finding_info_list[0]) ? document.finding_info_list[0] : {};
    minimal.finding_info_list = [pick(info, ['uid', 'title'])];
    const metadata = isObject(document.metadata) ? document.metadata : {};
    minimal.metadata = pick(metadata, ['version', 'product', 'log_provider', 'uid']);
    minimal.unmapped = { error: [...notes, 'document replaced by its identity: no cut made it fit the record limit'] };
    return minimal;
  },
};

// Records are written side by side into shared blocks: one allocation per hundred-odd records instead
// of one each, and no `${text}\n` copy; turning a page of 2,000 documents into bytes takes about a third
// less time than `Buffer.from(`${text}\n`)` did. A block is freed with the last record that points into
// it; the records of a page are dropped together once delivered.
const BLOCK_BYTES = 256 * 1024;
let block = Buffer.allocUnsafe(0);
let blockUsed = 0;

/** `text` and a newline as UTF-8. */
function lineBytes(text: string): Buffer {
  // A UTF-16 unit is at most 3 bytes of UTF-8.
  const atMost = text.length * 3 + 1;
  if (atMost > BLOCK_BYTES / 4) return Buffer.from(`${text}\n`);
  if (block.length - blockUsed < atMost) {
    block = Buffer.allocUnsafe(BLOCK_BYTES);
    blockUsed = 0;
  }
  const written = block.write(text, blockUsed, 'utf8');
  block[blockUsed + written] = 0x0a;
  const data = block.subarray(blockUsed, blockUsed + written + 1);
  blockUsed += written + 1;
  return data;
}

function shrink(document: { [key: string]: Json }, annotate: boolean, layout: Layout): EncodedRecord {
  const notes: string[] = [];
  if (layout.removeOriginal(document)) {
    notes.push(`${layout.originalField} removed: the document exceeded the 1,000 KiB Firehose record limit`);
  }
  for (let round = 0; round < MAX_CUT_ROUNDS; round++) {
    const text = !annotate || notes.length === 0 ? JSON.stringify(document) : JSON.stringify(layout.withNotes(document, notes));
    const bytes = Buffer.byteLength(text);
    if (bytes < MAX_RECORD_BYTES) return { data: Buffer.from(`${text}\n`), shrunk: notes };
    const longest = findLongestString(document, []);
    if (!longest || longest.value.length <= 1024) break;
    // Aim to fit in one cut (exact for ASCII; multi-byte text takes another round or two).
    const keep = Math.max(1024, longest.value.length - (bytes - MAX_RECORD_BYTES) - 4096);
    setAt(document, longest.path, longest.value.slice(0, keep) + CUT_MARKER);
    notes.push(`${longest.path.join('.')} cut from ${longest.value.length} characters: the document exceeded the Firehose record limit`);
  }
  // Too many fields for any cut to help: keep the identity and say what happened, rather than drop it.
  const minimal = layout.minimal(document, notes);
  return { data: Buffer.from(`${JSON.stringify(minimal)}\n`), shrunk: notes };
}

function minimalDocument(document: { [key: string]: Json }, notes: string[]): { [key: string]: Json } {
  const keep = ['@timestamp', 'ecs', 'data_stream', 'tags'];
  const minimal: { [key: string]: Json } = {};
  for (const key of keep) if (document[key] !== undefined) minimal[key] = document[key] as Json;
  const event = isObject(document.event) ? document.event : {};
  minimal.event = { ...pick(event, ['id', 'kind', 'module', 'dataset', 'created']) };
  // `symantec_edr_cloud` in the `ecs` format, `ses` in the `ses` format.
  const root =
    ['symantec_edr_cloud', 'ses'].find((name) => isObject(document[name]) && isObject(document[name].incident)) ?? 'symantec_edr_cloud';
  const holder = document[root];
  const incident = isObject(holder) && isObject(holder.incident) ? holder.incident : document;
  minimal[root] = { incident: pick(incident, ['incident_uid', 'ref_incident_uid', 'modified', 'time']) };
  minimal.error = { message: [...notes, 'document replaced by its identity: no cut made it fit the record limit'] };
  return minimal;
}

function pick(source: { [key: string]: Json }, keys: string[]): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key] as Json;
  return out;
}

function findLongestString(value: Json, path: (string | number)[]): { path: (string | number)[]; value: string } | undefined {
  if (typeof value === 'string') return { path, value };
  let best: { path: (string | number)[]; value: string } | undefined;
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : isObject(value)
      ? Object.entries(value)
      : [];
  for (const [key, child] of entries) {
    const found = findLongestString(child, [...path, key]);
    if (found && (!best || found.value.length > best.value.length)) best = found;
  }
  return best;
}

function setAt(root: Json, path: (string | number)[], value: string): void {
  let node = root as { [key: string]: Json } | Json[];
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key] as { [key: string]: Json };
  (node as Record<string | number, Json>)[path[path.length - 1] as string | number] = value;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
