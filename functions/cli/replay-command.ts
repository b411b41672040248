/** `symantec-edr replay --from ISO --to ISO`: re-ingest a past range through the dedupe, checkpoint untouched. */
import { systemClock } from '../clock.js';
import { parseDurationMs } from '../duration.js';
import { describeError } from '../errors.js';
import { replay } from '../ingest/replay.js';
import { earliestFetchableMs } from '../window.js';
import { checkSourceOption, parseCommandArgs, usageError } from './arguments.js';
import { createJsonLogger, loadCommandConfig, parseIsoInstant } from './cli-support.js';
import { SIGNAL_STATUS } from './interrupt.js';
import type { CommandIo } from './main.js';
import { openSourceSession } from './source-session.js';

/** Exit status when the time was up before the end of the range: run the printed command to go on. */
export const REPLAY_STOPPED_STATUS = 3;
/** Exit status when another run or replay holds the source's lease: nothing was fetched or delivered. */
export const REPLAY_LEASE_HELD_STATUS = 4;

const HELP = `Usage: symantec-edr replay --from ISO --to ISO [--function NAME] [--source ID] [--max-duration 15m] [--progress]

Fetches every incident version in [from, to) again and delivers, through the seen-set, the ones not
delivered before (with DEDUPE=false: all of them). The checkpoint does not move. The replay holds the
source's lease while it works, as a run does, so a run and a replay never deliver the same versions at
once; scheduled runs skip the source meanwhile. The API keeps 30 days: --from must be within them.

  --from ISO           start of the range, e.g. 2026-11-01T00:00:00Z (required)
  --to ISO             end of the range (exclusive, not in the future; required)
  --function NAME      read the settings from this deployed function's environment (name or ARN)
  --source ID          the source whose seen-set and lease to use (default: SOURCE_ID)
  --max-duration D     stop starting pages after this long (default 15m); the command that goes on
                       is printed
  --progress           one line per window on standard error (the default when it is a terminal)

Ctrl-C (or SIGTERM) stops after the page in flight, releases the lease and prints the command that
goes on; a second one quits at once.

Exit status: 0 the whole range was replayed; 1 it failed (or the clock is more than 30 s off AWS's);
2 bad usage or configuration; 3 stopped for time with work left (the command that goes on is on
standard error); 4 another run or replay holds the source's lease (try again when it ends);
130 stopped by SIGINT, 143 by SIGTERM.
Details: docs/cli.md; permissions: docs/security.md.
`;

