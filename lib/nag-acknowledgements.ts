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
} as const satisfies Record<string, { id: string; reason: string }>;

export type AcknowledgementName = keyof typeof ACKNOWLEDGEMENTS;

export function acknowledgeFindings(scope: IConstruct, names: readonly AcknowledgementName[]): void {
  for (const name of names) Validations.of(scope).acknowledge(ACKNOWLEDGEMENTS[name]);
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
