import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../functions/clock.js';
import { sendXml, escapeXml } from './aws-xml.js';
import { closeServer, guard, listen, readBody, type ListenOptions } from './http-kit.js';

/**
 * AWS STS's AssumeRole over its query protocol (form-encoded POST, XML answers), for the Security Lake
 * provider role: a role is assumable only with the external ID it was registered with, as the trust
 * policy Security Lake writes demands. The credentials are random and only the S3 emulator honours them.
 */

export interface StsEmulatorOptions extends ListenOptions {
  /** Assumable roles: role ARN -> the external ID its trust policy asks for. */
  roles: Record<string, string>;
  /** Expiry of the credentials. @default systemClock */
  clock?: Clock;
}

export interface StsEmulator {
  url: string;
  /** Calls per action, refusals included. */
  readonly stats: { calls: Record<string, number>; refused: number };
  /** The role whose session an access key id belongs to; undefined for a key this emulator never issued. */
  roleOf(accessKeyId: string): string | undefined;
  close(): Promise<void>;
}

const SESSION_SECONDS = 3600;
const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export async function startStsEmulator(options: StsEmulatorOptions): Promise<StsEmulator> {
  const clock = options.clock ?? systemClock;
  const stats = { calls: {} as Record<string, number>, refused: 0 };
  const sessions = new Map<string, string>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
    const action = form.get('Action') ?? '(none)';
    stats.calls[action] = (stats.calls[action] ?? 0) + 1;
    if (req.method !== 'POST' || action !== 'AssumeRole') return sendError(res, 400, 'InvalidAction', `Could not find operation ${action}`);
    const roleArn = form.get('RoleArn') ?? '';
    const expected = options.roles[roleArn];
    if (expected === undefined || form.get('ExternalId') !== expected) {
      stats.refused++;
      return sendError(res, 403, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    sessions.set(accessKeyId, roleArn);
    const expiration = new Date(clock.now() + SESSION_SECONDS * 1000).toISOString();
    const session = form.get('RoleSessionName') ?? 'session';
    sendXml(
      res,
      200,
      `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId>` +
        `<SecretAccessKey>${randomBytes(30).toString('base64')}</SecretAccessKey><SessionToken>${randomBytes(60).toString('base64')}</SessionToken>` +
        `<Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA${randomBytes(8).toString('hex').toUpperCase()}:${escapeXml(session)}</AssumedRoleId>` +
        `<Arn>${escapeXml(roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/'))}/${escapeXml(session)}</Arn></AssumedRoleUser>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  };

  const server = createServer(guard(handle));
  const url = await listen(server, options);
  return { url, stats, roleOf: (accessKeyId) => sessions.get(accessKeyId), close: () => closeServer(server) };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendXml(
    res,
    status,
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}
