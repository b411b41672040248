/**
 * The Lambda entry point of a function that delivers to Amazon Security Lake: the same handler, with the
 * Security Lake sink registered. A separate entry (and bundle) so that the S3 and STS clients and the
 * Parquet writer stay out of the bundle of functions that deliver to Firehose.
 */
import { createSecurityLakeSink } from './aws/security-lake-wiring.js';
import { useSecurityLakeSink } from './ingest/wiring.js';

useSecurityLakeSink(createSecurityLakeSink);

export { handler } from './handler.js';
