/**
 * A page holding incidents JSON can read but not write back (nested 12,000 levels deep, with and without
 * a uid and date) is delivered: each such incident as an error document, the run completes, and the next
 * run, reading the same page again, is not blocked by it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEnvironment, startLocalEnvironment } from '../../../local/environment.js';
import { runCli } from '../../support/cli-run.js';
import { pointProcessEnvAt } from '../../support/local-process-env.js';
import { INCIDENTS_PATH, ScriptedApi, TOKEN_PATH, json, tokenReply } from '../symantec/scripted-api.js';

const DEPTH = 12_000;
const deep = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const modified = new Date(Date.now() - 3_600_000).toISOString();
const PAGE = `{"total":3,"incidents":[
  {"incident_uid":"deep-with-uid","modified":"${modified}","severity_id":4,"deep":${deep}},
  {"severity_id":3,"deep":${deep}},
  {"incident_uid":"plain","modified":"${modified}","severity_id":2}
]}`;

let api: ScriptedApi;
let local: LocalEnvironment;
let restoreEnv: () => void;
beforeAll(async () => {
  api = await ScriptedApi.start();
  api.always(TOKEN_PATH, tokenReply('token-for-deep-pages')).always(INCIDENTS_PATH, json(200, PAGE));
  local = await startLocalEnvironment({ secretName: 'symantec-edr/unwritable-incident' });
  restoreEnv = pointProcessEnvAt(local, { SYMANTEC_API_URL: api.url, SYMANTEC_TOKEN_URL: `${api.url}${TOKEN_PATH}` });
});
afterAll(async () => {
  restoreEnv();
  await local.close();
  await api.close();
});

const records = () =>
  local.firehose.records(local.env.DELIVERY_STREAM).map((data) => JSON.parse(data.toString('utf8')) as Record<string, any>);

describe.each(['ecs', 'raw'])('a page with incidents nested too deep to write, in the %s format', (format) => {
  it('is delivered with an error document for each, and the next run goes on', async () => {
    // prepare
    const before = records().length;
    const env = { OUTPUT_FORMAT: format, SOURCE_ID: `deep-${format}` };
    // act
    const first = await runCli(['run'], env);
    const second = await runCli(['run'], env);
    // assess
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'completed', fetched: 3, delivered: 3 });
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ completed: true, delivered: 0 });
    const delivered = records().slice(before);
    expect(delivered).toHaveLength(3);
    expect(delivered).not.toContain(null);
    const errors = delivered.filter((document) => document?.event?.kind === 'pipeline_error');
    expect(errors).toHaveLength(2);
    expect(errors.map((document) => document.error.message.join(' '))).toEqual([
      expect.stringMatching(/cannot be written as JSON/),
      expect.stringMatching(/cannot be written as JSON/),
    ]);
    expect(errors.map((document) => document.event.id)).toContain('deep-with-uid');
  });
});
