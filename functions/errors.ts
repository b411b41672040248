/**
 * The few error kinds the project raises. Each message says the operation, the target and the value,
 * never a credential; `cause` keeps the underlying error.
 */

/** A bad setting: stops a run at start, names the variable and what would fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}

/** A call to the Symantec API failed. `status` is absent for network errors and timeouts. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** Seconds the API asked us to wait (`Retry-After`), when it said so. */
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, options: { status?: number; retryable: boolean; retryAfterSeconds?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Another invocation owns the source now: this run must stop without writing anything more. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    super(`Lost the lease on source "${source}": another run owns it now; stopping without writing`, options);
  }
}

/** Firehose did not accept every record before the run's time was up. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly failedCount: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A short, secret-free description of any thrown value, for log lines and summaries. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
