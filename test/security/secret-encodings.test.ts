/**
 * A token endpoint that answers 401 with the client secret in another form than the one sent: URL- or
 * form-encoded, upper-cased, cut to 20 characters, or the base64 of the secret alone. None of these forms
 * may reach the error the client throws, the run summary, the run's log lines or `check`'s output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymantecCredentials } from '../../functions/symantec/credentials.js';
import { type LocalEnvironment, startLocalEnvironment } from '../../local/environment.js';
import { runCli } from '../support/cli-run.js';
import { pointProcessEnvAt } from '../support/local-process-env.js';
import { ScriptedApi, TOKEN_PATH, type Reply, clientFor, pageQuery } from '../integration/symantec/scripted-api.js';

const CLIENT_ID = 'encoding-client';
// Characters that URL and form encoding change (space, +, /, &, =, é, %), and letters that upper-casing changes.
const SECRET = 'Sx+/ k=&é!q7Z9%41canary-secret-0b6c';

const ENCODINGS: [string, string][] = [
  ['URL-encoded', encodeURIComponent(SECRET)],
  ['form-encoded', new URLSearchParams({ s: SECRET }).toString().slice(2)],
  ['upper-cased', SECRET.toUpperCase()],
  ['truncated to 20 characters', SECRET.slice(0, 20)],
  ['base64 of the secret alone', Buffer.from(SECRET, 'utf8').toString('base64')],
];

const BODIES: [string, (echoed: string) => Reply][] = [
  [
    'an OAuth error body',
    (echoed) => (_request, response) => {
      const body = { error: 'invalid_client', error_description: `client_secret ${echoed} does not match` };
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
  ],
  [
    'a message body',
    (echoed) => (_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `rejected secret=${echoed}` }));
    },
  ],
  [
    'a plain-text body',
    (echoed) => (_request, response) => {
      response.writeHead(401, { 'content-type': 'text/plain' }).end(`rejected ${echoed}`);
    },
  ],
];

const CASES = ENCODINGS.flatMap(([encoding, echoed]) => BODIES.map(([body, reply]) => [encoding, body, echoed, reply] as const));

/** The echoed text, and every 10-character piece of it, must be absent. */
function expectAbsent(text: string, echoed: string): void {
  expect(text).not.toContain(echoed);
  for (let at = 0; at + 10 <= echoed.length; at++) expect(text).not.toContain(echoed.slice(at, at + 10));
}

let api: ScriptedApi;
let local: LocalEnvironment;
let restoreEnv: () => void;
beforeAll(async () => {
  api = await ScriptedApi.start();
  local = await startLocalEnvironment({
    secretName: 'symantec-edr/secret-encodings',
    credentials: { clientId: CLIENT_ID, clientSecret: SECRET },
  });
  restoreEnv = pointProcessEnvAt(local, { SYMANTEC_TOKEN_URL: `${api.url}${TOKEN_PATH}` });
});
afterAll(async () => {
  restoreEnv();
  await local.close();
  await api.close();
});

describe('a token endpoint echoing the secret in another form', () => {
  it.each(CASES)('keeps it (%s, in %s) out of the client error', async (_encoding, _body, echoed, reply) => {
    // prepare
    api.always(TOKEN_PATH, reply(echoed));
    const { client, limits, events } = clientFor(api, { credentials: SymantecCredentials.fromClientSecret(CLIENT_ID, SECRET) });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect((error as Error).message).toMatch(/^Symantec token endpoint answered 401 to POST /);
    expectAbsent(`${(error as Error).message}\n${(error as Error).stack}\n${JSON.stringify(events)}`, echoed);
  });

  it.each(CASES)('keeps it (%s, in %s) out of the run summary and the run log', async (_encoding, _body, echoed, reply) => {
    // prepare
    api.always(TOKEN_PATH, reply(echoed));
    // act
    const result = await runCli(['run']);
    // assess
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'failed', error: expect.stringContaining('answered 401') });
    expectAbsent(`${result.stdout}\n${result.stderr}`, echoed);
  });

  it.each(CASES)("keeps it (%s, in %s) out of check's output", async (_encoding, _body, echoed, reply) => {
    // prepare
    api.always(TOKEN_PATH, reply(echoed));
    // act
    const result = await runCli(['check']);
    // assess
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain('answered 401');
    expectAbsent(`${result.stdout}\n${result.stderr}`, echoed);
  });
});
