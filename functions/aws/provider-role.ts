/**
 * Credentials of a Security Lake custom source's provider role, assumed with its external ID and kept
 * until five minutes before they expire: the S3 client that writes the source's objects asks for them.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';

/** Temporary credentials as the SDK's clients take them. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

const REFRESH_MARGIN_MS = 5 * 60_000;

export function providerRoleCredentials(
  sts: STSClient,
  roleArn: string,
  externalId: string,
  now: () => number = Date.now,
): () => Promise<RoleCredentials> {
  let current: Promise<RoleCredentials> | undefined;
  const assume = async (): Promise<RoleCredentials> => {
    const result = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, ExternalId: externalId, RoleSessionName: 'symantec-edr-ingest', DurationSeconds: 3600 }),
    );
    const credentials = result.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} answered no credentials`);
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    };
  };
  return async () => {
    const held = current && (await current.catch(() => undefined));
    if (held && (held.expiration === undefined || held.expiration.getTime() - now() > REFRESH_MARGIN_MS)) return held;
    // A failed AssumeRole is not kept: the next call tries again.
    current = assume();
    return current;
  };
}
