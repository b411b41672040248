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

/** The JSON text of `value` when there is one, else its string form, else a placeholder. */
export function textOf(value: unknown): string {
  const json = safeStringify(value);
  if (json !== undefined) return json;
  try {
    return String(value);
  } catch {
    return '[value without a text form]';
  }
}

/** `value` for an error message: its JSON text, cut to a readable length. */
export function describeValue(value: unknown): string {
  const text = textOf(value);
  return text.length > MAX_VALUE_IN_MESSAGE ? `${text.slice(0, MAX_VALUE_IN_MESSAGE)}...` : text;
}
