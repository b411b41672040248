import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, guard, listen, sendJson, type ListenOptions } from './http-kit.js';

/**
 * AWS Lambda's REST-JSON API for the one call the CLI makes against a deployed stack:
 * GetFunctionConfiguration (`GET /2015-03-31/functions/{name}/configuration`), by name or ARN, so the
 * CLI's `--function` is tested with the real SDK client. Functions are declared at start.
 */

export interface LambdaEmulatorOptions extends ListenOptions {
  /** Functions present: name -> their environment variables. */
  functions: Record<string, Record<string, string>>;
  /** @default '000000000000' */
  accountId?: string;
  /** @default 'us-east-1' */
  region?: string;
}

export interface LambdaEmulator {
  url: string;
  arnOf(name: string): string;
  /** GetFunctionConfiguration calls answered, by function name. */
  readonly calls: Record<string, number>;
  close(): Promise<void>;
}

const configurationPath = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/;

export async function startLambdaEmulator(options: LambdaEmulatorOptions): Promise<LambdaEmulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const arnOf = (name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  const calls: Record<string, number> = {};

  const notFound = (res: ServerResponse, name: string) =>
    sendJson(
      res,
      404,
      { Type: 'User', message: `Function not found: ${arnOf(name)}` },
      { 'x-amzn-ErrorType': 'ResourceNotFoundException' },
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = configurationPath.exec(url.pathname);
    if (req.method !== 'GET' || !match) {
      return sendJson(
        res,
        404,
        { message: `No such operation in this emulator: ${req.method} ${url.pathname}` },
        { 'x-amzn-ErrorType': 'UnknownOperationException' },
      );
    }
    // The name may be a function name, a full ARN, or a partial ARN (account:function:name).
    const requested = decodeURIComponent(match[1] ?? '');
    const name = requested.split(':function:').pop()?.split(':')[0] ?? requested;
    const variables = options.functions[name];
    if (variables === undefined) return notFound(res, name);
    calls[name] = (calls[name] ?? 0) + 1;
    sendJson(res, 200, {
      FunctionName: name,
      FunctionArn: arnOf(name),
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      State: 'Active',
      Environment: { Variables: variables },
    });
  };

  const server = createServer(guard(handle));
  const url = await listen(server, options);
  return { url, arnOf, calls, close: () => closeServer(server) };
}
