/**
 * The Security Lake sink with its clients: the S3 client writing as the custom source's provider role,
 * which it assumes through STS with the external ID. Loaded only by a function that delivers to Security
 * Lake (wiring.ts imports it on first use), so the S3 and STS clients and the Parquet writer add nothing
 * to the cold start of one that delivers to Firehose.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { providerRoleCredentials } from './provider-role.js';
import { SecurityLakeSink, roleAccount } from './security-lake-sink.js';

export interface SecurityLakeTarget {
  readonly bucket: string;
  readonly sourceName: string;
  readonly roleArn: string;
  readonly externalId: string;
}

export function createSecurityLakeSink(target: SecurityLakeTarget): SecurityLakeSink {
  return new SecurityLakeSink(securityLakeClient(target.roleArn, target.externalId), {
    bucket: target.bucket,
    sourceName: target.sourceName,
    region: awsRegion(),
    accountId: roleAccount(target.roleArn),
  });
}

// One S3 client per provider role, per container: it keeps the role's credentials until they near expiry.
const lakeClients = new Map<string, S3Client>();

function securityLakeClient(roleArn: string, externalId: string): S3Client {
  const key = `${roleArn}\n${externalId}`;
  let client = lakeClients.get(key);
  if (!client) {
    client = new S3Client({
      credentials: providerRoleCredentials(new STSClient({}), roleArn, externalId),
      // A local S3 endpoint (the emulator) answers path-style only; the real one takes either.
      forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
    });
    lakeClients.set(key, client);
  }
  return client;
}

/** The region the function runs in, which is the custom source's (`region=` of the keys). */
function awsRegion(): string {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Security Lake delivery needs AWS_REGION, the region of the custom source');
  return region;
}
