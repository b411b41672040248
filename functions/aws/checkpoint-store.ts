/**
 * The checkpoint and lease of a source: one DynamoDB item, written only with single-item conditional
 * updates. Every write after `acquire` is conditional on this run still owning the lease and on the version
 * it last wrote, so a run that lost its lease can never overwrite a newer checkpoint.
 */
import { ConditionalCheckFailedException, type AttributeValue, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LeaseLostError } from '../errors.js';
import type { OpenWindow } from '../window.js';
import {
  type Checkpoint,
  type LastRun,
  type SweepProgress,
  lastRunValue,
  readCheckpoint,
  sweepValue,
  windowValue,
} from './checkpoint-item.js';
import { checkpointKey } from './table-keys.js';

export type { Checkpoint, LastRun, SweepProgress } from './checkpoint-item.js';

export interface Lease {
  readonly source: string;
  readonly owner: string;
  readonly version: number;
  readonly expiresAtMs: number;
  readonly checkpoint: Checkpoint;
}

/** What `run` needs from checkpoint storage; the DynamoDB store below and the simulation's fakes provide it. */
export interface CheckpointStore {
  /** Takes the source's lease if it is free or expired; `undefined` when another run holds it. */
  acquire(source: string, owner: string, nowMs: number, leaseMs: number): Promise<Lease | undefined>;
  /** Stores the open window and the offset of its next page. Throws LeaseLostError. */
  saveProgress(lease: Lease, window: OpenWindow): Promise<Lease>;
  /** Closes the open window: the cursor moves to `cursor` (never backwards). Throws LeaseLostError. */
  complete(lease: Lease, progress: CompletedProgress): Promise<Lease>;
  /** Stores where an update sweep stopped. Throws LeaseLostError. */
  saveSweep(lease: Lease, sweep: SweepProgress): Promise<Lease>;
  /** Records a completed update sweep: `sweptAt` is set and any stored sweep progress goes. Throws LeaseLostError. */
  finishSweep(lease: Lease, sweptAt: string): Promise<Lease>;
  /**
   * Gives the lease up, in the same write recording how the run ended (`lastRun`, and `lastSucceededAt`
   * unless it failed); a lease already lost is not an error.
   */
  release(lease: Lease, lastRun?: LastRun): Promise<void>;
}

export interface CompletedProgress {
  readonly cursor: string;
  readonly sweptAt?: string | undefined;
  readonly origin?: string | undefined;
}

