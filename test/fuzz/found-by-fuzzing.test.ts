/**
 * Regression for what the fuzz tests revealed: an API error text is cut to 300 characters, and the cut
 * used to come before the redaction, so a credential echoed across the cut left its first characters in
 * the message, where no redaction recognised them any more.
 */
import { describe, expect, it } from 'vitest';
import { statusError } from '../../functions/symantec/api-errors.js';
import { SymantecCredentials } from '../../functions/symantec/credentials.js';

const SECRET = 'canary-5f0e9d8c7b6a5f0e9d8c7b6a5f0e9d8c7b6a';

describe('an error text that echoes a credential across the length cut', () => {
  it.each([250, 270, 285, 299])('keeps no piece of it (credential at character %i)', (position) => {
    // prepare
    const credentials = SymantecCredentials.fromClientSecret('client', SECRET);
    const body = Buffer.from(JSON.stringify({ message: `${'x'.repeat(position)}${SECRET}` }));
    // act
    const error = statusError(
      { status: 400, headers: new Headers(), body },
      { service: 'Symantec API', target: 'POST /v1/incidents', redact: (text) => credentials.redact(text), now: 0 },
    );
    // assess
    for (let length = 8; length <= SECRET.length; length++) expect(error.message).not.toContain(SECRET.slice(0, length));
  });
});
