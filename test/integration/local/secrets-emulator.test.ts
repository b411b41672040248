import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../local/manual-clock.js';
import { startSecretsEmulator, type SecretsEmulator, type SecretsEmulatorOptions } from '../../../local/secrets-emulator.js';

let emulator: SecretsEmulator | undefined;
let client: SecretsManagerClient | undefined;
afterEach(async () => {
  client?.destroy();
  await emulator?.close();
  emulator = undefined;
});

async function start(options: SecretsEmulatorOptions = {}) {
  emulator = await startSecretsEmulator(options);
  client = new SecretsManagerClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { secrets: emulator, sdk: client };
}

const value = JSON.stringify({ client_id: 'id-1', client_secret: 'secret-1' });

describe('Secrets Manager emulator through the real SDK client', () => {
  it('answers a seeded secret by name and by ARN', async () => {
    // prepare
    const clock = createManualClock(Date.parse('2024-05-01T00:00:00.000Z'));
    const { sdk } = await start({ clock, secrets: { 'symantec-edr/default': value } });

    // act
    const byName = await sdk.send(new GetSecretValueCommand({ SecretId: 'symantec-edr/default' }));
    const byArn = await sdk.send(new GetSecretValueCommand({ SecretId: byName.ARN }));

    // assess
    expect(byName).toMatchObject({ Name: 'symantec-edr/default', SecretString: value, VersionStages: ['AWSCURRENT'] });
    expect(byName.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:symantec-edr\/default-.{6}$/);
    expect(byName.CreatedDate?.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(byArn.SecretString).toBe(value);
  });

  it('answers ResourceNotFoundException for a missing secret', async () => {
    const { sdk } = await start();
    await expect(sdk.send(new GetSecretValueCommand({ SecretId: 'missing' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('creates a secret once and refuses a second with the same name', async () => {
    const { sdk } = await start();
    const created = await sdk.send(new CreateSecretCommand({ Name: 'a', SecretString: 'one' }));
    expect(created.Name).toBe('a');
    await expect(sdk.send(new CreateSecretCommand({ Name: 'a', SecretString: 'two' }))).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('makes a put value current and keeps the previous one as AWSPREVIOUS', async () => {
    const { sdk } = await start({ secrets: { a: 'one' } });
    const put = await sdk.send(new PutSecretValueCommand({ SecretId: 'a', SecretString: 'two' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect((await sdk.send(new GetSecretValueCommand({ SecretId: 'a' }))).SecretString).toBe('two');
    const previous = await sdk.send(new GetSecretValueCommand({ SecretId: 'a', VersionStage: 'AWSPREVIOUS' }));
    expect(previous.SecretString).toBe('one');
    const described = await sdk.send(new DescribeSecretCommand({ SecretId: 'a' }));
    expect(Object.values(described.VersionIdsToStages ?? {}).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
  });

  it('counts calls per operation', async () => {
    const { secrets, sdk } = await start({ secrets: { a: 'one' } });
    await sdk.send(new GetSecretValueCommand({ SecretId: 'a' }));
    await sdk.send(new GetSecretValueCommand({ SecretId: 'a' }));
    await sdk.send(new DescribeSecretCommand({ SecretId: 'a' }));
    expect(secrets.stats.calls).toEqual({ GetSecretValue: 2, DescribeSecret: 1 });
  });

  it('answers a call with a broken body with a 400 and keeps serving', async () => {
    const { secrets, sdk } = await start({ secrets: { a: 'one' } });
    const res = await fetch(secrets.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'secretsmanager.GetSecretValue', 'Content-Type': 'application/x-amz-json-1.1' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'SerializationException' });
    expect((await sdk.send(new GetSecretValueCommand({ SecretId: 'a' }))).SecretString).toBe('one');
  });
});
