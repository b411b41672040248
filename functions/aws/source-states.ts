/**
 * Reads the checkpoint items of the sources, for `symantec-edr status`. DynamoDB cannot list one kind of
 * item without reading the others: the Scan reads (and bills) every item of the table, seen-set items
 * included, and the filter only drops them from the answer.
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CHECKPOINT_ATTRIBUTES, type Checkpoint, type StoredLease, readCheckpoint, readLease } from './checkpoint-item.js';
import { checkpointKey } from './table-keys.js';

export interface SourceState {
  readonly source: string;
  /** `undefined` when the table holds no item for the source. */
  readonly checkpoint?: Checkpoint | undefined;
  readonly lease?: StoredLease | undefined;
}

const SOURCE_PREFIX = checkpointKey('');

/** Only the checkpoint's attributes come back, so the answer stays small whatever else an item holds. */
const projection = {
  ProjectionExpression: CHECKPOINT_ATTRIBUTES.map((name) => `#${name}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(CHECKPOINT_ATTRIBUTES.map((name) => [`#${name}`, name])),
};

/** Every source that has a checkpoint item, in source order; every page of the Scan is read. */
export async function listSourceStates(client: DynamoDBClient, tableName: string): Promise<SourceState[]> {
  const states: SourceState[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(#pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: SOURCE_PREFIX } },
        ...projection,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) states.push(stateOf(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return states.sort((a, b) => a.source.localeCompare(b.source));
}

/** One source, read by its key: one item read instead of the whole table. */
export async function readSourceState(client: DynamoDBClient, tableName: string, source: string): Promise<SourceState> {
  const result = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: checkpointKey(source) } }, ...projection }));
  return result.Item === undefined ? { source } : stateOf(result.Item);
}

function stateOf(item: Record<string, AttributeValue>): SourceState {
  const source = (item.pk?.S ?? '').slice(SOURCE_PREFIX.length);
  return { source, checkpoint: readCheckpoint(item), lease: readLease(item) };
}
