/**
 * What the runs say: every log line and metric is serialised the way a JSON logger would write it (an
 * Error with its name, message, stack and cause), counted, and scanned for the canary secret. Nothing is
 * printed: 10,000 runs would bury the table.
 */
import type { MetricName, MetricUnit, RunLogger, RunMetrics } from '../../functions/ingest/ports.js';
import type { ClampedInterval } from '../../functions/window.js';

const CLAMP_WARNING = 'checkpoint older than the API keeps';
const NARROWING = 'window too large for one query';
const KEPT_SAMPLES = 12;

export class SimLog {
  lines = 0;
  warnings = 0;
  errors = 0;
  /** Windows narrowed because their `total` reached WINDOW_SPLIT_THRESHOLD. */
  narrowings = 0;
  /** Where a forbidden value was found: `log`, `metric`, `summary`, `document`, ... */
  readonly leaks: string[] = [];
  readonly clampWarnings: ClampedInterval[] = [];
  readonly metricTotals = new Map<MetricName, number>();
  /** Error log lines by their first words, to show what went wrong most often. */
  readonly errorKinds = new Map<string, number>();

  /** `forbidden` may be a function: tokens issued while the runs go on join the list as they come. */
  constructor(private readonly forbidden: readonly string[] | (() => readonly string[])) {}

  /** Looks for every forbidden value in `text`; `where` names the kind of output. */
  scan(text: string, where: string): void {
    for (const secret of typeof this.forbidden === 'function' ? this.forbidden() : this.forbidden) {
      if (text.includes(secret) && this.leaks.length < KEPT_SAMPLES) this.leaks.push(`${where}: ${text.slice(0, 300)}`);
    }
  }

  /** A logger for one run; it stays silent once `isDead()` says the process is gone. */
  logger(isDead: () => boolean): RunLogger {
    const keys: Record<string, unknown> = {};
    const write = (level: string, message: string, extra: Record<string, unknown>[]) => {
      if (isDead()) return;
      const line = JSON.stringify({ level, message, ...keys, ...Object.assign({}, ...extra) }, errorReplacer);
      this.lines++;
      this.scan(line, 'log');
      if (level === 'WARN') this.warnings++;
      if (level === 'INFO' && message.startsWith(NARROWING)) this.narrowings++;
      if (level === 'ERROR') {
        this.errors++;
        const kind = errorKind(extra);
        this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
      }
      if (level === 'WARN' && message.includes(CLAMP_WARNING)) {
        const lost = (Object.assign({}, ...extra) as { lost?: ClampedInterval }).lost;
        if (lost) this.clampWarnings.push(lost);
      }
    };
    return {
      debug: (message, ...extra) => write('DEBUG', message, extra),
      info: (message, ...extra) => write('INFO', message, extra),
      warn: (message, ...extra) => write('WARN', message, extra),
      error: (message, ...extra) => write('ERROR', message, extra),
      appendKeys: (more) => void Object.assign(keys, more),
    };
  }

  metrics(): RunMetrics {
    return {
      addMetric: (name: MetricName, unit: MetricUnit, value: number) => {
        this.scan(JSON.stringify({ [name]: value, unit }), 'metric');
        this.metricTotals.set(name, (this.metricTotals.get(name) ?? 0) + value);
      },
    };
  }
}

function errorKind(extra: Record<string, unknown>[]): string {
  const error = (Object.assign({}, ...extra) as { error?: unknown }).error;
  const text = typeof error === 'string' ? error : 'no error text';
  // Numbers vary from line to line (offsets, counts, milliseconds); the shape of the message does not.
  return text.replace(/\d+/g, 'N').slice(0, 90);
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack, cause: value.cause };
  return value;
}
