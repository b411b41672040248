/**
 * Fuzz: the real `run` against an API that answers anything (status codes, headers, bodies, broken and
 * hostile JSON, tokens refused) in any order. Whatever it says, the run ends with a summary, fails with
 * one clear error or succeeds, never moves the checkpoint past a page it did not deliver, and never
 * prints a credential or token, not even an API that echoes them back.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionFingerprint } from '../../functions/ingest/page-records.js';
import { startLocalEnvironment } from '../../local/environment.js';
import { anyIncidentInput } from '../support/incident-arbitrary.js';
import { type Answer, ECHO_AUTHORIZATION, type FuzzRun, FuzzWorld, ScriptedApi } from './fuzz-kit.js';

let world: FuzzWorld;
beforeAll(async () => {
  world = new FuzzWorld(await startLocalEnvironment({ seed: 11 }), await ScriptedApi.start());
});
afterAll(async () => {
  world.close();
  await world.api.close();
  await world.local.close();
});

// Numbers where a count belongs, and everything a broken gateway could put there instead.
const anyCount = fc.oneof(
  fc.nat({ max: 30 }),
  fc.constant(null),
  fc.integer({ min: -3, max: -1 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 3 }),
);
const pageBody = fc
  .record(
    {
      total: anyCount,
      next: anyCount,
      incidents: fc.oneof({ weight: 5, arbitrary: fc.array(anyIncidentInput, { maxLength: 6 }) }, { weight: 1, arbitrary: fc.jsonValue() }),
    },
    { requiredKeys: [] },
  )
  .map((body) => JSON.stringify(body));
const body = fc.oneof(
  { weight: 8, arbitrary: pageBody },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value) ?? '') },
  { weight: 1, arbitrary: pageBody.map((text) => text.slice(0, Math.floor(text.length / 2))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  // A hostile API quoting the caller's Authorization header at any position of its error text.
  {
    weight: 2,
    arbitrary: fc
      // Often just short of the 300 characters an error text is cut to, so the cut falls inside the credential.
      .tuple(fc.oneof(fc.nat({ max: 400 }), fc.integer({ min: 240, max: 300 })), fc.constantFrom('message', 'error_description', 'error'))
      .map(([padding, key]) => JSON.stringify({ [key]: `${'x'.repeat(padding)}${ECHO_AUTHORIZATION}` })),
  },
  // Larger than the client's 64 KiB cap, or just under it.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 60_000, max: 70_000 }).map((size) => `{"total":0,"incidents":[],"padding":"${'x'.repeat(size)}"}`),
  },
);
const headerText = fc.stringMatching(/^[ -~]{0,24}$/);
const headers = fc.record(
  {
    'retry-after': fc.oneof(fc.nat({ max: 90 }).map(String), fc.constant('Wed, 21 Oct 2015 07:28:00 GMT'), headerText),
    location: fc.constantFrom('https://api.sep.eu.securitycloud.symantec.com/v1/incidents', '/v1/elsewhere', 'http://127.0.0.2:9/'),
    'content-type': fc.constantFrom('application/json', 'text/html', 'text/plain'),
  },
  { requiredKeys: [] },
);
const status = fc.oneof(
  { weight: 8, arbitrary: fc.constant(200) },
  { weight: 4, arbitrary: fc.constantFrom(301, 302, 307, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
);
const answer: fc.Arbitrary<Answer> = fc.record({ status, headers, body });
const tokenAnswer: fc.Arbitrary<Answer> = fc.record({
  status: fc.constantFrom(200, 400, 401, 429, 500, 503),
  headers,
  body: fc.oneof(
    body,
    fc.constant(`{"access_token":"${'t'.repeat(30)}","expires_in":1}`),
    fc.constant('{"access_token":"has space","expires_in":3600}'),
  ),
});

/** The checkpoint points right after a page whose every row is in the seen-set, or at the start. */
async function assertCheckpointBehindDelivered(result: FuzzRun & { source: string }): Promise<void> {
  const rows = (pages: FuzzRun['pages']) => pages.flatMap(({ page }) => page.incidents.map(versionFingerprint));
  const { checkpoint, summary, pages } = result;
  if (checkpoint.cursor !== undefined) {
    expect(summary.status).toBe('completed');
    expect(await world.undelivered(result.source, rows(pages))).toEqual(new Set());
    return;
  }
  const next = checkpoint.window?.next ?? 0;
  if (next === 0) return;
  const candidates = pages.filter(({ query, page }) => page.next === next || query.offset + page.incidents.length === next);
  let behindDelivered = false;
  for (const candidate of candidates) behindDelivered ||= (await world.undelivered(result.source, rows([candidate]))).size === 0;
  expect(behindDelivered, `stored next ${next} follows no delivered page`).toBe(true);
}

describe('run against arbitrary API answers', () => {
  it('ends with a summary, one clear error or success, the checkpoint behind what was delivered, no secret printed', {
    timeout: 120_000,
  }, async () => {
    let documentsSeen = world.local.firehose.records(world.local.env.DELIVERY_STREAM).length;
    await fc.assert(
      fc.asyncProperty(
        fc.array(answer, { minLength: 1, maxLength: 8 }),
        fc.array(tokenAnswer, { maxLength: 2 }),
        async (answers, tokens) => {
          // prepare
          world.api.script(answers, tokens);
          // act
          const result = await world.run({ PAGE_SIZE: '5' });
          // assess
          const { summary, log } = result;
          expect(['completed', 'stopped-for-time', 'failed']).toContain(summary.status);
          if (summary.status === 'failed') {
            expect(summary.error).toMatch(/^(ApiError|DeliveryError): \S/);
            expect(summary.error).not.toContain('\n');
            expect((summary.error ?? '').length).toBeLessThan(1_000);
          } else {
            expect(summary.error).toBeUndefined();
          }
          await assertCheckpointBehindDelivered(result);
          const documents = world.local.firehose.records(world.local.env.DELIVERY_STREAM).slice(documentsSeen);
          documentsSeen += documents.length;
          for (const document of documents) log.scan(document.toString('utf8'), 'document');
          expect(log.leaks).toEqual([]);
        },
      ),
      { numRuns: 120 },
    );
  });
});
