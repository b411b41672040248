import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeFindings } from './nag-acknowledgements.js';

/**
 * A bucket for incidents or for the records Firehose could not deliver: encrypted, private, reachable
 * over TLS 1.2+ only, versioned (an object deleted or overwritten by mistake or by an intruder can be
 * restored), and kept when the stack is deleted (it holds security data).
 */
export function createSecureBucket(scope: Construct, id: string): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
    versioned: true,
    lifecycleRules: [
      // Firehose writes objects in parts; a part left by an interrupted upload is billed until removed.
      // Firehose never overwrites an object, so a noncurrent version only exists after a delete or an
      // overwrite: 30 days to notice and restore it, then it stops costing.
      { abortIncompleteMultipartUploadAfter: Duration.days(7), noncurrentVersionExpiration: Duration.days(30) },
    ],
  });
  acknowledgeFindings(bucket, ['serverAccessLogs']);
  return bucket;
}
