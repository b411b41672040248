/**
 * Decorators around one run's ports. They charge each call its modelled cost on the simulated clock,
 * tell the engine what happened (cursor moves, records put and not yet marked seen), and can kill the
 * process at a chosen call: do the call or not, then throw, and from then on every call of that run
 * throws without doing anything. A dead process releases nothing: its lease has to expire.
 */
import type { CheckpointStore, CompletedProgress, LastRun, Lease, SweepProgress } from '../../functions/aws/checkpoint-store.js';
import type { DeliveryOutcome, RecordSink } from '../../functions/aws/firehose-sink.js';
import type { SeenSet } from '../../functions/aws/seen-set.js';
import type { IncidentPage, IncidentPageSource, IncidentQuery, RunDependencies } from '../../functions/ingest/ports.js';
import type { OpenWindow } from '../../functions/window.js';
import type { SimClock } from './sim-clock.js';

export type PortName = 'checkpoints' | 'seen' | 'sink' | 'api';

/** Where a process dies: the `call`-th call of `port.method` in the run, before or after it took effect. */
export interface KillPoint {
  readonly port: PortName;
  readonly method: string;
  readonly call: number;
  readonly when: 'before' | 'after';
}

export const describeKill = (kill: KillPoint) => `${kill.when} ${kill.port}.${kill.method}`;

/** Thrown into the run at the kill point: the process is gone. */
export class KillSignal extends Error {
  override readonly name = 'KillSignal';
}

/**
 * Modelled latencies (simulated milliseconds): a Symantec page is the slow part, as the public peers'
 * timings suggest (around a second for a page); AWS calls inside a region take milliseconds.
 */
export const CALL_COST_MS = {
  apiPage: 700,
  apiPerIncident: 1,
  put: 60,
  seen: 15,
  checkpoint: 10,
} as const;

export interface ProbeListener {
  /** The stored cursor moved to `cursor` at `atMs` (the write took effect). */
  cursorMoved(atMs: number, cursor: string): void;
}

export class RunProbe {
  #dead = false;
  #killed: KillPoint | undefined;
  readonly #calls = new Map<string, number>();
  /** Records Firehose accepted in the last put and not yet marked seen. */
  #unmarked: Buffer[] = [];
  #markFailed = false;

  constructor(
    private readonly clock: SimClock,
    private readonly killAt: KillPoint | undefined,
    private readonly listener: ProbeListener,
  ) {}

  get dead(): boolean {
    return this.#dead;
  }

  get killed(): KillPoint | undefined {
    return this.#killed;
  }

  /** Records put but never marked seen when the run ended, and why: these may be delivered again. */
  unmarked(): { records: Buffer[]; cause: 'kill' | 'mark-failed' | 'run-ended' } | undefined {
    if (this.#unmarked.length === 0) return undefined;
    return { records: this.#unmarked, cause: this.#killed ? 'kill' : this.#markFailed ? 'mark-failed' : 'run-ended' };
  }

  wrap(deps: RunDependencies): RunDependencies {
    return {
      ...deps,
      api: this.#api(deps.api),
      checkpoints: this.#checkpoints(deps.checkpoints),
      seen: deps.seen && this.#seen(deps.seen),
      sink: this.#sink(deps.sink),
    };
  }

  async #call<T>(
    port: PortName,
    method: string,
    costMs: (result: T) => number,
    work: () => Promise<T>,
    after?: (result: T) => void,
  ): Promise<T> {
    if (this.#dead) throw new KillSignal(`the process is dead: ${port}.${method} not called`);
    const call = (this.#calls.get(`${port}.${method}`) ?? 0) + 1;
    this.#calls.set(`${port}.${method}`, call);
    const kill = this.killAt;
    const killHere = kill !== undefined && kill.port === port && kill.method === method && kill.call === call;
    if (killHere && kill.when === 'before') throw this.#die(kill);
    const result = await work();
    after?.(result);
    // Another call killed the process while this one was under way: its answer reaches no one.
    if (this.#dead) throw new KillSignal(`the process died during ${port}.${method}`);
    if (killHere && kill.when === 'after') throw this.#die(kill);
    await this.clock.sleep(costMs(result));
    if (this.#dead) throw new KillSignal(`the process died during ${port}.${method}`);
    return result;
  }

  #die(kill: KillPoint): KillSignal {
    this.#dead = true;
    this.#killed = kill;
    return new KillSignal(`process killed ${describeKill(kill)} (call ${kill.call})`);
  }

  #api(api: IncidentPageSource): IncidentPageSource {
    return {
      fetchIncidentPage: (query: IncidentQuery, limits) =>
        this.#call<IncidentPage>(
          'api',
          'fetchIncidentPage',
          (page) => CALL_COST_MS.apiPage + CALL_COST_MS.apiPerIncident * page.incidents.length,
          () => api.fetchIncidentPage(query, limits),
        ),
    };
  }

  #checkpoints(store: CheckpointStore): CheckpointStore {
    const cost = () => CALL_COST_MS.checkpoint;
    return {
      acquire: (source, owner, nowMs, leaseMs) =>
        this.#call('checkpoints', 'acquire', cost, () => store.acquire(source, owner, nowMs, leaseMs)),
      saveProgress: (lease: Lease, window: OpenWindow) =>
        this.#call('checkpoints', 'saveProgress', cost, () => store.saveProgress(lease, window)),
      complete: (lease: Lease, progress: CompletedProgress) =>
        this.#call(
          'checkpoints',
          'complete',
          cost,
          () => store.complete(lease, progress),
          () => this.listener.cursorMoved(this.clock.now(), progress.cursor),
        ),
      saveSweep: (lease: Lease, sweep: SweepProgress) => this.#call('checkpoints', 'saveSweep', cost, () => store.saveSweep(lease, sweep)),
      finishSweep: (lease: Lease, sweptAt: string) =>
        this.#call('checkpoints', 'finishSweep', cost, () => store.finishSweep(lease, sweptAt)),
      release: (lease: Lease, lastRun?: LastRun) => this.#call('checkpoints', 'release', cost, () => store.release(lease, lastRun)),
    };
  }

  #seen(seen: SeenSet): SeenSet {
    const cost = () => CALL_COST_MS.seen;
    return {
      filterUnseen: (source, fingerprints) => this.#call('seen', 'filterUnseen', cost, () => seen.filterUnseen(source, fingerprints)),
      markSeen: async (source, fingerprints) => {
        try {
          await this.#call(
            'seen',
            'markSeen',
            cost,
            () => seen.markSeen(source, fingerprints),
            () => (this.#unmarked = []),
          );
        } catch (error) {
          if (!(error instanceof KillSignal)) this.#markFailed = true;
          throw error;
        }
      },
    };
  }

  #sink(sink: RecordSink): RecordSink {
    return {
      put: (records, deadlineMs) =>
        this.#call<DeliveryOutcome>(
          'sink',
          'put',
          (outcome) => CALL_COST_MS.put * Math.max(1, outcome.calls),
          () => sink.put(records, deadlineMs),
          (outcome) => {
            this.#unmarked = records.filter((_, index) => !outcome.failed.has(index));
            this.#markFailed = false;
          },
        ),
    };
  }
}
