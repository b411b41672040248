import { afterEach, describe, expect, it } from 'vitest';
import { runBenchmarks } from '../../bench/main.js';
import { renderResult } from '../../bench/report.js';

/**
 * The benchmarks' own code, in quick mode (small sizes, short latencies): every figure is produced and
 * printable. What the figures say is the business of `npm run bench`, not of a test on a shared machine.
 */
const saved = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
afterEach(() => {
  if (saved === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = saved;
});

describe('npm run bench -- --quick', () => {
  it('produces every figure of the six targets, each a finite number, and the cost table', async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const results = await runBenchmarks({ quick: true, only: ['mapping', 'cold-start', 'pipelining'], progress: () => undefined });

    const figures = new Map(results.flatMap((result) => result.figures.map((figure) => [figure.id, figure] as const)));
    for (const id of [
      'mapping.ratio',
      'coldStart.bundleBytes',
      'coldStart.ratio',
      'pipeline.ratio',
      'memory.ratio',
      'memory.peakMb',
      'requests.idleAws',
      'requests.perThousandAws',
      'cost.total100',
      'cost.total1000000',
    ]) {
      expect(Number.isFinite(figures.get(id)?.value), id).toBe(true);
    }
    expect(figures.get('mapping.ratio')?.target).toEqual({ op: '>=', limit: 0.5 });
    expect(figures.get('requests.idleAws')?.value).toBe(3);
    const printed = results.flatMap(renderResult).join('\n');
    expect(printed).toMatch(/\| Total per source +\|/);
    expect(printed).toMatch(/^(PASS|FAIL) {2}wall \/ \(pages x/m);
  });
});
