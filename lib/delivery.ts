import { CfnOutput, Duration, Size, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { DeliveryConfig } from './config.js';
import { acknowledgeFindings, acknowledgeObjectWildcard } from './nag-acknowledgements.js';
import { createSecureBucket } from './secure-bucket.js';

/** The data stream the Elastic integration `symantec_edr_cloud` ingests into, and our default for Elastic. */
export const ELASTIC_DEFAULT_DATA_STREAM = 'logs-symantec_edr_cloud.incident-default';

// Construct ids below are a contract: renaming one makes CloudFormation replace the resource (a new,
// empty bucket; a new stream with another name). Keep them.
const STREAM_ID = 'DeliveryStream';

export interface Delivery {
  readonly stream: firehose.IDeliveryStream;
  /** Average of the destination's success ratio; only for a stream this stack created. */
  readonly deliverySuccess?: cloudwatch.Metric;
  /** The bucket that receives the incidents (S3) or the records Elastic refused (Elastic). */
  readonly bucket?: s3.Bucket;
}

/** Creates the delivery stream the configuration asks for, or refers to an existing one. */
export function createDelivery(scope: Construct, config: DeliveryConfig, logRetention: logs.RetentionDays): Delivery {
  // Every stream construct, imported ones too, adds that mapping to the stack.
  acknowledgeFindings(Stack.of(scope), ['unusedFirehoseMapping']);
  switch (config.type) {
    case 's3':
      return createS3Delivery(scope, logRetention);
    case 'elastic':
      return createElasticDelivery(scope, config, logRetention);
    case 'existing':
      return {
        stream:
          config.streamArn !== undefined
            ? firehose.DeliveryStream.fromDeliveryStreamArn(scope, 'ExistingDeliveryStream', config.streamArn)
            : firehose.DeliveryStream.fromDeliveryStreamName(scope, 'ExistingDeliveryStream', config.streamName ?? ''),
      };
  }
}

function createS3Delivery(scope: Construct, logRetention: logs.RetentionDays): Delivery {
  const bucket = createSecureBucket(scope, 'IncidentBucket');
  const { role, logGroup } = createDeliveryRole(scope, bucket, logRetention);
  const stream = new firehose.DeliveryStream(scope, STREAM_ID, {
    encryption: firehose.StreamEncryption.awsOwnedKey(),
    destination: new firehose.S3Bucket(bucket, {
      role: role.withoutPolicyUpdates(),
      compression: firehose.Compression.GZIP,
      // Hive-style date partitions, so Athena and Glue can prune by day.
      dataOutputPrefix: 'incidents/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
      errorOutputPrefix: 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
      loggingConfig: new firehose.EnableLogging(logGroup),
    }),
  });
  stream.node.addDependency(role);
  new CfnOutput(scope, 'IncidentBucketName', { description: 'Bucket that receives the incidents', value: bucket.bucketName });
  outputStreamName(scope, stream);
  return { stream, bucket, deliverySuccess: stream.metric('DeliveryToS3.Success', { statistic: 'Average', period: Duration.minutes(5) }) };
}

function createElasticDelivery(
  scope: Construct,
  config: Extract<DeliveryConfig, { type: 'elastic' }>,
  logRetention: logs.RetentionDays,
): Delivery {
  const bucket = createSecureBucket(scope, 'FailedDeliveryBucket');
  const { role, logGroup } = createDeliveryRole(scope, bucket, logRetention);
  const apiKey = secretsmanager.Secret.fromSecretCompleteArn(scope, 'ElasticApiKey', config.apiKeySecretArn);
  role.addToPolicy(
    new iam.PolicyStatement({ sid: 'ReadElasticApiKey', actions: ['secretsmanager:GetSecretValue'], resources: [apiKey.secretArn] }),
  );
  const stream = new firehose.DeliveryStream(scope, STREAM_ID, {
    encryption: firehose.StreamEncryption.awsOwnedKey(),
    destination: new firehose.HttpEndpoint({
      role: role.withoutPolicyUpdates(),
      endpointConfig: { url: config.endpointUrl, name: 'Elastic', secret: apiKey },
      // Elastic's setup guide for Firehose: GZIP content encoding, a 1 MiB buffer (so an uncompressed
      // request stays under http.max_content_length), a 60 s interval, 60-300 s of retries.
      requestCompression: firehose.HttpCompression.GZIP,
      bufferingHints: { interval: Duration.seconds(60), size: Size.mebibytes(1) },
      retryOptions: { duration: Duration.seconds(300) },
      attributes: [{ name: 'es_datastream_name', value: config.dataStreamName ?? ELASTIC_DEFAULT_DATA_STREAM }],
      backupMode: firehose.HttpBackupMode.FAILED,
      s3Backup: {
        bucket,
        compression: firehose.Compression.GZIP,
        dataOutputPrefix: 'failed/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        loggingConfig: new firehose.EnableLogging(logGroup),
      },
      loggingConfig: new firehose.EnableLogging(logGroup),
    }),
  });
  stream.node.addDependency(role);
  new CfnOutput(scope, 'FailedDeliveryBucketName', {
    description: 'Bucket that keeps the records Elastic did not accept',
    value: bucket.bucketName,
  });
  outputStreamName(scope, stream);
  return {
    stream,
    bucket,
    deliverySuccess: stream.metric('DeliveryToHttpEndpoint.Success', { statistic: 'Average', period: Duration.minutes(5) }),
  };
}

/**
 * Firehose's role, written out: the destination classes would grant read-write on the bucket (deletes
 * included) and more on the log group; Firehose needs only what AWS documents for an S3 destination.
 * The destinations get the role without policy updates so that they add nothing to it.
 */
function createDeliveryRole(scope: Construct, bucket: s3.Bucket, logRetention: logs.RetentionDays) {
  const logGroup = new logs.LogGroup(scope, 'DeliveryLogGroup', { retention: logRetention });
  const role = new iam.Role(scope, 'DeliveryRole', {
    description: 'Firehose delivery of Symantec EDR Cloud incidents',
    assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'BucketLevel',
      actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      resources: [bucket.bucketArn],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ObjectLevel',
      actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects('*')],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({ sid: 'DeliveryErrorLogs', actions: ['logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
  );
  acknowledgeObjectWildcard(role, bucket);
  return { role, logGroup };
}

function outputStreamName(scope: Construct, stream: firehose.IDeliveryStream): void {
  new CfnOutput(scope, 'DeliveryStreamName', { description: 'Firehose stream the functions write to', value: stream.deliveryStreamName });
}
