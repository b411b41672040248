/**
 * What `run` and `replay` do before and around their work on a source: compare the local clock with
 * DynamoDB's, read the credentials, build the run's collaborators with a lease capped at 15 minutes,
 * renew that lease while the work goes on, and turn SIGINT/SIGTERM into a graceful stop.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DynamoCheckpointStore } from '../aws/checkpoint-store.js';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import type { RunDependencies, RunLogger } from '../ingest/ports.js';
import { createSecurityLakeSink } from '../aws/security-lake-wiring.js';
import { SymantecClientCache, buildRunDependencies, createAwsClients, runTimeLimits, useSecurityLakeSink } from '../ingest/wiring.js';
import { readSecretText } from './cli-support.js';
import { type SourceState, clockSkewProblem, readSourceState } from './clock-skew.js';
import { type StopListener, listenForStop } from './interrupt.js';
import { CLI_LEASE_RENEW_EVERY_MS, cliLeaseMs, keepLeaseAlive } from './lease-keeper.js';
import type { CommandIo } from './main.js';

// The CLI runs a source whatever its delivery; its start-up time matters little.
useSecurityLakeSink(createSecurityLakeSink);

/** Exit status when the local clock is too far off AWS's. */
export const CLOCK_SKEW_STATUS = 1;

export interface SourceSession {
  /** The run's collaborators; `deadlineMs` moves to the moment of a stop signal. */
  readonly deps: RunDependencies;
  /** The source's lease and clock as read before the work started. */
  readonly state: SourceState;
  readonly stop: StopListener;
  /** Starts renewing the lease (call once the lease is taken or about to be). */
  keepLease(): void;
  close(): Promise<void>;
}

export interface SessionRequest {
  readonly command: 'run' | 'replay';
  readonly io: CommandIo;
  readonly config: Config;
  readonly source: string;
  readonly maxDurationMs: number;
  readonly logger: RunLogger;
  /** Called after the clock check and before the secret is read: a status here ends the command. */
  readonly beforeSecret?: (state: SourceState) => number | undefined;
}

/** The session, or the exit status after saying why the work cannot start. */
export async function openSourceSession(request: SessionRequest): Promise<SourceSession | number> {
  const { command, io, config, source, logger } = request;
  const clock = io.clock ?? systemClock;
  const clients = createAwsClients();
  const closeClients = () => {
    clients.dynamodb.destroy();
    clients.firehose.destroy();
  };
  try {
    const state = await readSourceState(clients.dynamodb, config.checkpointTable, source, clock);
    const skew = clockSkewProblem(state.skewMs);
    if (skew !== undefined) {
      io.stderr.write(`symantec-edr ${command}: ${skew}\n`);
      closeClients();
      return CLOCK_SKEW_STATUS;
    }
    const early = request.beforeSecret?.(state);
    if (early !== undefined) {
      closeClients();
      return early;
    }
    const api = new SymantecClientCache().get(config, await readSecretText(config));
    const limits = runTimeLimits(clock.now(), request.maxDurationMs);
    const owner = `cli-${command}-${hostname()}-${randomUUID().slice(0, 8)}`;
    const leaseMs = cliLeaseMs(limits.leaseMs);
    const built = buildRunDependencies({ config, clients, api, source, owner, logger, clock, deadlineMs: limits.deadlineMs, leaseMs });
    let stoppedAtMs: number | undefined;
    // A stop signal ends the work as the deadline does: no page starts after it, the one in flight ends.
    const deps = Object.defineProperty({ ...built }, 'deadlineMs', {
      get: () => (stoppedAtMs === undefined ? limits.deadlineMs : Math.min(stoppedAtMs, limits.deadlineMs)),
      enumerable: true,
    }) as RunDependencies;
    const stop = listenForStop(command, io, () => {
      stoppedAtMs = clock.now();
    });
    let keeper: { stop(): Promise<void> } | undefined;
    return {
      deps,
      state,
      stop,
      keepLease: () => {
        keeper ??= keepLeaseAlive(new DynamoCheckpointStore(clients.dynamodb, config.checkpointTable), {
          source,
          owner,
          leaseMs,
          everyMs: CLI_LEASE_RENEW_EVERY_MS,
          clock,
          logger,
        });
      },
      close: async () => {
        await keeper?.stop();
        stop.dispose();
        closeClients();
      },
    };
  } catch (error) {
    closeClients();
    throw error;
  }
}
