/**
 * Finds a credential in a text in the forms a server may echo it in, not only the form we sent: URL- or
 * form-encoded, JSON-escaped, in any letter case, base64 (of the secret alone, at any byte alignment, or of
 * `id:secret`), and cut short. Any run of 8 characters or more that appears in one of those forms is
 * replaced, so a truncated echo is caught as well as a whole one.
 */

/** Shorter runs are not matched: a 7-character piece of a secret tells little, and shorter windows would hide ordinary words. */
export const SCRUB_WINDOW = 8;
const REPLACEMENT = '[redacted]';

export class SecretScrubber {
  readonly #grams = new Set<string>();
  /** Forms shorter than the window, matched whole. */
  readonly #short: string[] = [];

  /** @param secrets the values to hide, each in the form we know it (e.g. the client secret, the Basic value). */
  constructor(secrets: readonly string[]) {
    for (const form of new Set(secrets.flatMap(formsOf))) {
      const folded = foldCase(form);
      if (folded.length < SCRUB_WINDOW) {
        if (folded.length > 0) this.#short.push(folded);
        continue;
      }
      for (let at = 0; at + SCRUB_WINDOW <= folded.length; at++) this.#grams.add(folded.slice(at, at + SCRUB_WINDOW));
    }
  }

  scrub(text: string): string {
    if (text.length === 0) return text;
    const folded = foldCase(text);
    const hidden = new Uint8Array(text.length);
    let found = false;
    for (let at = 0; at + SCRUB_WINDOW <= folded.length; at++) {
      if (this.#grams.has(folded.slice(at, at + SCRUB_WINDOW))) {
        hidden.fill(1, at, at + SCRUB_WINDOW);
        found = true;
      }
    }
    for (const form of this.#short) {
      for (let at = folded.indexOf(form); at !== -1; at = folded.indexOf(form, at + 1)) {
        hidden.fill(1, at, at + form.length);
        found = true;
      }
    }
    if (!found) return text;
    let out = '';
    for (let at = 0; at < text.length; at++) {
      if (hidden[at] === 0) out += text[at];
      else if (at === 0 || hidden[at - 1] === 0) out += REPLACEMENT;
    }
    return out;
  }
}

/** The forms a value may come back in. */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  // base64 of any piece of the secret lines up with the base64 of the secret from byte 0, 1 or 2.
  const base64 = [0, 1, 2].filter((skip) => bytes.length - skip >= 6).map((skip) => bytes.subarray(skip).toString('base64'));
  const plain = [secret, ...base64, ...base64.map((text) => text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))];
  return plain.flatMap((form) => [
    form,
    encodeURIComponent(form),
    new URLSearchParams({ s: form }).toString().slice(2),
    JSON.stringify(form).slice(1, -1),
  ]);
}

/** Lower case, one UTF-16 unit for one: a letter whose lower case is longer stays as it is, so positions match. */
function foldCase(text: string): string {
  let out = '';
  for (let at = 0; at < text.length; at++) {
    const unit = text[at] as string;
    const lower = unit.toLowerCase();
    out += lower.length === 1 ? lower : unit;
  }
  return out;
}
