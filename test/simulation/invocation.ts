/**
 * One scheduled invocation in the simulation: the real `run` with the real adapters of
 * `buildRunDependencies` (DynamoDB checkpoint store and seen-set, Firehose sink, Symantec client), the
 * simulated clock, the Lambda's time limits, and the probe that charges costs and may kill the process.
 */
import { FirehoseSink } from '../../functions/aws/firehose-sink.js';
import type { Config } from '../../functions/config.js';
import { describeError } from '../../functions/errors.js';
import { run } from '../../functions/ingest/run.js';
import { reportMetrics, type RunSummary } from '../../functions/ingest/run-summary.js';
import { type AwsClients, buildRunDependencies, runTimeLimits } from '../../functions/ingest/wiring.js';
import type { SymantecClient } from '../../functions/symantec/incidents-client.js';
import type { Random } from '../../local/random.js';
import type { DuplicateCause } from './accounting.js';
import { type KillPoint, type ProbeListener, RunProbe } from './run-probe.js';
import type { SimClock } from './sim-clock.js';
import type { SimLog } from './sim-logger.js';

/** The function's timeout (the construct's default, and the schedule's interval). */
export const LAMBDA_TIMEOUT_MS = 5 * 60_000;

export interface InvocationContext {
  readonly config: Config;
  readonly clients: AwsClients;
  readonly clock: SimClock;
  readonly log: SimLog;
  readonly random: Random;
  readonly listener: ProbeListener;
}

export interface InvocationOutcome {
  /** Absent when the process was killed (a dead process returns nothing) or `run` threw. */
  readonly summary: RunSummary | undefined;
  readonly killed: KillPoint | undefined;
  /** What `run` threw instead of returning a summary (an error before its own error handling). */
  readonly thrown: string | undefined;
  /** Records put into Firehose and never marked seen, with why. */
  readonly unmarked: { readonly records: Buffer[]; readonly cause: DuplicateCause } | undefined;
}

export async function invoke(
  context: InvocationContext,
  api: SymantecClient,
  owner: string,
  killAt: KillPoint | undefined,
): Promise<InvocationOutcome> {
  const { config, clients, clock, log } = context;
  const probe = new RunProbe(clock, killAt, context.listener);
  const deps = buildRunDependencies({
    config,
    clients,
    api,
    source: config.sourceId,
    owner,
    logger: log.logger(() => probe.dead),
    clock,
    ...runTimeLimits(clock.now(), LAMBDA_TIMEOUT_MS),
  });
  // The same sink class, with a seeded jitter source so a seed replays the same backoff waits.
  const sink = new FirehoseSink(clients.firehose, config.deliveryStream ?? '', clock, () => context.random.next());
  let summary: RunSummary | undefined;
  let thrown: string | undefined;
  try {
    summary = await run(probe.wrap({ ...deps, sink }));
  } catch (error) {
    if (!probe.dead) {
      thrown = describeError(error);
      log.scan(`${thrown}\n${error instanceof Error ? error.stack : ''}`, 'thrown error');
    }
  }
  if (probe.dead) return { summary: undefined, killed: probe.killed, thrown: undefined, unmarked: probe.unmarked() };
  if (summary) {
    log.scan(JSON.stringify(summary), 'summary');
    reportMetrics(summary, log.metrics());
  }
  return { summary, killed: undefined, thrown, unmarked: probe.unmarked() };
}
