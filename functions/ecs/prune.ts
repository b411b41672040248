/**
 * Dropping empty values (`null`, `""`, `{}`, `[]`, at any depth) while copying source values into the
 * document. A copy, never an edit: the caller's incident stays as it was.
 */

/**
 * `value` without its empty parts, or `undefined` when nothing is left. Values JSON cannot carry
 * (`undefined`, functions, symbols, big integers, non-finite numbers) count as empty too, so the document
 * always serialises.
 */
export function prunedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value === '' ? undefined : value;
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return undefined;
      return Array.isArray(value) ? prunedArray(value) : prunedObject(value as Record<string, unknown>);
    default:
      return undefined;
  }
}

function prunedArray(items: readonly unknown[]): unknown[] | undefined {
  const copy: unknown[] = [];
  for (const item of items) {
    const kept = prunedCopy(item);
    if (kept !== undefined) copy.push(kept);
  }
  return copy.length > 0 ? copy : undefined;
}

function prunedObject(source: Record<string, unknown>): Record<string, unknown> | undefined {
  const copy: Record<string, unknown> = {};
  let count = 0;
  for (const key of Object.keys(source)) {
    const kept = prunedCopy(source[key]);
    if (kept === undefined) continue;
    setOwn(copy, key, kept);
    count++;
  }
  return count > 0 ? copy : undefined;
}

/**
 * `target[key] = value`, also for the key `__proto__`, which JSON may carry as an ordinary name but a
 * plain assignment would turn into a prototype change.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** True for the values the mapping drops: `undefined`, `null` and `""`. */
export function isAbsent(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}
