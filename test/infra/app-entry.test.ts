/** The entry point cdk.json runs, started the way the CDK CLI starts it: a child process given its context. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cdkJson } from './synth-support.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const outdir = mkdtempSync(path.join(tmpdir(), 'symantec-edr-app-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function runApp(context: Record<string, unknown>) {
  // No AWS variable and no shared config: synth must not need an account, a region or credentials.
  return spawnSync(process.execPath, ['--import', 'tsx', 'lib/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_CONFIG_FILE: path.join(outdir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(outdir, 'no-aws-credentials'),
      CDK_OUTDIR: outdir,
      // The CLI bundles every stack; skipping it here keeps this test fast (default-stack.test.ts bundles).
      CDK_CONTEXT_JSON: JSON.stringify({ ...context, 'aws:cdk:bundling-stacks': [] }),
    },
  });
}

describe('lib/app.ts', () => {
  it('is the app cdk.json runs, started by the installed tsx and never fetched by npx', () => {
    // `npx tsx` where the dev dependencies are missing would download whatever `tsx` the registry serves
    // today and run it with the deployer's credentials; `node --import tsx` fails instead.
    expect(cdkJson.app).toBe('node --import tsx lib/app.ts');
    expect(cdkJson.app).not.toMatch(/\bnpx\b/);
  });

  it("synthesizes cdk.json's configuration without AWS credentials", () => {
    const result = runApp(cdkJson.context);

    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const template = JSON.parse(readFileSync(path.join(outdir, 'SymantecEdrCloudIngestion.template.json'), 'utf8'));
    expect(Object.keys(template.Resources)).toContain('CheckpointTableBFD208F9');
    expect(existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
  });

  it('prints what is wrong with the configuration, without a stack trace, and exits with 1', () => {
    const result = runApp({ ...cdkJson.context, symantecEdr: { sources: [{ id: 'Tenant A' }] } });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Invalid "symantecEdr" configuration:\n {2}symantecEdr\.sources\.0\.id: must be 1-48 characters/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
