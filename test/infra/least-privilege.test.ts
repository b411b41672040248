import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, resourceOf, statementsOf, synthesize } from './synth-support.js';

describe('what the deployed roles and resources allow', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ sources: [{ id: 'tenant-a' }], delivery: { type: 's3' } });
  });
  afterAll(() => synth?.cleanup());

  it('gives the function only the calls it makes: conditional updates, batch reads, batch puts and its secret', () => {
    const actions = statementsOf(synth.template, 'SourcetenantaRole')
      .flatMap((statement) => [statement.Action].flat())
      .filter((action: string) => !action.startsWith('logs:'))
      .sort();

    expect(actions).toEqual(['dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'firehose:PutRecordBatch', 'secretsmanager:GetSecretValue']);
  });

  it('lets only its own schedule, in this account, assume the scheduler role', () => {
    const role = resourceOf(synth.template, 'AWS::IAM::Role', 'SourcetenantaSchedulerRole').resource;
    const schedule = resourceOf(synth.template, 'AWS::Scheduler::Schedule', 'Sourcetenanta').resource;
    const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
    const sourceArn = JSON.stringify(trust.Condition.StringEquals['aws:SourceArn']);

    expect(trust.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
    expect(trust.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(sourceArn).toContain(`:schedule/default/${schedule.Properties.Name}`);
    expect(schedule.Properties.Name).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
  });

  it('versions the incidents bucket and expires only what was overwritten or deleted, after 30 days', () => {
    const bucket = resourceOf(synth.template, 'AWS::S3::Bucket', 'IncidentBucket').resource;

    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      }),
    ]);
  });

  it('keeps the credentials secret it creates when the stack is deleted, like the table and the buckets', () => {
    const secret = resourceOf(synth.template, 'AWS::SecretsManager::Secret', 'Sourcetenanta').resource;

    expect(secret.DeletionPolicy).toBe('Retain');
    expect(secret.UpdateReplacePolicy).toBe('Retain');
  });

  it('prints a command that reads the credentials from a file, never from the command line', () => {
    const outputs = synth.template.findOutputs('*');
    const command = Object.entries(outputs).find(([id]) => id.includes('PutCredentialsCommand'))?.[1];

    expect(JSON.stringify(command?.Value)).toContain('--secret-string file://credentials.json');
    expect(JSON.stringify(command?.Value)).not.toContain('client_secret');
  });
});
