/** The simulation's figures as a table, and the targets they are held to. */
import { formatSwitchFlags } from './api-switches.js';
import type { SimulationResult } from './engine.js';

/** Duplicates delivered, as a share of records delivered (the issue's target: under 0.1%). */
export const MAX_DUPLICATE_RATE = 0.001;

export interface TargetCheck {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

export function checkTargets(result: SimulationResult): TargetCheck[] {
  const { accounting: a, tally: t, options, log } = result;
  const intervalMs = options.tickMinutes * 60_000;
  const checks: TargetCheck[] = [
    {
      name: 'no version lost outside the announced clamp',
      met: a.lost === 0,
      detail: `${a.lost} lost${a.lostSamples.length ? `: ${a.lostSamples.join('; ')}` : ''}`,
    },
    {
      name: 'nothing delivered that was never created',
      met: a.phantoms === 0 && t.unreadableDocuments === 0,
      detail: `${a.phantoms} unknown versions, ${t.unreadableDocuments} unreadable documents`,
    },
    {
      name: 'duplicates only from kills between put and seen-mark',
      met: a.duplicates === a.duplicatesByCause.kill,
      detail: causeText(a.duplicatesByCause),
    },
    {
      name: 'at most the unmarked page re-delivered per such kill',
      met: a.duplicates <= t.recordsUnmarkedAtKills,
      detail: `${a.duplicates} duplicates, ${t.recordsUnmarkedAtKills} records unmarked at ${t.killsBetweenPutAndMark} kills`,
    },
    {
      name: `duplicate rate under ${MAX_DUPLICATE_RATE * 100}%`,
      met: a.duplicateRate < MAX_DUPLICATE_RATE,
      detail: percent(a.duplicateRate),
    },
    { name: 'no checkpoint regression', met: t.regressions === 0, detail: `${t.regressions}` },
    {
      name: 'lag after faults stop under 2 intervals',
      met: t.quietRuns > 0 && t.maxQuietLagMs < 2 * intervalMs,
      detail: `${minutes(t.maxQuietLagMs)} over ${t.quietRuns} runs`,
    },
    { name: 'no fault fired in the quiet tail', met: t.faultsFiredWhileQuiet === 0, detail: `${t.faultsFiredWhileQuiet}` },
    {
      name: 'canary secret in no log line, metric, error, summary or document',
      met: log.leaks.length === 0,
      detail: log.leaks.length === 0 ? `${log.lines} log lines scanned` : log.leaks.join(' | '),
    },
  ];
  if (result.timeline.longOutage && options.longOutageDays > 30) {
    const first = result.clamps[0];
    checks.push(
      {
        name: 'the outage past 30 days is clamped, warned and counted',
        met: result.clamps.length > 0 && log.clampWarnings.length > 0 && (log.metricTotals.get('WindowClamped') ?? 0) > 0,
        detail: `${log.clampWarnings.length} warnings, WindowClamped ${log.metricTotals.get('WindowClamped') ?? 0}`,
      },
      {
        name: 'the announced loss starts at the last delivered cursor',
        met: first !== undefined && first.lostFrom === result.cursorBeforeOutage,
        detail: `cursor ${result.cursorBeforeOutage ?? 'none'}, lost from ${first?.lostFrom ?? 'none'}`,
      },
      { name: 'nothing in the announced interval was delivered', met: a.clampDelivered === 0, detail: `${a.clampDelivered}` },
    );
  }
  return checks;
}

export function formatReport(result: SimulationResult, checks: readonly TargetCheck[]): string {
  const { accounting: a, tally: t, options, timeline, config } = result;
  const switches = formatSwitchFlags(options.api);
  const rows: [string, string][] = [
    ['seed', String(options.seed)],
    ...switches.map((line, index) => [index === 0 ? 'API switches' : '', line] as [string, string]),
    [
      'function settings',
      `PAGE_SIZE ${config.pageSize}, PAGE_OVERLAP ${config.pageOverlap}, WINDOW_SPLIT_THRESHOLD ${config.splitThreshold}, UPDATE_SWEEP_INTERVAL ${hours(config.updateSweepIntervalMs)}, UPDATE_SWEEP_HORIZON ${config.updateSweepHorizonMs / 86_400_000}d`,
    ],
    [
      'simulated time',
      `${options.days} days of ticks every ${options.tickMinutes} min${timeline.longOutage ? ` + one outage of ${options.longOutageDays} days` : ''} (${days(timeline.endMs - timeline.startMs)} in all)`,
    ],
    ['real time', `${(result.realMs / 1000).toFixed(1)} s`],
    ['incident versions created', String(a.created)],
    ['  delivered (distinct versions)', String(a.deliveredVersions)],
    ['  lost (outside the clamp)', String(a.lost)],
    [
      '  lost in the announced 30-day clamp',
      `${a.clampLost} (all ${a.clampLost + a.clampDelivered} versions in the reported interval${a.clampDelivered ? `; ${a.clampDelivered} delivered anyway` : ''})`,
    ],
    ['  replaced before any run could read them', String(a.supersededUnread)],
    ['  not yet due (after the final cursor)', String(a.pending)],
    ['  sweep-only, replaced before a sweep', String(a.replacedBeforeSweep)],
    ['  sweep-only, not yet swept', String(a.notYetSwept)],
    ['  sweep-only, past the horizon (by design)', String(a.beyondSweepHorizon)],
    ['records delivered', String(a.deliveredRecords)],
    ['duplicates delivered', `${a.duplicates} (${percent(a.duplicateRate)}; ${causeText(a.duplicatesByCause)})`],
    ['kills between put and seen-mark', `${t.killsBetweenPutAndMark} (${t.recordsUnmarkedAtKills} records left unmarked)`],
    ['checkpoint regressions', String(t.regressions)],
    ['max lag after faults stop', `${minutes(t.maxQuietLagMs)} over ${t.quietRuns} runs (target < ${2 * options.tickMinutes} min)`],
    ['catch-up after the long outage', t.catchUpMs === undefined ? 'n/a' : minutes(t.catchUpMs)],
    [
      'runs',
      `${t.runs}: ${[...t.byStatus]
        .sort()
        .map(([status, n]) => `${status} ${n}`)
        .join(', ')}`,
    ],
    ['windows completed, pages', `${t.windowsCompleted}, ${t.pages}`],
    ['windows narrowed (WINDOW_SPLIT_THRESHOLD)', String(result.log.narrowings)],
    ['update sweeps (records only they delivered)', `${t.sweeps} (${t.sweepDelivered})`],
    ['overlapping invocations', String(t.overlaps)],
    ['clamp warnings / WindowClamped', `${result.log.clampWarnings.length} / ${result.log.metricTotals.get('WindowClamped') ?? 0}`],
    ['log lines (warn, error)', `${result.log.lines} (${result.log.warnings}, ${result.log.errors})`],
  ];
  const faults = [...t.faults].sort((x, y) => y[1] - x[1]).map(([name, n]) => [`  ${name}`, String(n)] as [string, string]);
  const kills = [...t.kills].sort((x, y) => y[1] - x[1]).map(([name, n]) => [`  killed ${name}`, String(n)] as [string, string]);
  const fired = Object.entries(t.firedAtServices)
    .sort()
    .map(([name, n]) => [`  ${name}`, String(n)] as [string, string]);
  const lines = [
    table('Fault simulation', rows),
    table(`Faults injected by kind (${sum(t.faults)}), kills (${sum(t.kills)})`, [
      ...faults,
      ...kills,
      ['  long outages (no run)', String(t.longOutages)],
    ]),
    table('Faults fired at the services', fired),
    table(
      'Targets',
      checks.map((check) => [`${check.met ? 'PASS' : 'FAIL'} ${check.name}`, check.detail]),
    ),
  ];
  if (t.thrownSamples.length > 0)
    lines.push(`Runs that threw instead of returning a summary (first ${t.thrownSamples.length}):\n  ${t.thrownSamples.join('\n  ')}`);
  const errors = [...result.log.errorKinds].sort((x, y) => y[1] - x[1]).slice(0, 8);
  if (errors.length > 0)
    lines.push(`Most frequent run errors:\n${errors.map(([kind, n]) => `  ${String(n).padStart(5)}  ${kind}`).join('\n')}`);
  return lines.join('\n\n');
}

function table(title: string, rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(title.length, ...rows.map(([label]) => label.length));
  return [title, '-'.repeat(width + 2), ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`)].join('\n');
}

const sum = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((total, n) => total + n, 0);
const percent = (rate: number) => `${(rate * 100).toFixed(3)}%`;
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
const days = (ms: number) => `${(ms / 86_400_000).toFixed(1)} days`;
const hours = (ms: number) => `${ms / 3_600_000}h`;
const causeText = (causes: Readonly<Record<string, number>>) =>
  Object.entries(causes)
    .map(([cause, n]) => `${cause} ${n}`)
    .join(', ');
