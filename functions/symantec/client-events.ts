/**
 * What the client tells its caller, for logs and metrics. No event carries a header, a token or a
 * credential: paths only (no host, no query), numbers, and messages that were already scrubbed.
 */
export type ClientEvent =
  | {
      readonly type: 'request';
      readonly method: string;
      readonly path: string;
      /** Absent when no answer came (network error, timeout, cancelled). */
      readonly status: number | undefined;
      readonly durationMs: number;
      /** Body bytes read (after any content decoding). */
      readonly bytes: number;
    }
  | {
      readonly type: 'retry';
      readonly path: string;
      /** The attempt that failed, 1 for the first. */
      readonly attempt: number;
      readonly delayMs: number;
      /** The failed attempt's error message. */
      readonly reason: string;
    }
  | { readonly type: 'token'; readonly expiresInSeconds: number };

export type ClientEventListener = (event: ClientEvent) => void;
