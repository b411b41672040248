import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../functions/clock.js';
import { countCall, parseAwsJsonCall, sendAwsError, sendAwsJson } from './aws-json.js';
import { closeServer, guard, listen, readBody, type ListenOptions } from './http-kit.js';

/**
 * AWS Secrets Manager's JSON 1.1 API for the calls this project makes: GetSecretValue, CreateSecret,
 * PutSecretValue, DescribeSecret. Secret values are held in memory and never written anywhere.
 */

export interface SecretsEmulatorOptions extends ListenOptions {
  /** Secrets present at start: name -> SecretString. @default {} */
  secrets?: Record<string, string>;
  /** Dates of versions. @default systemClock */
  clock?: Clock;
}

export interface SecretsEmulator {
  url: string;
  /** Calls per operation name. */
  readonly stats: { calls: Record<string, number> };
  close(): Promise<void>;
}

interface SecretVersion {
  id: string;
  value: string;
  createdSeconds: number;
  stages: string[];
}

interface Secret {
  name: string;
  arn: string;
  createdSeconds: number;
  versions: SecretVersion[];
}

const arnPrefix = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:';
/** Secrets Manager stores at most 64 KiB per secret value. */
const maxBodyBytes = 128 * 1024;

export async function startSecretsEmulator(options: SecretsEmulatorOptions = {}): Promise<SecretsEmulator> {
  const clock = options.clock ?? systemClock;
  const secrets = new Map<string, Secret>();
  const stats = { calls: {} as Record<string, number> };
  const nowSeconds = () => clock.now() / 1000;

  const addVersion = (secret: Secret, value: string, versionId: string | undefined) => {
    for (const version of secret.versions) {
      version.stages = version.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
    }
    const version = { id: versionId ?? randomUUID(), value, createdSeconds: nowSeconds(), stages: ['AWSCURRENT'] };
    secret.versions.push(version);
    return version;
  };
  const create = (name: string, value: string, versionId?: string) => {
    // Real ARNs end in a dash and six random characters, so a client must not build them from the name.
    const arn = `${arnPrefix}${name}-${randomBytes(6).toString('base64url').slice(0, 6)}`;
    const secret: Secret = { name, arn, createdSeconds: nowSeconds(), versions: [] };
    secrets.set(name, secret);
    return { secret, version: addVersion(secret, value, versionId) };
  };
  const find = (id: unknown) =>
    typeof id !== 'string' ? undefined : (secrets.get(id) ?? [...secrets.values()].find((secret) => secret.arn === id));
  for (const [name, value] of Object.entries(options.secrets ?? {})) create(name, value);

  const notFound = (res: ServerResponse) =>
    sendAwsError(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const call = parseAwsJsonCall(req, await readBody(req, maxBodyBytes), 'secretsmanager');
    if (!call.ok) return sendAwsError(res, call.status, call.type, call.message);
    countCall(stats.calls, call.operation);
    const { input } = call;
    switch (call.operation) {
      case 'GetSecretValue': {
        const secret = find(input.SecretId);
        if (!secret) return notFound(res);
        const stage = typeof input.VersionStage === 'string' ? input.VersionStage : 'AWSCURRENT';
        const version = secret.versions.find((candidate) =>
          typeof input.VersionId === 'string' ? candidate.id === input.VersionId : candidate.stages.includes(stage),
        );
        if (!version) return notFound(res);
        return sendAwsJson(res, {
          ARN: secret.arn,
          Name: secret.name,
          SecretString: version.value,
          VersionId: version.id,
          VersionStages: version.stages,
          CreatedDate: version.createdSeconds,
        });
      }
      case 'CreateSecret': {
        if (typeof input.Name !== 'string' || input.Name === '') {
          return sendAwsError(res, 400, 'InvalidParameterException', 'You must provide a Name.');
        }
        if (secrets.has(input.Name)) {
          return sendAwsError(res, 400, 'ResourceExistsException', `The operation failed because the secret ${input.Name} already exists.`);
        }
        if (typeof input.SecretString !== 'string') {
          return sendAwsError(res, 400, 'InvalidRequestException', 'The local Secrets Manager stores SecretString values only.');
        }
        const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
        const { secret, version } = create(input.Name, input.SecretString, token);
        return sendAwsJson(res, { ARN: secret.arn, Name: secret.name, VersionId: version.id });
      }
      case 'PutSecretValue': {
        const secret = find(input.SecretId);
        if (!secret) return notFound(res);
        if (typeof input.SecretString !== 'string') {
          return sendAwsError(res, 400, 'InvalidRequestException', 'The local Secrets Manager stores SecretString values only.');
        }
        const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
        const version = addVersion(secret, input.SecretString, token);
        return sendAwsJson(res, { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages });
      }
      case 'DescribeSecret': {
        const secret = find(input.SecretId);
        if (!secret) return notFound(res);
        const last = secret.versions.at(-1);
        return sendAwsJson(res, {
          ARN: secret.arn,
          Name: secret.name,
          CreatedDate: secret.createdSeconds,
          LastChangedDate: last?.createdSeconds ?? secret.createdSeconds,
          VersionIdsToStages: Object.fromEntries(
            secret.versions.filter((version) => version.stages.length > 0).map((version) => [version.id, version.stages]),
          ),
        });
      }
      default:
        return sendAwsError(res, 400, 'UnknownOperationException', `The local Secrets Manager does not implement ${call.operation}`);
    }
  };

  const server = createServer(guard(handle));
  const url = await listen(server, options);
  return { url, stats, close: () => closeServer(server) };
}
