import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../../functions/symantec/client-events.js';
import { SymantecCredentials } from '../../../functions/symantec/credentials.js';
import type { SymantecClientOptions } from '../../../functions/symantec/incidents-client.js';
import {
  CANARY_SECRET,
  CLIENT_ID,
  INCIDENTS_PATH,
  ScriptedApi,
  TOKEN_PATH,
  type Reply,
  clientFor,
  json,
  pageQuery,
  tokenReply,
} from './scripted-api.js';

const CANARY_TOKEN = 'canary-token-4b8e1f0a93c2';
const BASIC = Buffer.from(`${CLIENT_ID}:${CANARY_SECRET}`).toString('base64');
const FORBIDDEN = [CANARY_SECRET, BASIC, CANARY_TOKEN];

/** An error body that repeats everything the request carried, as a careless gateway might. */
const echo =
  (status: number): Reply =>
  (request, response) => {
    const message = `rejected ${request.headers.authorization} for ${request.body}`;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message, fault: { faultstring: message } }));
  };

function everythingSaid(error: unknown, events: ClientEvent[]): string {
  return [String(error), inspect(error, { depth: 10 }), JSON.stringify(events), inspect(events, { depth: 10 })].join('\n');
}

describe('Symantec client and secrets', () => {
  let api: ScriptedApi;
  beforeEach(async () => {
    api = await ScriptedApi.start();
  });
  afterEach(async () => {
    await api.close();
  });

  const scenarios: [string, (api: ScriptedApi) => void, Partial<SymantecClientOptions>?][] = [
    ['a token endpoint that echoes the credentials in a 401', (a) => a.always(TOKEN_PATH, echo(401))],
    ['a token endpoint that echoes them in a 503 until the attempts run out', (a) => a.always(TOKEN_PATH, echo(503))],
    [
      'an incidents endpoint that echoes the bearer token in a 400',
      (a) => a.always(TOKEN_PATH, tokenReply(CANARY_TOKEN)).always(INCIDENTS_PATH, echo(400)),
    ],
    [
      'an incidents endpoint that echoes the bearer token in two 401s',
      (a) => a.always(TOKEN_PATH, tokenReply(CANARY_TOKEN)).always(INCIDENTS_PATH, echo(401)),
    ],
    ['a token answer that is not valid JSON', (a) => a.always(TOKEN_PATH, json(200, `{"access_token":"${CANARY_TOKEN}"`))],
    ['a token that could not be sent in a header', (a) => a.always(TOKEN_PATH, tokenReply(`${CANARY_TOKEN}\n${CANARY_TOKEN}`))],
    [
      'oauth_credentials and a token endpoint that echoes them',
      (a) => a.always(TOKEN_PATH, echo(401)),
      { credentials: SymantecCredentials.fromOAuthCredentials(BASIC) },
    ],
    [
      'a redirect whose Location carries the token',
      (a) =>
        a.always(TOKEN_PATH, tokenReply(CANARY_TOKEN)).always(INCIDENTS_PATH, (_request, response) => {
          response.writeHead(302, { location: `https://${CANARY_TOKEN}.example/` }).end();
        }),
    ],
  ];

  it.each(scenarios)('keeps every credential and token out of errors and events with %s', async (_name, script, overrides) => {
    // prepare
    script(api);
    const { client, limits, events } = clientFor(api, { retry: { maxAttempts: 2 }, ...overrides });
    // act
    const error = await client.fetchIncidentPage(pageQuery(0), limits()).catch((e: unknown) => e);
    // assess
    expect(error).toBeInstanceOf(Error);
    expect(api.requests.length).toBeGreaterThan(0);
    const said = everythingSaid(error, events);
    for (const secret of FORBIDDEN) expect(said).not.toContain(secret);
  });

  it('shows neither credentials nor the client when printed', () => {
    // prepare
    const { client } = clientFor(api);
    const credentials = SymantecCredentials.fromClientSecret(CLIENT_ID, CANARY_SECRET);
    // act
    const printed = [
      inspect(client, { depth: 10, showHidden: true }),
      inspect(credentials, { showHidden: true }),
      JSON.stringify({ credentials }),
      `${credentials}`,
    ].join('\n');
    // assess
    for (const secret of FORBIDDEN) expect(printed).not.toContain(secret);
  });
});
