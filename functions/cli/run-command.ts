/** `symantec-edr run`: one ingestion run with the environment's configuration, like one scheduled tick. */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseDurationMs } from '../duration.js';
import { describeError } from '../errors.js';
import { run } from '../ingest/run.js';
import { SymantecClientCache, buildRunDependencies, createAwsClients, runTimeLimits } from '../ingest/wiring.js';
import { configFromEnv, createJsonLogger, readSecretText } from './cli-support.js';
import type { CommandIo } from './main.js';

const HELP = `Usage: symantec-edr run [--source ID] [--max-duration 5m] [--debug]

One ingestion run, exactly as the scheduled Lambda does it: takes the source's lease, pages the due
windows, delivers to Firehose, moves the checkpoint. Configuration comes from the environment (the
variables of the README's Configuration section); AWS endpoints and credentials from the SDK's usual
variables, so it runs against real AWS or the local emulators.

  --source ID          the source to run (default: SOURCE_ID)
  --max-duration D     stop starting pages after this long, like a Lambda timeout (default 5m)
  --debug              also print debug log lines

Logs go to standard error as JSON lines; the run summary to standard output as JSON.
Exit status: 0 completed, stopped for time, idle or lease held elsewhere; 1 the run failed; 2 bad usage.
`;

export async function runRunCommand(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { source: { type: 'string' }, 'max-duration': { type: 'string' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    io.stderr.write(`symantec-edr run: ${describeError(error)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const maxDurationMs = parseDurationMs(values['max-duration'] ?? '5m');
  if (maxDurationMs === undefined) {
    io.stderr.write(`symantec-edr run: --max-duration must be a duration like 90s or 5m\n`);
    return 2;
  }
  const config = configFromEnv(io);
  if (!config) return 2;
  const logger = createJsonLogger(io.stderr, { debug: values.debug ?? false });
  try {
    const source = values.source ?? config.sourceId;
    logger.appendKeys({ source });
    const api = new SymantecClientCache().get(config, await readSecretText(config));
    const clients = createAwsClients();
    const summary = await run(
      buildRunDependencies({ config, clients, api, source, owner: `cli-${randomUUID()}`, logger, ...runTimeLimits(Date.now(), maxDurationMs) }),
    );
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return summary.status === 'failed' ? 1 : 0;
  } catch (error) {
    io.stderr.write(`symantec-edr run: ${describeError(error)}\n`);
    return 1;
  }
}
