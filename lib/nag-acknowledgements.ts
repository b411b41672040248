import { Stack, Validations } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding this app accepts, with the reason. They are acknowledged on the construct that
 * raises them (never on the whole stack), so a new resource with the same problem is still reported.
 */
export const ACKNOWLEDGEMENTS = {
  lambdaRuntime: {
    id: 'AwsSolutions-L1',
    reason:
      'Node.js 22 is the runtime the function is built and tested for (its code also runs on Node 20); ' +
      'moving to a newer runtime is a deliberate upgrade with its own test run, not a side effect of a new cdk-nag.',
  },
  secretRotation: {
    id: 'AwsSolutions-SMG4',
    reason:
      'The secret holds a client id and secret issued in the Symantec console; only that console can rotate them, ' +
      'so there is no rotation function to attach. Rotate them there and put the new value in.',
  },
  serverAccessLogs: {
    id: 'AwsSolutions-S1',
    reason:
      'Only the Firehose role writes to this bucket and no one else is granted access; CloudTrail data events ' +
      'are the audit trail if one is needed. A second bucket for access logs would need the same exception.',
  },
  unusedFirehoseMapping: {
    id: 'CloudFormation-Validate::W7001',
    reason:
      'aws-cdk-lib adds a mapping of Firehose CIDR blocks to every stack with a delivery stream (for ' +
      'connections to VPC destinations); this stack has none, so the mapping is unused and harmless.',
  },
  glueServiceRole: {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSGlueServiceRole]',
    reason:
      'Security Lake asks for a crawler role with the AWSGlueServiceRole managed policy (CreateCustomLogSource); ' +
      "the role reads only the custom source's prefix of the lake bucket besides.",
  },
  customResourcePolicyAnyResource: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'CreateCustomLogSource creates a Glue crawler, database and table and Lake Formation grants whose names Security ' +
      'Lake picks, and the Security Lake actions take no resource ARN; the custom resource calls it once per deployment.',
  },
  customResourcePolicyProviderRoles: {
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/AmazonSecurityLake-Provider-*]',
    reason:
      "CreateCustomLogSource creates the source's provider role, named by Security Lake with this prefix and the " +
      'source and region; the custom resource may manage only roles of that prefix.',
  },
  customResourceProvider: {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "The provider function of aws-cdk-lib's AwsCustomResource writes its own logs with this managed policy; it runs once per deployment.",
  },
  customResourceRuntime: {
    id: 'AwsSolutions-L1',
    reason: 'aws-cdk-lib picks the runtime of the AwsCustomResource provider function; it moves with aws-cdk-lib upgrades.',
  },
} as const satisfies Record<string, { id: string; reason: string }>;

export type AcknowledgementName = keyof typeof ACKNOWLEDGEMENTS;

export function acknowledgeFindings(scope: IConstruct, names: readonly AcknowledgementName[]): void {
  for (const name of names) Validations.of(scope).acknowledge(ACKNOWLEDGEMENTS[name]);
}

/** The functions name each Security Lake object at run time, so the crawler reads `ext/<source>/*` of the lake bucket. */
export function acknowledgeCrawlerObjects(scope: IConstruct, bucketName: string, sourceName: string): void {
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucketName}/ext/${sourceName}/*]`,
    reason:
      'The Glue crawler Security Lake runs reads the objects of the custom source, whose names the functions make ' +
      'at run time: the grant covers the objects under ext/<source name>/ of the lake bucket only.',
  });
}

/** Firehose names each object at delivery time, so its object-level grant must cover `<bucket>/*`. */
export function acknowledgeObjectWildcard(scope: IConstruct, bucket: s3.Bucket): void {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`,
    reason:
      'Firehose writes objects under keys it makes up at delivery time (prefix, date, random suffix), so the ' +
      'object-level actions (PutObject, GetObject, AbortMultipartUpload) are granted on the objects of this one bucket.',
  });
}
