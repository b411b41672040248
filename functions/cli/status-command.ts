/**
 * `symantec-edr status`: how every source is doing, read from the checkpoint table alone: its health, its
 * cursor and lag, how its last run ended, who holds its lease, and its update sweep.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseArgs } from 'node:util';
import { isValidSourceId } from '../source-id.js';
import { type SourceState, listSourceStates, readSourceState } from '../aws/source-states.js';
import { parseDurationMs } from '../duration.js';
import { describeError } from '../errors.js';
import type { CommandIo } from './main.js';
import { STALE_INTERVALS, assessHealth } from './source-health.js';
import { formatStatusTable } from './status-table.js';

const HELP = `Usage: symantec-edr status [--json] [--source ID] [--interval 5m]

The health of every source in the checkpoint table (CHECKPOINT_TABLE; the only variable it needs):

  Healthy     a run succeeded within ${STALE_INTERVALS} intervals and the last run did not fail
  Error       the last run failed (its error is shown)
  Stale       the last run did not fail, but none succeeded for ${STALE_INTERVALS} intervals
  Never run   no run has ended since the source's checkpoint was created

with its cursor and lag, last success, last run, lease holder and expiry, and update sweep.
Without --source it scans the whole table: every item is read (and billed), seen-set items included.

  --json           print a JSON array instead of the table
  --source ID      only this source (one item read instead of a scan)
  --interval D     the sources' schedule interval, for Stale (default 5m)

Exit status: 0 every source Healthy or Never run, 1 a source is Error or Stale or the table could not
be read, 2 bad usage.
`;

export async function runStatusCommand(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        source: { type: 'string' },
        interval: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr.write(`symantec-edr status: ${describeError(error)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const intervalMs = parseDurationMs(values.interval ?? '5m');
  if (intervalMs === undefined || intervalMs === 0) {
    io.stderr.write(`symantec-edr status: --interval must be a duration like 5m or 1h; got ${JSON.stringify(values.interval)}\n`);
    return 2;
  }
  if (values.source !== undefined && !isValidSourceId(values.source)) {
    io.stderr.write(`symantec-edr status: --source must be 1-64 letters, digits, ., _ or -; got ${JSON.stringify(values.source)}\n`);
    return 2;
  }
  const table = io.env.CHECKPOINT_TABLE;
  if (table === undefined || table === '') {
    io.stderr.write("symantec-edr status: set CHECKPOINT_TABLE to the checkpoint table's name (the stack's output CheckpointTableName)\n");
    return 2;
  }
  const client = new DynamoDBClient({});
  let states: SourceState[];
  try {
    states = values.source === undefined ? await listSourceStates(client, table) : [await readSourceState(client, table, values.source)];
  } catch (error) {
    io.stderr.write(`symantec-edr status: could not read checkpoint table ${table}: ${describeError(error)}\n`);
    return 1;
  } finally {
    client.destroy();
  }
  const nowMs = Date.now();
  const health = states.map((state) => assessHealth(state, nowMs, intervalMs));
  io.stdout.write(values.json ? `${JSON.stringify(health, null, 2)}\n` : formatStatusTable(health, nowMs));
  return health.some((h) => h.state === 'Error' || h.state === 'Stale') ? 1 : 0;
}
