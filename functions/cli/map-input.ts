/**
 * What `map` reads from standard input, in bounded memory: lines cut at a cap, and a document spread over
 * many lines (a pretty-printed array or API response) held only up to a cap. Past that cap the held lines
 * are read one by one after all, as NDJSON would be, so an input whose first line merely looks like the
 * start of a document cannot make the command hold all of it.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export interface InputLimits {
  /** A line longer than this is not read: its first `longLineHeadChars` characters stand for it. */
  readonly maxLineChars: number;
  /** A document spread over lines is read whole only while its lines hold at most this many characters. */
  readonly maxHeldChars: number;
  readonly longLineHeadChars: number;
}

// An incident with its events is at most a few hundred KiB (a Firehose record is at most 1,000 KiB); a
// page of 2,000 incidents without events about 2.4 MB. 8 Mi characters keep both, while JSON.parse of the
// held text (some 7 times its size in objects) stays near 100 MB at worst.
export const INPUT_LIMITS: InputLimits = Object.freeze({
  maxLineChars: 8 * 1024 * 1024,
  maxHeldChars: 8 * 1024 * 1024,
  longLineHeadChars: 64 * 1024,
});

export type InputItem =
  /** A non-empty line, trimmed, to map on its own. */
  | { readonly kind: 'line'; readonly text: string; readonly lineNumber: number }
  /** A line over the cap: its first characters and its full length. */
  | { readonly kind: 'long-line'; readonly head: string; readonly length: number; readonly lineNumber: number }
  /** The whole input, one JSON document spread over lines. */
  | { readonly kind: 'document'; readonly value: unknown };

/** The reader's own count of the input characters it holds at once (a partial line and held lines). */
export interface InputAccounting {
  peakHeldChars: number;
}

export async function* readMapInput(
  input: Readable,
  limits: InputLimits = INPUT_LIMITS,
  accounting: InputAccounting = { peakHeldChars: 0 },
): AsyncGenerator<InputItem> {
  let held: { lines: string[]; chars: number; from: number } | undefined;
  let seenFirstLine = false;
  const heldLines = function* (from: { lines: string[]; from: number }): Generator<InputItem> {
    for (let index = 0; index < from.lines.length; index++) {
      const text = (from.lines[index] as string).trim();
      if (text !== '') yield { kind: 'line', text, lineNumber: from.from + index };
    }
  };
  const lines = readLines(input, limits, (partialChars) => {
    accounting.peakHeldChars = Math.max(accounting.peakHeldChars, partialChars + (held?.chars ?? 0));
  });
  for await (const line of lines) {
    if (held !== undefined) {
      if (!line.cut && held.chars + line.text.length <= limits.maxHeldChars) {
        held.lines.push(line.text);
        held.chars += line.text.length;
        continue;
      }
      // Too much to be a document worth reading whole: read what was held line by line, and go on so.
      const released = held;
      held = undefined;
      yield* heldLines(released);
    }
    if (line.cut) {
      seenFirstLine = true;
      yield { kind: 'long-line', head: line.text, length: line.length, lineNumber: line.number };
      continue;
    }
    const text = line.text.trim();
    if (text === '') continue;
    // A first line that opens a JSON document without closing it: the input may be pretty-printed.
    if (!seenFirstLine && (text[0] === '{' || text[0] === '[') && !parses(text)) {
      held = { lines: [line.text], chars: line.text.length, from: line.number };
      seenFirstLine = true;
      continue;
    }
    seenFirstLine = true;
    yield { kind: 'line', text, lineNumber: line.number };
  }
  if (held === undefined) return;
  let value: unknown;
  try {
    value = JSON.parse(held.lines.join('\n'));
  } catch {
    yield* heldLines(held);
    return;
  }
  yield { kind: 'document', value };
}

interface Line {
  /** The line, or its first `longLineHeadChars` characters when `cut`. */
  readonly text: string;
  readonly length: number;
  readonly cut: boolean;
  /** 1-based. */
  readonly number: number;
}

/** Lines split at `\n` (a `\r` before it dropped), none kept longer than the cap. */
async function* readLines(input: Readable, limits: InputLimits, account: (partialChars: number) => void): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  let parts: string[] = [];
  let kept = 0;
  let length = 0;
  let number = 0;
  const take = (piece: string) => {
    length += piece.length;
    if (kept >= limits.maxLineChars) return;
    parts.push(piece);
    kept += piece.length;
    if (length > limits.maxLineChars) {
      // Over the cap: only the head is kept from here on.
      parts = [parts.join('').slice(0, limits.longLineHeadChars)];
      kept = limits.maxLineChars;
    }
    account(kept);
  };
  const end = (): Line => {
    const cut = length > limits.maxLineChars;
    let text = parts.join('');
    if (!cut && text.endsWith('\r')) text = text.slice(0, -1);
    const line = { text, length: cut ? length : text.length, cut, number: ++number };
    parts = [];
    kept = 0;
    length = 0;
    return line;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let from = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', from)) {
      take(text.slice(from, at));
      yield end();
      from = at + 1;
    }
    if (from < text.length) take(text.slice(from));
  }
  const rest = decoder.end();
  if (rest !== '') take(rest);
  if (length > 0) yield end();
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
