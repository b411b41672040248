/**
 * Fuzz: well-behaved paging over arbitrary incidents (realistic ones, damaged ones, any JSON at all).
 * Each incident version is delivered exactly once, as one document, and the window completes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionFingerprint } from '../../functions/ingest/page-records.js';
import { startLocalEnvironment } from '../../local/environment.js';
import { anyIncidentInput, realisticIncident } from '../support/incident-arbitrary.js';
import { FuzzWorld, ScriptedApi } from './fuzz-kit.js';

let world: FuzzWorld;
beforeAll(async () => {
  world = new FuzzWorld(await startLocalEnvironment({ seed: 12 }), await ScriptedApi.start());
});
afterAll(async () => {
  world.close();
  await world.api.close();
  await world.local.close();
});

describe('run over arbitrary incidents', () => {
  it('delivers every distinct version once and completes the window', { timeout: 120_000 }, async () => {
    const stream = world.local.env.DELIVERY_STREAM;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(realisticIncident, anyIncidentInput), { maxLength: 23 }),
        fc.constantFrom('ecs', 'ses', 'ocsf', 'raw'),
        fc.integer({ min: 1, max: 7 }),
        async (incidents, format, pageSize) => {
          // prepare
          world.api.script([], [], incidents);
          const before = world.local.firehose.records(stream).length;
          // act
          const { summary, checkpoint, log } = await world.run({ PAGE_SIZE: String(pageSize), OUTPUT_FORMAT: format });
          // assess
          const distinct = new Set(incidents.map(versionFingerprint));
          const documents = world.local.firehose.records(stream).slice(before);
          expect(summary).toMatchObject({ status: 'completed', delivered: distinct.size, failed: 0 });
          expect(documents).toHaveLength(distinct.size);
          for (const document of documents) expect(() => JSON.parse(document.toString('utf8'))).not.toThrow();
          expect(checkpoint.cursor).toBe(summary.window?.end);
          expect(log.leaks).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
