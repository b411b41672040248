import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/errors.js';
import { SymantecCredentials, parseCredentials } from '../../../functions/symantec/credentials.js';

const CANARY = 'Qz7vK2mW9xLp4RtY8nB3';
const basicOf = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Every 6-character piece of the canary: no part of the secret may show. */
const pieces = (text: string) => Array.from({ length: text.length - 5 }, (_, i) => text.slice(i, i + 6));

describe('parseCredentials', () => {
  it('reads client_id and client_secret into a Basic authorization', () => {
    // act
    const credentials = parseCredentials(JSON.stringify({ client_id: 'O2ID.abc', client_secret: CANARY }));
    // assess
    expect(credentials.authorization()).toBe(basicOf('O2ID.abc', CANARY));
  });

  it('takes oauth_credentials as the base64 pair it already is', () => {
    // prepare
    const oauth = Buffer.from(`O2ID.abc:${CANARY}`).toString('base64');
    // act
    const credentials = parseCredentials(JSON.stringify({ oauth_credentials: oauth }));
    // assess
    expect(credentials.authorization()).toBe(`Basic ${oauth}`);
  });

  it('ignores whitespace around the JSON and around each value, and other keys', () => {
    // act
    const credentials = parseCredentials(`\n  {"client_id": " O2ID.abc\\n", "client_secret": "${CANARY} ", "note": "prod"}\n`);
    // assess
    expect(credentials.authorization()).toBe(basicOf('O2ID.abc', CANARY));
  });

  it.each([
    ['text that is not JSON', `client_secret=${CANARY}`, 'not valid JSON'],
    ['JSON cut short', `{"client_id": "a", "client_secret": "${CANARY}`, 'not valid JSON'],
    ['a JSON string', JSON.stringify(CANARY), 'not a JSON object'],
    ['a JSON list', JSON.stringify([CANARY]), 'not a JSON object'],
    ['an object with other keys only', JSON.stringify({ [CANARY]: CANARY }), 'it has neither'],
    ['a client_id without a secret', JSON.stringify({ client_id: CANARY }), '"client_secret" is missing or not a string'],
    [
      'a secret that is a number',
      JSON.stringify({ client_id: 'a', client_secret: 12345678 }),
      '"client_secret" is missing or not a string',
    ],
    ['an empty secret', JSON.stringify({ client_id: CANARY, client_secret: '  ' }), '"client_secret" is empty'],
    ['a client_id with a colon', JSON.stringify({ client_id: `a:${CANARY}`, client_secret: CANARY }), '"client_id" must not contain ":"'],
    ['both forms at once', JSON.stringify({ client_id: 'a', client_secret: CANARY, oauth_credentials: CANARY }), 'has both forms'],
    ['oauth_credentials that are not base64', JSON.stringify({ oauth_credentials: `${CANARY}!` }), 'is not a base64 string'],
  ])('refuses %s, naming the expected keys and nothing of the secret', (_name, secret, why) => {
    // act
    let error: unknown;
    try {
      parseCredentials(secret);
    } catch (e) {
      error = e;
    }
    // assess
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('"client_id" and "client_secret"');
    expect(message).toContain('"oauth_credentials"');
    expect(message).toContain(why);
    expect((error as ConfigError).cause).toBeUndefined();
    const shown = `${message}\n${inspect(error, { depth: 10 })}`;
    for (const piece of pieces(CANARY)) expect(shown).not.toContain(piece);
  });
});

describe('SymantecCredentials', () => {
  it('never shows its values in JSON, as a string or when inspected', () => {
    // prepare
    const credentials = SymantecCredentials.fromClientSecret('O2ID.abc', CANARY);
    // act
    const shown = [JSON.stringify({ credentials }), String(credentials), inspect(credentials, { showHidden: true, depth: 5 })].join('\n');
    // assess
    expect(shown).not.toContain(CANARY);
    expect(shown).not.toContain(Buffer.from(`O2ID.abc:${CANARY}`).toString('base64'));
  });

  it('scrubs the secret, the encoded pair and extra values from a text, leaving short values alone', () => {
    // prepare
    const credentials = SymantecCredentials.fromClientSecret('O2ID.abc', CANARY);
    const basic = Buffer.from(`O2ID.abc:${CANARY}`).toString('base64');
    // act
    const text = credentials.redact(`a ${CANARY} b ${basic} c token-123456 d abc`, ['token-123456', 'abc']);
    // assess
    expect(text).toBe('a [redacted] b [redacted] c [redacted] d abc');
  });

  it('scrubs the decoded secret of oauth_credentials', () => {
    // prepare
    const credentials = SymantecCredentials.fromOAuthCredentials(Buffer.from(`O2ID.abc:${CANARY}`).toString('base64'));
    // act
    const text = credentials.redact(`echo ${CANARY}`);
    // assess
    expect(text).toBe('echo [redacted]');
  });
});