export async function runReplayCommand(argv: string[], io: CommandIo): Promise<number> {
  const values = parseCommandArgs(
    'replay',
    argv,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      function: { type: 'string' },
      source: { type: 'string' },
      'max-duration': { type: 'string' },
      progress: { type: 'boolean' },
    },
    io,
    HELP,
  );
  if (typeof values === 'number') return values;
  const badSource = checkSourceOption('replay', values.source, io);
  if (badSource !== undefined) return badSource;
  if (values.from === undefined)
    return usageError('replay', '--from is required: the start of the range to replay, e.g. --from 2026-11-01T00:00:00Z', io);
  if (values.to === undefined)
    return usageError('replay', '--to is required: the end of the range to replay (exclusive), e.g. --to 2026-11-02T00:00:00Z', io);
  let fromMs: number;
  let toMs: number;
  try {
    fromMs = parseIsoInstant(values.from, '--from');
    toMs = parseIsoInstant(values.to, '--to');
  } catch (error) {
    return usageError('replay', error instanceof Error ? error.message : String(error), io);
  }
  // The range is checked before anything is read: no secret, no AWS call for a range that cannot be replayed.
  const rangeProblem = checkRange(fromMs, toMs, (io.clock ?? systemClock).now());
  if (rangeProblem !== undefined) return usageError('replay', rangeProblem, io);
  const maxDurationMs = parseDurationMs(values['max-duration'] ?? '15m');
  if (maxDurationMs === undefined) return usageError('replay', '--max-duration must be a duration like 90s or 15m', io);

  const logger = createJsonLogger(io.stderr);
  try {
    const config = await loadCommandConfig('replay', io, values.function);
    if ('status' in config) return config.status;
    const source = values.source ?? config.sourceId;
    logger.appendKeys({ source, replay: true });
    const leaseHeld = (holder?: { owner: string; expiresAtMs: number }) => {
      const who = holder
        ? ` (${holder.owner}) holds the lease on source "${source}" until ${new Date(holder.expiresAtMs).toISOString()}`
        : ` holds the lease on source "${source}"`;
      io.stderr.write(
        `symantec-edr replay: another run or replay${who}; replaying now would deliver the same versions twice. Try again when it has ended.\n`,
      );
      return REPLAY_LEASE_HELD_STATUS;
    };
    const session = await openSourceSession({
      command: 'replay',
      io,
      config,
      source,
      maxDurationMs,
      logger,
      beforeSecret: (state) =>
        state.lease && state.lease.expiresAtMs > (io.clock ?? systemClock).now() ? leaseHeld(state.lease) : undefined,
    });
    if (typeof session === 'number') return session;
    const { deps } = session;
    try {
      const lease = await deps.checkpoints.acquire(source, deps.owner, deps.clock.now(), deps.leaseMs);
      if (!lease) return leaseHeld();
      session.keepLease();
      const showProgress = values.progress === true || (io.stderr as { isTTY?: boolean }).isTTY === true;
      let summary;
      try {
        summary = await replay(deps, fromMs, toMs, {
          onWindowDone: showProgress
            ? (window, counts) => {
                const done = Math.round((100 * (Date.parse(window.end) - fromMs)) / (toMs - fromMs));
                io.stderr.write(
                  `replay: ${window.start} .. ${window.end} done (${done}%): fetched ${counts.fetched}, delivered ${counts.delivered}, duplicates ${counts.duplicates}\n`,
                );
              }
            : undefined,
        });
      } finally {
        // The replay wrote nothing under the lease, so the version it took the lease with still holds.
        await deps.checkpoints
          .release(lease)
          .catch((error: unknown) => logger.warn('could not release the lease', { error: describeError(error) }));
      }
      io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      if (summary.resumeFrom === undefined) return session.stop.signal === undefined ? 0 : SIGNAL_STATUS[session.stop.signal];
      const goOn = ['symantec-edr replay', '--from', summary.resumeFrom, '--to', summary.to];
      if (values.function !== undefined) goOn.push('--function', values.function);
      if (values.source !== undefined) goOn.push('--source', values.source);
      if (values['max-duration'] !== undefined) goOn.push('--max-duration', values['max-duration']);
      io.stderr.write(`symantec-edr replay: stopped at ${summary.resumeFrom} with work left; to go on, run:\n  ${goOn.join(' ')}\n`);
      return session.stop.signal === undefined ? REPLAY_STOPPED_STATUS : SIGNAL_STATUS[session.stop.signal];
    } finally {
      await session.close();
    }
  } catch (error) {
    io.stderr.write(`symantec-edr replay: ${describeError(error)}\n`);
    return 1;
  }
}

function checkRange(fromMs: number, toMs: number, nowMs: number): string | undefined {
  if (!(fromMs < toMs)) return `--from ${new Date(fromMs).toISOString()} must be earlier than --to ${new Date(toMs).toISOString()}`;
  const earliestMs = earliestFetchableMs(nowMs);
  if (fromMs < earliestMs) {
    return `--from ${new Date(fromMs).toISOString()} is older than the 30 days the API keeps (earliest: ${new Date(earliestMs).toISOString()})`;
  }
  if (toMs > nowMs) return `--to ${new Date(toMs).toISOString()} is in the future (now: ${new Date(nowMs).toISOString()})`;
  return undefined;
}
