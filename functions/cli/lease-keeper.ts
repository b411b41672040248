/**
 * The lease a CLI run or replay holds: short, renewed while the process lives. A run started by hand may
 * last days (`--max-duration 30d`); a lease that long would lock the source for as long if the process
 * died. Capped at 15 minutes and renewed every 5, the lease frees the source at most 15 minutes after
 * the process is gone.
 */
import type { DynamoCheckpointStore } from '../aws/checkpoint-store.js';
import type { Clock } from '../clock.js';
import { describeError } from '../errors.js';
import type { RunLogger } from '../ingest/ports.js';

export const CLI_LEASE_MS = 15 * 60_000;
export const CLI_LEASE_RENEW_EVERY_MS = 5 * 60_000;

/** The lease a CLI process takes: as long as the run needs, never more than CLI_LEASE_MS. */
export function cliLeaseMs(runLeaseMs: number): number {
  return Math.min(runLeaseMs, CLI_LEASE_MS);
}

export interface LeaseKeeping {
  readonly source: string;
  readonly owner: string;
  readonly leaseMs: number;
  readonly everyMs: number;
  readonly clock: Clock;
  readonly logger: Pick<RunLogger, 'warn'>;
}

/**
 * Renews the lease of `owner` every `everyMs` until stopped. A renewal that finds the lease gone (not
 * taken yet, released, or taken by another run after it expired) changes nothing and is only logged:
 * the run's own next write then fails on its owner condition and the run stops.
 */
export function keepLeaseAlive(store: Pick<DynamoCheckpointStore, 'renew'>, keeping: LeaseKeeping): { stop(): Promise<void> } {
  const abort = new AbortController();
  const loop = (async () => {
    for (;;) {
      await keeping.clock.sleep(keeping.everyMs, abort.signal);
      try {
        const renewed = await store.renew(keeping.source, keeping.owner, keeping.clock.now(), keeping.leaseMs);
        if (!renewed && !abort.signal.aborted)
          keeping.logger.warn('could not renew the lease: this process no longer holds it', { owner: keeping.owner });
      } catch (error) {
        keeping.logger.warn('could not renew the lease; trying again later', { error: describeError(error) });
      }
    }
  })().catch(() => undefined);
  return {
    stop: async () => {
      abort.abort(new Error('lease keeping stopped'));
      await loop;
    },
  };
}
