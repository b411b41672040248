/** The text table `symantec-edr status` prints: one row per source, its run error on the line below. */
import type { SourceHealth } from './source-health.js';

const COLUMNS: readonly { title: string; cell: (h: SourceHealth, nowMs: number) => string }[] = [
  { title: 'SOURCE', cell: (h) => h.source },
  { title: 'STATUS', cell: (h) => h.state },
  { title: 'LAST SUCCESS', cell: (h, now) => instantWithAge(h.lastSucceededAt, now) },
  { title: 'LAST RUN', cell: (h, now) => (h.lastRun ? `${h.lastRun.status} ${instantWithAge(h.lastRun.at, now)}` : '-') },
  { title: 'CURSOR', cell: (h) => second(h.cursor) },
  { title: 'LAG', cell: (h) => (h.lagSeconds === undefined ? '-' : span(h.lagSeconds)) },
  {
    title: 'LEASE',
    cell: (h) => (h.lease ? `${h.lease.held ? 'held' : 'expired'} by ${h.lease.owner} until ${second(h.lease.expiresAt)}` : 'free'),
  },
  { title: 'SWEPT AT', cell: (h) => second(h.sweptAt) },
  { title: 'SWEEP', cell: (h) => (h.sweepInProgress ? `in progress since ${second(h.sweepInProgress.startedAt)}` : '-') },
];

export function formatStatusTable(sources: readonly SourceHealth[], nowMs: number): string {
  const rows = sources.map((health) => COLUMNS.map((column) => column.cell(health, nowMs)));
  const widths = COLUMNS.map((column, i) => Math.max(column.title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [line(COLUMNS.map((column) => column.title))];
  sources.forEach((health, i) => {
    lines.push(line(rows[i]!));
    if (health.lastRun?.error !== undefined) lines.push(`  error: ${health.lastRun.error}`);
  });
  if (sources.length === 0) lines.push('(no source has a checkpoint in this table)');
  return `${lines.join('\n')}\n`;
}

function second(isoText: string | undefined): string {
  return isoText === undefined ? '-' : isoText.replace(/\.\d{3}Z$/, 'Z');
}

function instantWithAge(isoText: string | undefined, nowMs: number): string {
  if (isoText === undefined) return '-';
  return `${second(isoText)} (${span(Math.max(0, Math.round((nowMs - Date.parse(isoText)) / 1000)))} ago)`;
}

/** 42s, 7m05s, 3h04m, 2d05h: two units are enough to read at a glance. */
export function span(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h${pad(Math.floor((seconds % 3_600) / 60))}m`;
  return `${Math.floor(seconds / 86_400)}d${pad(Math.floor((seconds % 86_400) / 3_600))}h`;
}
