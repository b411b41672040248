/**
 * The fault simulation, cut down to run in `npm test` (see TEST_SCENARIO). Fixed seed: a failure here
 * replays exactly, with the whole table, by `npm run simulate -- --scenario test`.
 */
import { describe, expect, it } from 'vitest';
import { simulate, type SimulationResult } from './engine.js';
import { MAX_DUPLICATE_RATE, checkTargets, formatReport } from './report.js';
import { TEST_SCENARIO } from './scenario.js';

describe('the fault simulation (fixed seed, short)', () => {
  let result: SimulationResult;
  let report = '';

  it('runs the real run code through faults, kills and a 31-day outage', { timeout: 180_000 }, async () => {
    // act
    result = await simulate(TEST_SCENARIO);
    report = formatReport(result, checkTargets(result));
    // assess: every target, with the whole table when one is missed
    expect(
      checkTargets(result).filter((check) => !check.met),
      report,
    ).toEqual([]);
  });

  it('loses no version outside the announced clamp and loses every version inside it', () => {
    expect(result.accounting.lost, report).toBe(0);
    expect(result.accounting.clampLost, report).toBeGreaterThan(0);
    expect(result.accounting.clampDelivered, report).toBe(0);
  });

  it('delivers duplicates only from kills between the put and the seen-mark, under the target rate', () => {
    const { duplicates, duplicatesByCause, duplicateRate } = result.accounting;
    expect(duplicatesByCause.kill, report).toBe(duplicates);
    expect(duplicateRate, report).toBeLessThan(MAX_DUPLICATE_RATE);
  });

  it('never moves the checkpoint backwards and catches up within two intervals once faults stop', () => {
    expect(result.tally.regressions, report).toBe(0);
    expect(result.tally.maxQuietLagMs, report).toBeLessThan(2 * TEST_SCENARIO.tickMinutes * 60_000);
  });

  it('struck with every kind of fault, killed processes and overlapped invocations', () => {
    // A simulation that injected nothing would pass the checks above and prove nothing.
    expect(result.tally.faults.size, report).toBeGreaterThanOrEqual(20);
    expect(result.tally.kills.size, report).toBeGreaterThan(0);
    expect(result.tally.overlaps, report).toBeGreaterThan(0);
    expect(result.tally.byStatus.get('lease-held') ?? 0, report).toBeGreaterThan(0);
  });

  it('keeps the canary secret out of every log line, metric, error, summary and document', () => {
    expect(result.log.lines, report).toBeGreaterThan(0);
    expect(result.log.leaks, report).toEqual([]);
  });
});
