import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEnvironment, startLocalEnvironment } from '../../../local/environment.js';
import { runCli as cli } from '../../support/cli-run.js';
import { pointProcessEnvAt } from '../../support/local-process-env.js';

const HOUR = 3_600_000;
const execFileAsync = promisify(execFile);
let local: LocalEnvironment;
let restoreEnv: () => void;

beforeAll(async () => {
  local = await startLocalEnvironment({ seed: 11, secretName: 'symantec-edr/cli' });
  restoreEnv = pointProcessEnvAt(local);
  local.simulator.store.createIncidentsBetween(30, Date.now() - 5 * HOUR, Date.now() - 10 * 60_000);
});
afterAll(async () => {
  restoreEnv();
  await local.close();
});

describe('symantec-edr commands against the local environment', () => {
  it('check passes every step and never prints the secret', async () => {
    const result = await cli(['check']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ok {3}token: issued, valid for \d+ s$/m);
    expect(result.stdout).toMatch(/^ok {3}incidents: the API answered; total over the last 30 days: 30$/m);
    expect(result.stdout).toMatch(/^check passed/m);
    const client = new SecretsManagerClient({});
    const stored = await client.send(new GetSecretValueCommand({ SecretId: local.env.SYMANTEC_SECRET_ID }));
    client.destroy();
    const secret = JSON.parse(stored.SecretString ?? '{}').client_secret as string;
    expect(secret.length).toBeGreaterThan(10);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('check fails with a verdict when the API URL is wrong', async () => {
    const result = await cli(['check'], { SYMANTEC_API_URL: 'http://127.0.0.1:9' });

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^FAIL token: /m);
    expect(result.stdout).toMatch(/^check FAILED/m);
  });

  it('check refuses a configuration with one line per problem', async () => {
    const result = await cli(['check'], { PAGE_SIZE: '0', DEDUPE: 'perhaps' });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('  - PAGE_SIZE="0" must be a whole number from 1 to 2000');
    expect(result.stderr).toContain('  - DEDUPE="perhaps" must be true or false');
  });

  it('run ingests once and prints the summary; replay then re-delivers nothing', async () => {
    const run = await cli(['run', '--source', 'cli-tenant']);
    const from = new Date(Date.now() - 6 * HOUR).toISOString();
    const to = new Date(Date.now() - 60_000).toISOString();
    const replay = await cli(['replay', '--source', 'cli-tenant', '--from', from, '--to', to]);

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ source: 'cli-tenant', status: 'completed', delivered: 30 });
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ completed: true, fetched: 30, delivered: 0, duplicates: 30 });
  });

  it('replay with the dedupe off sends the range again without moving the checkpoint', async () => {
    const before = await cli(['check', '--source', 'cli-tenant']);
    const from = new Date(Date.now() - 6 * HOUR).toISOString();
    const to = new Date(Date.now() - 60_000).toISOString();

    const replay = await cli(['replay', '--source', 'cli-tenant', '--from', from, '--to', to], { DEDUPE: 'false' });
    const after = await cli(['check', '--source', 'cli-tenant']);

    expect(JSON.parse(replay.stdout)).toMatchObject({ delivered: 30 });
    const cursorLine = (out: string) =>
      out
        .split('\n')
        .find((line) => line.includes('checkpoint table'))
        ?.replace(/\(\d+ min behind\)/, '');
    expect(cursorLine(after.stdout)).toBe(cursorLine(before.stdout));
  });

  it('replay stopped for time says where to go on, and going on from there delivers the rest once', async () => {
    // prepare: slow pages of 5 in one-hour windows; 8 s of --max-duration leaves 3 s before the margin
    const settings = { PAGE_SIZE: '5', MAX_WINDOW: '1h' };
    const from = new Date(Date.now() - 6 * HOUR).toISOString();
    const to = new Date().toISOString();
    local.simulator.setBehaviour({ latencyMs: 400 });

    // act
    const first = await cli(['replay', '--source', 'replay-tenant', '--from', from, '--to', to, '--max-duration', '8s'], settings);
    local.simulator.setBehaviour({ latencyMs: 0 });
    const stopped = JSON.parse(first.stdout) as { completed: boolean; resumeFrom?: string; delivered: number };
    const rest = await cli(['replay', '--source', 'replay-tenant', '--from', stopped.resumeFrom ?? from, '--to', to], settings);

    // assess
    expect(first.status).toBe(3);
    expect(stopped.completed).toBe(false);
    expect(Date.parse(stopped.resumeFrom ?? '')).toBeGreaterThan(Date.parse(from));
    expect(first.stderr).toContain(
      `to go on, run:\n  symantec-edr replay --from ${stopped.resumeFrom} --to ${new Date(to).toISOString()} --source replay-tenant --max-duration 8s\n`,
    );
    expect(rest.status).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({ completed: true });
    expect(stopped.delivered + JSON.parse(rest.stdout).delivered).toBe(30);
  });

  it('replay refuses a range older than the API keeps, or backwards, before it reads the secret', async () => {
    const secretReads = local.proxies.secrets.calls('GetSecretValue');
    const recent = new Date(Date.now() - HOUR).toISOString();

    const old = await cli(['replay', '--from', '2020-01-01T00:00:00Z', '--to', '2020-01-02T00:00:00Z']);
    const backwards = await cli(['replay', '--from', recent, '--to', new Date(Date.now() - 2 * HOUR).toISOString()]);
    const future = await cli(['replay', '--from', recent, '--to', new Date(Date.now() + HOUR).toISOString()]);

    expect(old.status).toBe(2);
    expect(old.stderr).toMatch(/^symantec-edr replay: --from 2020-01-01T00:00:00.000Z is older than the 30 days the API keeps/);
    expect(backwards.status).toBe(2);
    expect(backwards.stderr).toMatch(/must be earlier than --to/);
    expect(future.status).toBe(2);
    expect(future.stderr).toMatch(/is in the future/);
    expect(local.proxies.secrets.calls('GetSecretValue')).toBe(secretReads);
  });

  it('replay without --from says that it is required', async () => {
    const result = await cli(['replay', '--to', new Date().toISOString()]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^symantec-edr replay: --from is required/);
  });

  it('replay prints one progress line per window with --progress', async () => {
    const from = new Date(Date.now() - 3 * HOUR).toISOString();
    const to = new Date(Date.now() - 60_000).toISOString();

    const result = await cli(['replay', '--source', 'progress-tenant', '--from', from, '--to', to, '--progress'], { MAX_WINDOW: '1h' });

    const lines = result.stderr.split('\n').filter((line) => line.startsWith('replay: '));
    expect(result.status).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/ done \(100%\): fetched \d+, delivered \d+, duplicates \d+$/);
  });

  it.each(['run', 'check', 'replay'])('%s refuses an unknown option in one plain line and exits 2', async (command) => {
    const result = await cli([command, '--bogus']);

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `symantec-edr ${command}: unknown option --bogus\nRun \`symantec-edr ${command} --help\` for the options.\n`,
    );
  });

  it.each(['run', 'check', 'replay'])('%s refuses a --source the stack could not name a resource after', async (command) => {
    const result = await cli(
      [command, '--source', 'Tenant.A', '--from', new Date(Date.now() - HOUR).toISOString(), '--to', new Date().toISOString()].slice(
        0,
        command === 'replay' ? 7 : 3,
      ),
    );

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`symantec-edr ${command}: --source: source id "Tenant.A" must be 1-48 characters of a-z, 0-9`);
  });

  it('check --json prints one object with every step and the verdict', async () => {
    const result = await cli(['check', '--json']);

    const report = JSON.parse(result.stdout) as { ok: boolean; verdict: string; steps: { name: string; ok: boolean; detail: string }[] };
    expect(result.status).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.verdict).toMatch(/^passed/);
    expect(report.steps.map((s) => s.name)).toEqual([
      'configuration',
      'secret',
      'credentials',
      'token',
      'incidents',
      'checkpoint table',
      'delivery stream',
    ]);
    expect(report.steps.every((s) => s.ok && s.detail !== '')).toBe(true);
  });

  it('check --json keeps the exit status of a failed step', async () => {
    const result = await cli(['check', '--json'], { SYMANTEC_API_URL: 'http://127.0.0.1:9' });

    const report = JSON.parse(result.stdout) as { ok: boolean; steps: { name: string; ok: boolean }[] };
    expect(result.status).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.steps.find((s) => s.name === 'token')?.ok).toBe(false);
  });

  it('prints the package version with --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

    const long = await cli(['--version']);
    const short = await cli(['-V']);

    expect(long).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
    expect(short).toEqual(long);
  });

  it('prints the version through the bin entry, as `npx symantec-edr --version` runs it', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

    const { stdout } = await execFileAsync(process.execPath, ['bin/symantec-edr.mjs', '--version'], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
    });

    expect(stdout).toBe(`${version}\n`);
  });

  it('explains every command with --help', async () => {
    for (const command of ['run', 'check', 'replay']) {
      const result = await cli([command, '--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Usage: symantec-edr /);
    }
    expect((await cli([])).status).toBe(2);
    expect((await cli(['frobnicate'])).stderr).toMatch(/unknown command "frobnicate"/);
  });
});
