import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEnvironment, startLocalEnvironment } from '../../../local/environment.js';
import { type LambdaEmulator, startLambdaEmulator } from '../../../local/lambda-emulator.js';
import { runCli as cli } from '../../support/cli-run.js';
import { pointProcessEnvAt } from '../../support/local-process-env.js';

/**
 * `--function NAME`: the commands read a deployed function's settings through the real Lambda SDK
 * client (GetFunctionConfiguration, against the local Lambda emulator), over the process's settings.
 */

const HOUR = 3_600_000;
const FUNCTION = 'symantec-edr-ingest';
let local: LocalEnvironment;
let lambda: LambdaEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  local = await startLocalEnvironment({ seed: 41, secretName: 'symantec-edr/deployed' });
  lambda = await startLambdaEmulator({
    functions: {
      [FUNCTION]: {
        SYMANTEC_API_URL: local.env.SYMANTEC_API_URL,
        SYMANTEC_SECRET_ID: local.env.SYMANTEC_SECRET_ID,
        CHECKPOINT_TABLE: local.env.CHECKPOINT_TABLE,
        DELIVERY_STREAM: local.env.DELIVERY_STREAM,
        SOURCE_ID: 'deployed-tenant',
      },
    },
  });
  // The shell's own settings point elsewhere: only the function's make the commands work.
  restoreEnv = pointProcessEnvAt(local, {
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    SYMANTEC_SECRET_ID: 'symantec-edr/not-this-one',
    CHECKPOINT_TABLE: 'not-this-table',
    SOURCE_ID: 'shell-tenant',
  });
  local.simulator.store.createIncidentsBetween(12, Date.now() - 3 * HOUR, Date.now() - 10 * 60_000);
});
afterAll(async () => {
  restoreEnv();
  await lambda.close();
  await local.close();
});

describe('symantec-edr --function', () => {
  it('check passes with the settings of the deployed function, and fails with the shell’s', async () => {
    const deployed = await cli(['check', '--function', FUNCTION]);
    const shell = await cli(['check']);

    expect(deployed.status).toBe(0);
    expect(deployed.stdout).toMatch(/^ok {3}secret: read symantec-edr\/deployed$/m);
    expect(shell.status).toBe(1);
    expect(lambda.calls[FUNCTION]).toBe(1);
  });

  it('run takes the function by ARN and ingests its SOURCE_ID', async () => {
    const result = await cli(['run', '--function', lambda.arnOf(FUNCTION)]);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ source: 'deployed-tenant', status: 'completed', delivered: 12 });
  });

  it('replay reads the same settings', async () => {
    const from = new Date(Date.now() - 4 * HOUR).toISOString();
    const to = new Date(Date.now() - 60_000).toISOString();

    const result = await cli(['replay', '--function', FUNCTION, '--from', from, '--to', to]);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ completed: true, fetched: 12, delivered: 0, duplicates: 12 });
  });

  it('says which function it could not read, and the permission it takes', async () => {
    const result = await cli(['run', '--function', 'no-such-function']);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^symantec-edr run: could not read the configuration of function no-such-function \(lambda:GetFunctionConfiguration\): ResourceNotFoundException/,
    );
  });
});
