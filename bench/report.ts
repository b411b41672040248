/**
 * What a benchmark hands back: figures, each with its target when the issue sets one, and how they are
 * printed. A figure without a target is context for the reader (sizes, counts, the other configurations).
 */

export interface Target {
  readonly op: '>=' | '<=' | '<';
  readonly limit: number;
}

export interface Figure {
  /** Stable id, e.g. `mapping.ratio`; the README and the test refer to figures by it. */
  readonly id: string;
  readonly label: string;
  readonly value: number;
  /** How the value reads, e.g. `0.61`, `42.1 MB`. */
  readonly text: string;
  readonly target?: Target;
  /** One line of context: what was measured, from which raw values. */
  readonly detail?: string;
}

export interface BenchResult {
  readonly name: string;
  readonly figures: readonly Figure[];
  /** Extra lines printed after the figures (the cost table). */
  readonly lines?: readonly string[];
}

export function isMet(figure: Figure): boolean | undefined {
  const { target, value } = figure;
  if (!target) return undefined;
  if (!Number.isFinite(value)) return false;
  switch (target.op) {
    case '>=':
      return value >= target.limit;
    case '<=':
      return value <= target.limit;
    case '<':
      return value < target.limit;
  }
}

export function ratioFigure(id: string, label: string, value: number, target?: Target, detail?: string): Figure {
  return { id, label, value, text: value.toFixed(2), ...(target ? { target } : {}), ...(detail ? { detail } : {}) };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function targetText(target: Target | undefined): string {
  if (!target) return '';
  return `${target.op} ${target.limit}`;
}

/** The result as the console shows it: one row per figure, PASS/FAIL where a target applies. */
export function renderResult(result: BenchResult): string[] {
  const rows = result.figures.map((figure) => {
    const met = isMet(figure);
    return [met === undefined ? '    ' : met ? 'PASS' : 'FAIL', figure.label, figure.text, targetText(figure.target)];
  });
  const width = (column: number) => Math.max(...rows.map((row) => (row[column] as string).length));
  const lines = [`== ${result.name}`];
  result.figures.forEach((figure, index) => {
    const [status, label, value, target] = rows[index] as string[];
    lines.push(`${status}  ${(label as string).padEnd(width(1))}  ${(value as string).padStart(width(2))}  ${target as string}`.trimEnd());
    if (figure.detail) lines.push(`      ${figure.detail}`);
  });
  if (result.lines) lines.push(...result.lines);
  return lines;
}

export function failures(results: readonly BenchResult[]): Figure[] {
  return results.flatMap((result) => result.figures.filter((figure) => isMet(figure) === false));
}
