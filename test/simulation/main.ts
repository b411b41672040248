/**
 * `npm run simulate`: the fault simulation with the full scenario (or the flags' changes to it), the
 * table on standard output, progress on standard error, and a non-zero exit when a target is missed.
 *
 *   npm run simulate -- --seed 7 --days 40 --incidents-per-day 300
 *   npm run simulate -- --scenario test        (the cut-down run of `npm test`)
 *   npm run simulate -- --scenario test --filter-field created --order desc
 *   npm run simulate -- --help                 (every flag, the API switches among them)
 */
import { readFlags } from './cli-flags.js';
import { simulate } from './engine.js';
import { checkTargets, formatReport } from './report.js';

async function main(): Promise<number> {
  // The SDK warns once per client about Node 20's end of support: noise in a table.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let flags: ReturnType<typeof readFlags>;
  try {
    flags = readFlags(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n(npm run simulate -- --help lists the flags)\n`);
    return 2;
  }
  if (flags.kind === 'help') {
    process.stdout.write(`${flags.text}\n`);
    return 0;
  }
  const { options } = flags;
  process.stderr.write(`simulating seed ${options.seed}: ${options.days} days of ticks, ${options.longOutageDays}-day outage\n`);
  const result = await simulate(options, (line) => process.stderr.write(`${line}\n`));
  const checks = checkTargets(result);
  process.stdout.write(`${formatReport(result, checks)}\n`);
  return checks.every((check) => check.met) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`simulation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
