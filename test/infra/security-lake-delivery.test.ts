import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, arnOf, resourceOf, statementsOf, synthesize } from './synth-support.js';

const BUCKET = 'aws-security-data-lake-eu-west-1-abcdef';
const PROVIDER_ROLE = 'arn:aws:iam::123456789012:role/AmazonSecurityLake-Provider-symantec-edr-cloud-eu-west-1';

const environmentOf = (synth: Synthesized, sourcePrefix: string) =>
  resourceOf(synth.template, 'AWS::Lambda::Function', sourcePrefix).resource.Properties.Environment.Variables as Record<string, unknown>;
const sidOf = (synth: Synthesized, rolePrefix: string, sid: string) =>
  statementsOf(synth.template, rolePrefix).find((statement) => statement.Sid === sid);

/** A CloudFormation Fn::Join of strings and intrinsic functions, as text with each intrinsic written `<json>`. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part)}>`)).join('');
}

describe('delivery to Security Lake, the custom source created by the stack', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({
      sources: [{ id: 'a' }, { id: 'b', outputFormat: 'ocsf' }],
      delivery: { type: 'securityLake', bucketName: BUCKET, sourceName: 'symantec-edr-cloud' },
    });
  });
  afterAll(() => synth?.cleanup());

  it('creates the custom source with CreateCustomLogSource, this account as its provider, and deletes it with the stack', () => {
    const { id, resource } = resourceOf(synth.template, 'Custom::SecurityLakeCustomLogSource');
    const crawler = resourceOf(synth.template, 'AWS::IAM::Role', 'SecurityLakeSourceCrawlerRole').id;
    const externalId = environmentOf(synth, 'Sourcea').SECURITY_LAKE_EXTERNAL_ID as string;

    const create = JSON.parse(
      joined(resource.Properties.Create)
        .replace(`<${JSON.stringify(arnOf(crawler))}>`, 'CRAWLER_ROLE')
        .replace('<{"Ref":"AWS::AccountId"}>', 'ACCOUNT'),
    );

    expect(create).toEqual({
      service: 'SecurityLake',
      action: 'CreateCustomLogSource',
      parameters: {
        sourceName: 'symantec-edr-cloud',
        eventClasses: ['INCIDENT_FINDING'],
        configuration: { crawlerConfiguration: { roleArn: 'CRAWLER_ROLE' }, providerIdentity: { principal: 'ACCOUNT', externalId } },
      },
      physicalResourceId: { id: 'symantec-edr-cloud' },
      outputPaths: ['source.provider.roleArn', 'source.provider.location'],
    });
    expect(externalId).toMatch(/^symantec-edr-[0-9a-f]{24}$/);
    expect(JSON.parse(resource.Properties.Delete)).toEqual({
      service: 'SecurityLake',
      action: 'DeleteCustomLogSource',
      parameters: { sourceName: 'symantec-edr-cloud' },
    });
    expect(resource.DependsOn).toEqual(expect.arrayContaining([crawler]));
    expect(id).toBeDefined();
  });

  it("gives the crawler role AWSGlueServiceRole and read access to the source's prefix only", () => {
    const { resource } = resourceOf(synth.template, 'AWS::IAM::Role', 'SecurityLakeSourceCrawlerRole');

    expect(resource.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' } },
    ]);
    expect(JSON.stringify(resource.Properties.ManagedPolicyArns)).toContain('service-role/AWSGlueServiceRole');
    expect(
      statementsOf(synth.template, 'SecurityLakeSourceCrawlerRole').map(({ Sid, Action, Resource, Condition }) => ({
        Sid,
        Action,
        Resource: joined(Resource),
        Condition,
      })),
    ).toEqual([
      {
        Sid: 'ListSourcePrefix',
        Action: 's3:ListBucket',
        Resource: `arn:<{"Ref":"AWS::Partition"}>:s3:::${BUCKET}`,
        Condition: { StringLike: { 's3:prefix': ['ext/symantec-edr-cloud/*'] } },
      },
      {
        Sid: 'ReadSourceObjects',
        Action: 's3:GetObject',
        Resource: `arn:<{"Ref":"AWS::Partition"}>:s3:::${BUCKET}/ext/symantec-edr-cloud/*`,
        Condition: undefined,
      },
    ]);
  });

  it("lets the custom resource pass only the crawler role, and manage only Security Lake's provider roles", () => {
    const crawler = resourceOf(synth.template, 'AWS::IAM::Role', 'SecurityLakeSourceCrawlerRole').id;
    const { resource } = resourceOf(synth.template, 'AWS::IAM::Policy', 'SecurityLakeSourceCustomLogSourceCustomResourcePolicy');

    const statements = resource.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];

    expect(statements.find((statement) => statement.Action === 'iam:PassRole')?.Resource).toEqual(arnOf(crawler));
    expect(statements.find((statement) => statement.Action.includes('iam:CreateRole'))?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/AmazonSecurityLake-Provider-*']],
    });
    // Only the actions without a resource of their own are on `*`, and no IAM action among them.
    const anyResource = statements.find((statement) => statement.Resource === '*');
    expect(anyResource?.Action).toEqual(
      expect.arrayContaining(['securitylake:CreateCustomLogSource', 'securitylake:DeleteCustomLogSource']),
    );
    expect(((anyResource?.Action ?? []) as string[]).filter((action) => action.startsWith('iam:'))).toEqual([]);
  });

  it('lets each function assume the provider role the custom source answers with, and sets no stream', () => {
    const { id } = resourceOf(synth.template, 'Custom::SecurityLakeCustomLogSource');

    for (const source of ['a', 'b']) {
      const environment = environmentOf(synth, `Source${source}`);
      expect(environment).toMatchObject({
        OUTPUT_FORMAT: 'ocsf',
        SECURITY_LAKE_BUCKET: BUCKET,
        SECURITY_LAKE_SOURCE_NAME: 'symantec-edr-cloud',
        SECURITY_LAKE_ROLE_ARN: { 'Fn::GetAtt': [id, 'source.provider.roleArn'] },
      });
      expect(environment.DELIVERY_STREAM).toBeUndefined();
      expect(sidOf(synth, `Source${source}Role`, 'WriteAsSecurityLakeProvider')).toEqual({
        Sid: 'WriteAsSecurityLakeProvider',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: { 'Fn::GetAtt': [id, 'source.provider.roleArn'] },
      });
      expect(sidOf(synth, `Source${source}Role`, 'DeliverDocuments')).toBeUndefined();
    }
    expect(Object.keys(synth.template.findResources('AWS::KinesisFirehose::DeliveryStream'))).toEqual([]);
    expect(JSON.stringify(synth.template.findResources('AWS::CloudWatch::Dashboard'))).not.toContain('AWS/Firehose');
  });
});

describe('delivery to Security Lake, an existing custom source', () => {
  it('refers to its provider role and external ID and creates no custom source', () => {
    const synth = synthesize({
      sources: [{ id: 'a' }],
      delivery: {
        type: 'securityLake',
        bucketName: BUCKET,
        sourceName: 'symantec-edr-cloud',
        providerRoleArn: PROVIDER_ROLE,
        externalId: 'soc-external-id',
      },
    });
    try {
      expect(environmentOf(synth, 'Sourcea')).toMatchObject({
        SECURITY_LAKE_ROLE_ARN: PROVIDER_ROLE,
        SECURITY_LAKE_EXTERNAL_ID: 'soc-external-id',
        OUTPUT_FORMAT: 'ocsf',
      });
      expect(sidOf(synth, 'SourceaRole', 'WriteAsSecurityLakeProvider')?.Resource).toBe(PROVIDER_ROLE);
      expect(Object.keys(synth.template.findResources('Custom::SecurityLakeCustomLogSource'))).toEqual([]);
      expect(Object.keys(synth.template.findResources('AWS::Lambda::Function'))).toHaveLength(1);
    } finally {
      synth.cleanup();
    }
  });

  it('refuses a source whose output format is not ocsf, and a provider role without its external ID', () => {
    const lake = { type: 'securityLake', bucketName: BUCKET, sourceName: 'symantec-edr-cloud' };

    expect(() => synthesize({ sources: [{ id: 'a', outputFormat: 'ecs' }], delivery: lake })).toThrow(
      /every source's outputFormat must be ocsf \(or unset\); found ecs/,
    );
    expect(() => synthesize({ sources: [{ id: 'a' }], delivery: { ...lake, providerRoleArn: PROVIDER_ROLE } })).toThrow(
      /providerRoleArn and externalId together/,
    );
  });
});
