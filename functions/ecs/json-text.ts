/**
 * Text of values for `event.original` and error messages, without ever throwing: the mapping promises a
 * document for any input, including values that JSON cannot write (cycles, big integers) or that have
 * no string form (objects without a prototype).
 */

// Values longer than this are cut in error messages: the whole incident is in `event.original` anyway.
const MAX_VALUE_IN_MESSAGE = 120;

/** `JSON.stringify(value)`, or `undefined` when JSON cannot write it. */
export function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** The JSON text of `value` when there is one, else a bounded JSON-like text of it (`boundedJson`). */
export function textOf(value: unknown): string {
  const json = safeStringify(value);
  if (json !== undefined) return json;
  return boundedJson(value, MAX_BOUNDED_CHARS);
}

// Real incidents, events included, nest a dozen levels; a value this deep is not data worth writing out.
export const MAX_JSON_DEPTH = 100;
/** What `textOf` writes of a value JSON cannot write: enough to recognise it, not a whole hostile page. */
export const MAX_BOUNDED_CHARS = 64 * 1024;

/**
 * A JSON text of `value` that JSON.stringify may fail to write (nested deeper than the stack allows, cycles,
 * big integers, throwing getters), cut to about `maxChars`: deeper levels, cycles and unreadable values
 * become marker strings. Deterministic (the same value gives the same text) and never throws.
 */
export function boundedJson(value: unknown, maxChars: number): string {
  const parts: string[] = [];
  let length = 0;
  const ancestors = new Set<object>();
  const put = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length < maxChars;
  };
  const write = (item: unknown, depth: number): boolean => {
    if (item === null || item === undefined || typeof item === 'function' || typeof item === 'symbol') return put('null');
    if (typeof item === 'boolean') return put(String(item));
    if (typeof item === 'number') return put(Number.isFinite(item) ? String(item) : 'null');
    if (typeof item === 'bigint') return put(JSON.stringify(item.toString()));
    if (typeof item === 'string') return put(JSON.stringify(item));
    if (typeof item !== 'object') return put('null');
    if (depth >= MAX_JSON_DEPTH) return put(`"[nested deeper than ${MAX_JSON_DEPTH} levels]"`);
    if (ancestors.has(item)) return put('"[cycle]"');
    ancestors.add(item);
    try {
      if (Array.isArray(item)) {
        if (!put('[')) return false;
        for (let index = 0; index < item.length; index++) {
          if (index > 0 && !put(',')) return false;
          if (!write(read(item, index), depth + 1)) return false;
        }
        return put(']');
      }
      if (!put('{')) return false;
      let first = true;
      for (const key of keysOf(item)) {
        if (!put(`${first ? '' : ','}${JSON.stringify(key)}:`)) return false;
        first = false;
        if (!write(read(item, key), depth + 1)) return false;
      }
      return put('}');
    } finally {
      ancestors.delete(item);
    }
  };
  write(value, 0);
  const text = parts.join('');
  return text.length > maxChars ? `${text.slice(0, maxChars)}...[cut]` : text;
}

function keysOf(item: object): string[] {
  try {
    return Object.keys(item);
  } catch {
    return [];
  }
}

function read(item: object, key: string | number): unknown {
  try {
    return (item as Record<string | number, unknown>)[key];
  } catch {
    return '[unreadable]';
  }
}

/** `value` for an error message: its JSON text, cut to a readable length. */
export function describeValue(value: unknown): string {
  const text = textOf(value);
  return text.length > MAX_VALUE_IN_MESSAGE ? `${text.slice(0, MAX_VALUE_IN_MESSAGE)}...` : text;
}