export class DynamoCheckpointStore implements CheckpointStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async acquire(source: string, owner: string, nowMs: number, leaseMs: number): Promise<Lease | undefined> {
    const expiresAtMs = nowMs + leaseMs;
    try {
      // One round trip: take the lease and read the checkpoint (ALL_NEW) in the same conditional update.
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: checkpointKey(source) } },
          UpdateExpression: 'SET #lease = :lease, #version = if_not_exists(#version, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(#lease) OR #lease.#expiresAt < :now',
          ExpressionAttributeNames: { '#lease': 'lease', '#version': 'version', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: {
            ':lease': { M: { owner: { S: owner }, expiresAt: { N: String(expiresAtMs) } } },
            ':zero': { N: '0' },
            ':one': { N: '1' },
            ':now': { N: String(nowMs) },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = result.Attributes ?? {};
      return { source, owner, expiresAtMs, version: Number(item.version?.N ?? '1'), checkpoint: readCheckpoint(item) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async saveProgress(lease: Lease, window: OpenWindow): Promise<Lease> {
    await this.ownedUpdate(
      lease,
      'SET #window = :window',
      { ':window': windowValue(window) },
      {
        '#window': 'window',
      },
    );
    return { ...lease, version: lease.version + 1, checkpoint: { ...lease.checkpoint, window } };
  }

  async complete(lease: Lease, progress: CompletedProgress): Promise<Lease> {
    const values: Record<string, AttributeValue> = {};
    const names: Record<string, string> = { '#window': 'window' };
    const sets: string[] = [];
    for (const [key, value] of Object.entries(progress)) {
      if (value === undefined) continue;
      sets.push(`#${key} = :${key}`);
      names[`#${key}`] = key;
      values[`:${key}`] = { S: value };
    }
    await this.ownedUpdate(
      lease,
      `SET ${sets.join(', ')} REMOVE #window`,
      values,
      names,
      // ISO instants in one format order as strings: the cursor never moves backwards.
      'AND (attribute_not_exists(#cursor) OR #cursor <= :cursor)',
    );
    const { window: _closed, ...kept } = lease.checkpoint;
    const checkpoint: Checkpoint = { ...kept, ...definedOnly(progress) };
    return { ...lease, version: lease.version + 1, checkpoint };
  }

  async saveSweep(lease: Lease, sweep: SweepProgress): Promise<Lease> {
    await this.ownedUpdate(lease, 'SET #sweep = :sweep', { ':sweep': sweepValue(sweep) }, { '#sweep': 'sweep' });
    return { ...lease, version: lease.version + 1, checkpoint: { ...lease.checkpoint, sweep } };
  }

  async finishSweep(lease: Lease, sweptAt: string): Promise<Lease> {
    await this.ownedUpdate(
      lease,
      'SET #sweptAt = :sweptAt REMOVE #sweep',
      { ':sweptAt': { S: sweptAt } },
      { '#sweptAt': 'sweptAt', '#sweep': 'sweep' },
    );
    const { sweep: _done, ...kept } = lease.checkpoint;
    return { ...lease, version: lease.version + 1, checkpoint: { ...kept, sweptAt } };
  }

  /**
   * Moves the lease's expiry to `nowMs + leaseMs` while `owner` still holds it; false when it does not.
   * The condition is on the owner only and the version stays: a renewal never races the run's own
   * writes (each conditional on the version it last wrote), it only keeps a long run's lease alive.
   */
  async renew(source: string, owner: string, nowMs: number, leaseMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: checkpointKey(source) } },
          UpdateExpression: 'SET #lease.#expiresAt = :expiresAt',
          ConditionExpression: '#lease.#owner = :owner',
          ExpressionAttributeNames: { '#lease': 'lease', '#owner': 'owner', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':owner': { S: owner }, ':expiresAt': { N: String(nowMs + leaseMs) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(lease: Lease, lastRun?: LastRun): Promise<void> {
    const values: Record<string, AttributeValue> = {};
    const names: Record<string, string> = {};
    const sets: string[] = [];
    if (lastRun) {
      sets.push('#lastRun = :lastRun');
      names['#lastRun'] = 'lastRun';
      values[':lastRun'] = lastRunValue(lastRun);
      if (lastRun.status !== 'failed') {
        sets.push('#lastSucceededAt = :lastSucceededAt');
        names['#lastSucceededAt'] = 'lastSucceededAt';
        values[':lastSucceededAt'] = { S: lastRun.at };
      }
    }
    try {
      // One write: the run's outcome goes in with the lease's removal, under the same owner and version check.
      await this.ownedUpdate(lease, `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}REMOVE #lease`, values, names);
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
    }
  }

  private async ownedUpdate(
    lease: Lease,
    update: string,
    values: Record<string, AttributeValue>,
    names: Record<string, string>,
    extraCondition = '',
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: checkpointKey(lease.source) } },
          UpdateExpression: update.startsWith('SET') ? update.replace('SET ', 'SET #version = :next, ') : `SET #version = :next ${update}`,
          ConditionExpression: `#version = :expected AND #lease.#owner = :owner ${extraCondition}`,
          ExpressionAttributeNames: { ...names, '#version': 'version', '#lease': 'lease', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ...values,
            ':expected': { N: String(lease.version) },
            ':next': { N: String(lease.version + 1) },
            ':owner': { S: lease.owner },
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new LeaseLostError(lease.source, { cause: error });
      throw error;
    }
  }
}

function definedOnly(progress: CompletedProgress): Partial<CompletedProgress> {
  return Object.fromEntries(Object.entries(progress).filter(([, value]) => value !== undefined));
}
