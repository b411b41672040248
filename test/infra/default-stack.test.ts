/**
 * The function, its bundle, schedule and secret in the stack cdk.json describes, synthesized once with the
 * real esbuild bundle of the handler. The shared resources are in default-stack-resources.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../local/lambda-context.js';
import { type Synthesized, arnOf, cdkJson, ref, resourceOf, statementsOf, synthesize } from './synth-support.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(cdkJson.context.symantecEdr, { bundle: true });
});
afterAll(() => synth?.cleanup());

describe('the function', () => {
  it('runs the bundled handler on Node 22 arm64 with 256 MB and 5 minutes', () => {
    const { resource } = resourceOf(synth.template, 'AWS::Lambda::Function');

    expect(resource.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 300,
    });
  });

  it('gets the names of its resources and the Powertools settings, and no other variable', () => {
    const { resource } = resourceOf(synth.template, 'AWS::Lambda::Function');
    const secret = resourceOf(synth.template, 'AWS::SecretsManager::Secret').id;
    const table = resourceOf(synth.template, 'AWS::DynamoDB::Table').id;
    const stream = resourceOf(synth.template, 'AWS::KinesisFirehose::DeliveryStream').id;

    expect(resource.Properties.Environment.Variables).toEqual({
      SYMANTEC_SECRET_ID: ref(secret),
      CHECKPOINT_TABLE: ref(table),
      DELIVERY_STREAM: ref(stream),
      SOURCE_ID: 'default',
      POWERTOOLS_SERVICE_NAME: 'symantec-edr-cloud',
      POWERTOOLS_METRICS_NAMESPACE: 'SymantecEdrCloud',
    });
  });

  it('is not retried and drops an invocation older than one interval', () => {
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
  });

  it('logs to its own log group kept for 30 days', () => {
    const { resource } = resourceOf(synth.template, 'AWS::Lambda::Function');
    const logGroup = resourceOf(synth.template, 'AWS::Logs::LogGroup', 'Sourcedefault').id;

    expect(resource.Properties.LoggingConfig).toEqual({ LogGroup: ref(logGroup) });
    synth.template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
  });

  it('may write its logs, its own checkpoint items, the stream and read its own secret, and nothing else', () => {
    const secret = resourceOf(synth.template, 'AWS::SecretsManager::Secret').id;
    const table = resourceOf(synth.template, 'AWS::DynamoDB::Table').id;
    const stream = resourceOf(synth.template, 'AWS::KinesisFirehose::DeliveryStream').id;
    const logGroup = resourceOf(synth.template, 'AWS::Logs::LogGroup', 'Sourcedefault').id;

    expect(statementsOf(synth.template, 'SourcedefaultRole')).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: arnOf(logGroup) },
      {
        Sid: 'CheckpointsOfThisSourceOnly',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['source#default', 'seen#default#*'] } },
        Effect: 'Allow',
        Resource: arnOf(table),
      },
      {
        Sid: 'DeliverDocuments',
        Action: 'firehose:PutRecordBatch',
        Effect: 'Allow',
        Resource: arnOf(stream),
      },
      { Sid: 'ReadOwnCredentials', Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: ref(secret) },
    ]);
    expect(resourceOf(synth.template, 'AWS::IAM::Role', 'SourcedefaultRole').resource.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('the bundle', () => {
  const bundleDir = () => {
    const { resource } = resourceOf(synth.template, 'AWS::Lambda::Function');
    const key = resource.Properties.Code.S3Key as string;
    return path.join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };

  it('holds the minified handler, its source map and the AWS SDK itself', () => {
    const code = readFileSync(path.join(bundleDir(), 'index.js'), 'utf8');

    expect(existsSync(path.join(bundleDir(), 'index.js.map'))).toBe(true);
    const sdkRequires = new Set(code.match(/require\("@(?:aws-sdk|smithy)\/[^"]+"\)/g));
    // The only one left is the optional CRT signer, which the SDK loads inside a try block for SigV4a.
    expect([...sdkRequires]).toEqual(['require("@aws-sdk/signature-v4-crt")']);
    expect(code).toContain('FirehoseClient');
    // Minified: a few very long lines rather than one statement per line.
    expect(code.split('\n').length).toBeLessThan(100);
  });

  it('loads in a bare Node process with no AWS settings and exports the handler', () => {
    const file = path.join(bundleDir(), 'index.js');

    const result = spawnSync(
      process.execPath,
      ['-e', 'const m = require(process.argv[1]); process.stdout.write(typeof m.handler);', file],
      { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 },
    );

    // Node 20 gets the SDK's notice about its end of support on stderr; an error would be there too.
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    // Loading logs the "starting" line first.
    expect(result.stdout.split('\n').at(-1)).toBe('function');
  });
  it('logs one "starting" line with the package version when it loads, from the constant the bundle holds', () => {
    const file = path.join(bundleDir(), 'index.js');
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

    const result = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
      encoding: 'utf8',
      timeout: 30_000,
    });

    const lines = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ level: 'INFO', message: 'starting', version, service: 'symantec-edr-cloud' })]);
    // The fallback that reads package.json is gone from the bundle with the constant in its place.
    expect(readFileSync(file, 'utf8')).not.toContain('No "version" string');
  });

  it('fails an invocation without settings with a stack trace that names the TypeScript sources', () => {
    const file = path.join(bundleDir(), 'index.js');
    // The handler reads the request id and the remaining time of the context Lambda passes.
    const invoke = `
      const { handler } = require(process.argv[1]);
      const context = { ...JSON.parse(process.argv[2]), getRemainingTimeInMillis: () => 60000 };
      handler({}, context).then(() => process.stdout.write('resolved'), (error) => process.stdout.write(error.stack));
    `;

    const result = spawnSync(process.execPath, ['-e', invoke, file, JSON.stringify(lambdaContext())], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
      encoding: 'utf8',
      timeout: 30_000,
    });

    const [header, ...frames] = result.stdout.split('\n').filter((line) => !line.startsWith('{'));
    expect(header).toMatch(/^ConfigError: Invalid configuration: SYMANTEC_SECRET_ID is required/);
    // The error was made at import, when the configuration was read, and thrown by the invocation.
    expect(frames[0]?.trim()).toMatch(/^at loadConfig \(functions\/config\.ts:\d+:\d+\)$/);
    expect(frames[1]?.trim()).toMatch(/^at readConfig \(functions\/handler\.ts:\d+:\d+\)$/);
    expect(result.stdout).not.toContain('index.js:');
  });
});

describe('the schedule', () => {
  it('invokes the function every 5 minutes with the source and no retry', () => {
    const fn = resourceOf(synth.template, 'AWS::Lambda::Function').id;

    synth.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: arnOf(fn),
        Input: JSON.stringify({ source: 'default' }),
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 },
      },
    });
  });

  it('assumes a role that may invoke this one function only', () => {
    const fn = resourceOf(synth.template, 'AWS::Lambda::Function').id;

    expect(statementsOf(synth.template, 'SourcedefaultSchedulerRole')).toEqual([
      { Sid: 'InvokeThisFunction', Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: arnOf(fn) },
    ]);
    synth.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
          },
        ],
      },
    });
  });
});

describe('the credentials secret', () => {
  it('is created without a value for the user to fill', () => {
    const { resource } = resourceOf(synth.template, 'AWS::SecretsManager::Secret');

    expect(resource.Properties.SecretString).toBeUndefined();
    expect(resource.Properties.GenerateSecretString).toBeUndefined();
  });

  it('comes with the command that fills it', () => {
    const secret = resourceOf(synth.template, 'AWS::SecretsManager::Secret').id;

    synth.template.hasOutput('*', {
      Value: {
        'Fn::Join': ['', ['aws secretsmanager put-secret-value --secret-id ', ref(secret), ' --secret-string file://credentials.json']],
      },
    });
  });
});
