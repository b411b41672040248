import { App, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/build-app.js';
import { cdkJson } from './synth-support.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:symantec/tenant-b-AbC123';

const VARIANTS: Record<string, unknown> = {
  'cdk.json': cdkJson.context.symantecEdr,
  'Elastic, an alarm e-mail and several sources': {
    sources: [{ id: 'a' }, { id: 'b', secretArn: SECRET_ARN }, { id: 'c', enabled: false }],
    delivery: {
      type: 'elastic',
      endpointUrl: 'https://edr.es.eu-west-1.aws.elastic-cloud.com',
      apiKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elastic-AbC123',
    },
    alarmEmail: 'soc@example.com',
  },
  'an existing stream, an existing encrypted secret and an alarm topic': {
    sources: [{ id: 'a', secretArn: SECRET_ARN, secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc' }],
    delivery: { type: 'existing', streamArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/soc' },
    alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:soc',
  },
  'Security Lake, the custom source created by the stack': {
    sources: [{ id: 'a', outputFormat: 'ocsf' }, { id: 'b' }],
    delivery: { type: 'securityLake', bucketName: 'aws-security-data-lake-eu-west-1-abcdef', sourceName: 'symantec-edr-cloud' },
  },
  'Security Lake, an existing custom source': {
    sources: [{ id: 'a' }],
    delivery: {
      type: 'securityLake',
      bucketName: 'aws-security-data-lake-eu-west-1-abcdef',
      sourceName: 'symantec-edr-cloud',
      providerRoleArn: 'arn:aws:iam::123456789012:role/AmazonSecurityLake-Provider-symantec-edr-cloud-eu-west-1',
      externalId: 'soc-external-id',
    },
  },
};

function appFor(config: unknown): App {
  const app = new App({ context: { ...cdkJson.context, symantecEdr: config, 'aws:cdk:bundling-stacks': [] } });
  buildApp(app);
  return app;
}

function acknowledgementsIn(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason })),
        ),
    );
}

describe('cdk-nag AwsSolutions checks', () => {
  for (const [name, config] of Object.entries(VARIANTS)) {
    it(`find nothing unacknowledged with ${name}`, () => {
      const app = appFor(config);

      const report = new AwsSolutionsChecks(app).validateScope(app);

      expect(
        report.violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath)}`),
      ).toEqual([]);
      expect(() => app.synth()).not.toThrow();
    });
  }

  it('give each acknowledgement a reason of its own, on the construct that raises it', () => {
    const acknowledgements = Object.values(VARIANTS).flatMap((config) => acknowledgementsIn(appFor(config)));

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) {
      expect(reason.length, `${id} at ${path}`).toBeGreaterThan(80);
      // Only the unused mapping that aws-cdk-lib adds to the stack is acknowledged at stack level.
      if (!path.includes('/')) expect(id).toBe('CloudFormation-Validate::W7001');
    }
    // No reason is reused for another rule (a rule may have several reasons, one per resource it is accepted on).
    const rulesOfReason = new Map<string, Set<string>>();
    for (const { id, reason } of acknowledgements)
      rulesOfReason.set(reason, (rulesOfReason.get(reason) ?? new Set()).add(id.replace(/\[.*\]$/, '')));
    for (const [reason, rules] of rulesOfReason) expect([...rules], reason).toHaveLength(1);
  });

  it('stop the synth on a finding nobody acknowledged', () => {
    const app = appFor(cdkJson.context.symantecEdr);
    const stack = app.node.children.find((child) => child.node.id === 'SymantecEdrCloudIngestion') as IConstruct;
    new s3.Bucket(stack, 'UncheckedBucket');

    expect(new AwsSolutionsChecks(app).validateScope(app).violations.map((violation) => violation.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
    expect(() => app.synth()).toThrow();
  });
});
