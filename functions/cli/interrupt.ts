/**
 * Ctrl-C (SIGINT) and SIGTERM during `run` or `replay`: the first stops the work gracefully (no new page
 * starts, the one in flight is delivered and its progress stored, the lease released); a second quits at
 * once, leaving the lease to expire on its own (at most 15 minutes). The exit status is 128 + the
 * signal's number, as shells report it: 130 for SIGINT, 143 for SIGTERM.
 */
import type { CommandIo } from './main.js';

export const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof SIGNAL_STATUS;

export interface StopListener {
  /** The signal received, if any. */
  readonly signal: StopSignal | undefined;
  dispose(): void;
}

export function listenForStop(command: string, io: CommandIo, onStop: () => void): StopListener {
  const signals = io.signals;
  let received: StopSignal | undefined;
  const handle = (signal: StopSignal) => () => {
    if (received !== undefined) {
      io.stderr.write(`symantec-edr ${command}: ${signal} again: quitting now; the lease expires on its own\n`);
      process.exit(SIGNAL_STATUS[signal]);
    }
    received = signal;
    io.stderr.write(
      `symantec-edr ${command}: ${signal}: stopping after the page in flight and releasing the lease (again to quit at once)\n`,
    );
    onStop();
  };
  const handlers = { SIGINT: handle('SIGINT'), SIGTERM: handle('SIGTERM') };
  signals?.on('SIGINT', handlers.SIGINT);
  signals?.on('SIGTERM', handlers.SIGTERM);
  return {
    get signal() {
      return received;
    },
    dispose: () => {
      signals?.off('SIGINT', handlers.SIGINT);
      signals?.off('SIGTERM', handlers.SIGTERM);
    },
  };
}
