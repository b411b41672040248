/**
 * The real AWS SDK clients, pointed at the local emulators, with the SDK's standard retry rules (3
 * attempts, exponential backoff with full jitter, 100 ms base and 500 ms for throttling, 20 s cap, only
 * throttling and transient errors retried) but waiting on the simulated clock instead of `setTimeout`.
 * Without this a Firehose outage of hours would cost hours of the SDK's real backoff.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import type { AwsClients } from '../../functions/ingest/wiring.js';
import type { LocalEnv } from '../../local/environment.js';
import type { Random } from '../../local/random.js';
import type { SimClock } from './sim-clock.js';

const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

/** The shape the SDK's retry middleware accepts as a "V2" strategy (see @smithy/core, retry middleware). */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
  getRetryCost(): number | undefined;
}

interface RetryErrorInfo {
  readonly errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

const token = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => 0, getRetryCost: () => undefined });

export class SimulatedRetryStrategy {
  readonly mode = 'standard';
  constructor(
    private readonly clock: SimClock,
    private readonly random: Random,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return token(0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const count = previous.getRetryCount();
    const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
    if (!retryable || count + 1 >= MAX_ATTEMPTS) throw new Error('No retry token available');
    const base = info.errorType === 'THROTTLING' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
    await this.clock.sleep(Math.floor(this.random.next() * Math.min(MAX_DELAY_MS, base * 2 ** count)));
    // The wait already happened on the simulated clock: the middleware's own wait is zero.
    return token(count + 1);
  }

  recordSuccess(): void {}
}

export function createSimAwsClients(env: LocalEnv, clock: SimClock, random: Random): AwsClients {
  const common = {
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    retryStrategy: new SimulatedRetryStrategy(clock, random),
  };
  return {
    dynamodb: new DynamoDBClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    firehose: new FirehoseClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_FIREHOSE }),
  };
}
