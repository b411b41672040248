/**
 * The package as someone else's CDK app gets it: `npm pack` (which builds it through `prepack`), installed
 * into a fresh plain-JavaScript app next to aws-cdk-lib and constructs, then synthesized with `node`. No
 * tsx, no TypeScript and no esbuild take part in the app; the function comes prebuilt in the package.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
const versionOf = (name: string) => lock.packages[`node_modules/${name}`]!.version;

const APP = `
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Delivery, SymantecEdrCloud } from 'symantec-edr-cloud-ingest';

const app = new App();
const stack = new Stack(app, 'HostStack');
new SymantecEdrCloud(stack, 'Edr', {
  sources: [{ id: 'tenant-a' }, { id: 'tenant-b', settings: { maxWindow: Duration.hours(6), pageSize: 500 } }],
  delivery: Delivery.s3(),
});
app.synth();
`;

const BAD_APP = `
import { App, Duration, Stack } from 'aws-cdk-lib';
import { SymantecEdrCloud } from 'symantec-edr-cloud-ingest';

const app = new App();
const stack = new Stack(app, 'HostStack');
new SymantecEdrCloud(stack, 'Edr', { sources: [{ id: 'tenant-a', settings: { maxWindow: Duration.seconds(30) } }] });
app.synth();
`;

let work: string;
let appDir: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'symantec-edr-pack-'));
  execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  appDir = join(work, 'app');
  execFileSync('mkdir', ['-p', appDir]);
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'host-app', private: true, type: 'module' }));
  writeFileSync(join(appDir, 'app.mjs'), APP);
  writeFileSync(join(appDir, 'bad-app.mjs'), BAD_APP);
  execFileSync(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      join(work, tarball!),
      `aws-cdk-lib@${versionOf('aws-cdk-lib')}`,
      `constructs@${versionOf('constructs')}`,
    ],
    { cwd: appDir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
}, 600_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package in a fresh JavaScript CDK app', () => {
  it('ships compiled code, declarations and the prebuilt function, and no TypeScript sources', () => {
    const installed = join(appDir, 'node_modules', 'symantec-edr-cloud-ingest');

    expect(existsSync(join(installed, 'dist', 'lib', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'lib', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'function', 'firehose', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'function', 'security-lake', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'functions'))).toBe(false);
    expect(existsSync(join(appDir, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(appDir, 'node_modules', 'esbuild'))).toBe(false);
  });

  it('synthesizes the whole deployment with plain node, the function from the prebuilt bundle', () => {
    const out = join(work, 'cdk.out');
    execFileSync(process.execPath, ['app.mjs'], {
      cwd: appDir,
      env: { ...process.env, CDK_OUTDIR: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const template = JSON.parse(readFileSync(join(out, 'HostStack.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: any; Metadata?: any }>;
    };
    const resources = Object.values(template.Resources);
    const functions = resources.filter((resource) => resource.Type === 'AWS::Lambda::Function');

    expect(functions).toHaveLength(2);
    expect(resources.filter((resource) => resource.Type === 'AWS::DynamoDB::Table')).toHaveLength(1);
    expect(resources.filter((resource) => resource.Type === 'AWS::Scheduler::Schedule')).toHaveLength(2);
    expect(resources.filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm').length).toBeGreaterThanOrEqual(10);
    expect(functions.map((fn) => fn.Properties.Handler)).toEqual(['index.handler', 'index.handler']);
    expect(functions.map((fn) => fn.Properties.Environment.Variables.MAX_WINDOW)).toEqual([undefined, '6h']);
    const assets = readdirSync(out).filter((name) => name.startsWith('asset.') && existsSync(join(out, name, 'index.js')));
    expect(assets).toHaveLength(1);
    expect(readFileSync(join(out, assets[0]!, 'index.js'), 'utf8').length).toBeGreaterThan(100_000);
  });

  it("fails the synth with CDK's validation error naming the construct path and the setting", () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, ['bad-app.mjs'], {
        cwd: appDir,
        env: { ...process.env, CDK_OUTDIR: join(work, 'bad.out') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      stderr = String((error as { stderr?: Buffer }).stderr);
    }

    expect(stderr).toMatch(/HostStack\/Edr\/Source-tenant-a.*settings\.maxWindow must be a duration from 1m to 30d/);
  });
});
