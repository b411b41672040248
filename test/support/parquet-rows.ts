/** A row read back from Parquet (hyparquet) as JSON would carry it: longs as numbers, absent values (null) left out. */
export function plainRow(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plainRow);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) if (child !== null && child !== undefined) out[key] = plainRow(child);
    return out;
  }
  return value;
}
