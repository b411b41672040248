/** `symantec-edr replay --from ISO --to ISO`: re-ingest a past range through the dedupe, checkpoint untouched. */
import { parseArgs } from 'node:util';
import { parseDurationMs } from '../duration.js';
import { describeError } from '../errors.js';
import { replay } from '../ingest/replay.js';
import { SymantecClientCache, buildRunDependencies, createAwsClients, runTimeLimits } from '../ingest/wiring.js';
import { configFromEnv, createJsonLogger, parseIsoInstant, readSecretText } from './cli-support.js';
import type { CommandIo } from './main.js';

const HELP = `Usage: symantec-edr replay --from ISO --to ISO [--source ID] [--max-duration 15m]

Fetches every incident version in [from, to) again and delivers, through the seen-set, the ones not
delivered before (with DEDUPE=false: all of them). The checkpoint does not move and no lease is taken,
so scheduled runs go on meanwhile. The API keeps 30 days: --from must be within them.

  --from ISO           start of the range, e.g. 2026-11-01T00:00:00Z
  --to ISO             end of the range (exclusive)
  --source ID          the source whose seen-set to use (default: SOURCE_ID)
  --max-duration D     stop starting pages after this long (default 15m); run again to finish
`;

export async function runReplayCommand(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, source: { type: 'string' }, 'max-duration': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    io.stderr.write(`symantec-edr replay: ${describeError(error)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let fromMs: number;
  let toMs: number;
  try {
    fromMs = parseIsoInstant(values.from, '--from');
    toMs = parseIsoInstant(values.to, '--to');
  } catch (error) {
    io.stderr.write(`symantec-edr replay: ${describeError(error)}\n`);
    return 2;
  }
  const maxDurationMs = parseDurationMs(values['max-duration'] ?? '15m');
  if (maxDurationMs === undefined) {
    io.stderr.write('symantec-edr replay: --max-duration must be a duration like 90s or 15m\n');
    return 2;
  }
  const config = configFromEnv(io);
  if (!config) return 2;
  const logger = createJsonLogger(io.stderr);
  try {
    const source = values.source ?? config.sourceId;
    logger.appendKeys({ source, replay: true });
    const api = new SymantecClientCache().get(config, await readSecretText(config));
    const deps = buildRunDependencies({ config, clients: createAwsClients(), api, source, owner: 'replay', logger, ...runTimeLimits(Date.now(), maxDurationMs) });
    const summary = await replay(deps, fromMs, toMs);
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (summary.resumeFrom !== undefined) {
      io.stderr.write(`symantec-edr replay: stopped for time at ${summary.resumeFrom}; to finish, run it again with --from ${summary.resumeFrom}\n`);
    }
    return 0;
  } catch (error) {
    io.stderr.write(`symantec-edr replay: ${describeError(error)}\n`);
    return 1;
  }
}
