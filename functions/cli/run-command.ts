/** `symantec-edr run`: one ingestion run with the environment's configuration, like one scheduled tick. */
import { parseDurationMs } from '../duration.js';
import { describeError } from '../errors.js';
import { run } from '../ingest/run.js';
import { checkSourceOption, parseCommandArgs, usageError } from './arguments.js';
import { createJsonLogger, loadCommandConfig } from './cli-support.js';
import { SIGNAL_STATUS } from './interrupt.js';
import type { CommandIo } from './main.js';
import { openSourceSession } from './source-session.js';

const HELP = `Usage: symantec-edr run [--function NAME] [--source ID] [--max-duration 5m] [--debug]

One ingestion run, exactly as the scheduled Lambda does it: takes the source's lease, pages the due
windows, delivers to Firehose, moves the checkpoint. Configuration comes from the environment (see
docs/configuration.md) or, with --function, from a deployed function; AWS endpoints and credentials
from the SDK's usual variables, so it runs against real AWS or the local emulators.

  --function NAME      read the settings from this deployed function's environment (name or ARN)
  --source ID          the source to run (default: SOURCE_ID)
  --max-duration D     stop starting pages after this long, like a Lambda timeout (default 5m)
  --debug              also print debug log lines

The lease lasts at most 15 minutes and is renewed while the run goes on. Ctrl-C (or SIGTERM) stops
after the page in flight, stores the progress and releases the lease; a second one quits at once.
The run refuses to start when this machine's clock is more than 30 s off AWS's.

Logs go to standard error as JSON lines; the run summary to standard output as JSON.
Exit status: 0 completed, stopped for time, idle or lease held elsewhere; 1 the run failed (or the
clock is off); 2 bad usage or configuration; 130 stopped by SIGINT, 143 by SIGTERM.
Details: docs/cli.md; permissions: docs/security.md; a stuck lease: docs/operations.md.
`;

export async function runRunCommand(argv: string[], io: CommandIo): Promise<number> {
  const values = parseCommandArgs(
    'run',
    argv,
    { function: { type: 'string' }, source: { type: 'string' }, 'max-duration': { type: 'string' }, debug: { type: 'boolean' } },
    io,
    HELP,
  );
  if (typeof values === 'number') return values;
  const badSource = checkSourceOption('run', values.source, io);
  if (badSource !== undefined) return badSource;
  const maxDurationMs = parseDurationMs(values['max-duration'] ?? '5m');
  if (maxDurationMs === undefined) return usageError('run', '--max-duration must be a duration like 90s or 5m', io);
  const logger = createJsonLogger(io.stderr, { debug: values.debug ?? false });
  try {
    const config = await loadCommandConfig('run', io, values.function);
    if ('status' in config) return config.status;
    const source = values.source ?? config.sourceId;
    logger.appendKeys({ source });
    const session = await openSourceSession({ command: 'run', io, config, source, maxDurationMs, logger });
    if (typeof session === 'number') return session;
    try {
      session.keepLease();
      const summary = await run(session.deps);
      io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      if (session.stop.signal !== undefined) return SIGNAL_STATUS[session.stop.signal];
      return summary.status === 'failed' ? 1 : 0;
    } finally {
      await session.close();
    }
  } catch (error) {
    io.stderr.write(`symantec-edr run: ${describeError(error)}\n`);
    return 1;
  }
}
