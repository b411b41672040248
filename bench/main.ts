/**
 * `npm run bench`: every performance figure of the issue, each a ratio or a count measured in this run,
 * printed with its target and PASS/FAIL; exits 1 when a target is missed.
 *
 *   npm run bench                   the full set (a few minutes on two cores)
 *   npm run bench -- --quick        small sizes and short latencies: checks the benchmarks work, not the targets
 *   npm run bench -- --only mapping,cold-start
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBenchBundles } from './bundles.js';
import { COLD_START_FULL, COLD_START_QUICK, runColdStartBench } from './cold-start.js';
import { costResult } from './cost.js';
import { MAPPING_FULL, MAPPING_QUICK, runMappingBench } from './mapping.js';
import { PIPELINING_FULL, PIPELINING_QUICK, runPipeliningBench } from './pipelining.js';
import { failures, renderResult, type BenchResult } from './report.js';
import { requestsResult, usageProfile } from './requests.js';

export const BENCHMARKS = ['mapping', 'cold-start', 'pipelining'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  readonly quick: boolean;
  readonly only: readonly Benchmark[];
  /** Progress lines (to standard error). */
  readonly progress: (line: string) => void;
}

export function machineLine(): string {
  const cpu = cpus();
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  return `${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load average ${load}, ${new Date().toISOString().slice(0, 16)}Z`;
}

export async function runBenchmarks(options: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const wanted = (name: Benchmark) => options.only.includes(name);
  const step = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const started = Date.now();
    options.progress(`${name}...`);
    const value = await work();
    options.progress(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return value;
  };
  if (wanted('mapping')) results.push(await step('mapping', () => runMappingBench(options.quick ? MAPPING_QUICK : MAPPING_FULL)));
  if (!wanted('cold-start') && !wanted('pipelining')) return results;
  const bundles = await step('bundling', () => buildBenchBundles());
  try {
    if (wanted('cold-start'))
      results.push(await step('cold start', () => runColdStartBench(bundles, options.quick ? COLD_START_QUICK : COLD_START_FULL)));
    if (wanted('pipelining')) {
      const { results: measuredResults, measured } = await step('pipelining and memory', () =>
        runPipeliningBench(bundles, options.quick ? PIPELINING_QUICK : PIPELINING_FULL),
      );
      results.push(...measuredResults);
      const profile = usageProfile(measured);
      results.push(requestsResult(profile), costResult(profile));
    }
  } finally {
    await bundles.close();
  }
  return results;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { quick: { type: 'boolean' }, only: { type: 'string' } }, strict: true });
  const only = (values.only?.split(',').map((name) => name.trim()) ?? [...BENCHMARKS]) as Benchmark[];
  const unknown = only.filter((name) => !BENCHMARKS.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s) ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}\n`);
    return 2;
  }
  const quick = values.quick === true;
  const started = Date.now();
  // The bench process itself makes a few SDK calls (it resets a checkpoint); Node 20 is expected here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.stdout.write(`Machine: ${machineLine()}\n${quick ? 'Quick mode: sizes too small for the targets to mean anything.\n' : ''}\n`);
  const results = await runBenchmarks({ quick, only, progress: (line) => process.stderr.write(`  ${line}\n`) });
  for (const result of results) process.stdout.write(`${renderResult(result).join('\n')}\n\n`);
  const failed = failures(results);
  const verdict = failed.length === 0 ? 'All targets met' : `${failed.length} target(s) missed: ${failed.map((f) => f.id).join(', ')}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (quick) {
    process.stdout.write(`Quick mode, targets not judged (${verdict.toLowerCase()}) (${seconds} s)\n`);
    return 0;
  }
  process.stdout.write(`${verdict} (${seconds} s)\n`);
  return failed.length === 0 ? 0 : 1;
}

// Run only as the entry point, so the test can import runBenchmarks.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
