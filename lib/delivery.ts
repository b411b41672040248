import { CfnOutput, Duration, Size, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { OutputFormat } from '../functions/output-format.js';
import type { DeliveryConfig } from './config.js';
import { ELASTIC_DATA_STREAMS, ELASTIC_DEFAULT_FORMAT, dataStreamFor } from './elastic-data-stream.js';
import { acknowledgeObjectWildcard } from './nag-acknowledgements.js';
import { createSecureBucket } from './secure-bucket.js';
import {
  SecurityLakeSource,
  securityLakeProblems,
  type SecurityLakeDeliveryOptions,
  type SecurityLakeTarget,
} from './security-lake-delivery.js';

export type { SecurityLakeDeliveryOptions, SecurityLakeTarget } from './security-lake-delivery.js';

/** The data stream the Elastic integration `symantec_edr_cloud` ingests into, and our default for Elastic. */
export const ELASTIC_DEFAULT_DATA_STREAM = ELASTIC_DATA_STREAMS[ELASTIC_DEFAULT_FORMAT] as string;

// Construct ids below are a contract: renaming one makes CloudFormation replace the resource (a new,
// empty bucket; a new stream with another name). Keep them.
const STREAM_ID = 'DeliveryStream';
// Firehose's default for an S3 destination, which this stack keeps; written here for the freshness alarm.
const S3_BUFFER_INTERVAL = Duration.seconds(300);
// Elastic's setup guide asks for 60 s.
const ELASTIC_BUFFER_INTERVAL = Duration.seconds(60);
const METRIC_PERIOD = Duration.minutes(5);

/** What a delivery gives the ingestion once it is set up in a scope. */
export interface DeliveryResources {
  /** The Firehose stream the functions write to; absent when they write to Security Lake. */
  readonly stream?: firehose.IDeliveryStream;
  /** The Security Lake custom source the functions write Parquet objects to, instead of a stream. */
  readonly securityLake?: SecurityLakeTarget;
  /** Average of the destination's success ratio; only for a stream this stack created. */
  readonly deliverySuccess?: cloudwatch.Metric;
  /** Maximum age of the records not yet delivered, with the buffer interval it allows; only for a stream this stack created. */
  readonly deliveryFreshness?: { readonly metric: cloudwatch.Metric; readonly bufferInterval: Duration };
  /** The bucket that receives the incidents (S3) or the records Elastic refused (Elastic). */
  readonly bucket?: s3.Bucket;
  /** The output format sources get when they set none: `raw` for Elastic, whose own pipeline maps. */
  readonly defaultOutputFormat?: OutputFormat;
}

export interface ElasticDeliveryOptions {
  /** Elastic's Firehose endpoint, `https://...`. */
  readonly endpointUrl: string;
  /** The secret holding `{"api_key":"<Elastic API key>"}`. */
  readonly apiKey: secretsmanager.ISecret;
  /** The data stream the records go to. @default - the one that fits the sources' output formats (ELASTIC_DATA_STREAMS) */
  readonly dataStreamName?: string;
}

/**
 * Where the documents go: a Firehose stream this stack creates (to a new S3 bucket or to Elastic) or one
 * that exists already. Made with the factories, e.g. `Delivery.s3()`.
 */
export abstract class Delivery {
  /** A new stream writing GZIP NDJSON to a new, private, versioned bucket under date partitions. */
  static s3(): Delivery {
    return new (class extends Delivery {
      bind(scope: Construct, options: DeliveryBindOptions): DeliveryResources {
        return createS3Delivery(scope, options.logRetention);
      }
    })();
  }

  /** A new stream to Elastic's Firehose endpoint; records Elastic refuses land in a new bucket. */
  static elastic(elastic: ElasticDeliveryOptions): Delivery {
    return new (class extends Delivery {
      bind(scope: Construct, options: DeliveryBindOptions): DeliveryResources {
        const dataStreamName = elastic.dataStreamName ?? dataStreamFor(options.outputFormats);
        if (dataStreamName === undefined) {
          throw new Error(
            `${scope.node.path}: Delivery.elastic needs dataStreamName when the sources' output formats fit no single Elastic data stream ` +
              '(ses: logs-symantec_endpoint_security.incident-*; ecs or raw: logs-symantec_edr_cloud.incident-*; ocsf: none)',
          );
        }
        return createElasticDelivery(scope, { ...elastic, dataStreamName }, options.logRetention);
      }
    })();
  }

  /** A stream that exists already (created elsewhere); the stack adds nothing to it. */
  static existing(stream: firehose.IDeliveryStream): Delivery {
    return new (class extends Delivery {
      bind(): DeliveryResources {
        return { stream };
      }
    })();
  }

  /**
   * OCSF findings as Parquet objects, written by the functions themselves to a Security Lake custom source
   * (created by the stack, or an existing one by its provider role and external ID). No Firehose stream:
   * only this account may assume the source's provider role, not Firehose's service role.
   */
  static securityLake(lake: SecurityLakeDeliveryOptions): Delivery {
    return new (class extends Delivery {
      bind(scope: Construct, options: DeliveryBindOptions): DeliveryResources {
        const problems = securityLakeProblems(lake, options.outputFormats);
        if (problems.length > 0) throw new Error(`${scope.node.path}: ${problems.join('; ')}`);
        return { securityLake: new SecurityLakeSource(scope, 'SecurityLakeSource', lake).target, defaultOutputFormat: 'ocsf' };
      }
    })();
  }

  /** Creates (or refers to) the stream in `scope`; called once by the construct that owns the delivery. */
  abstract bind(scope: Construct, options: DeliveryBindOptions): DeliveryResources;
}

export interface DeliveryBindOptions {
  readonly logRetention: logs.RetentionDays;
  /** The output format of each source (undefined: the delivery's default), for a data stream that fits them. */
  readonly outputFormats: readonly (OutputFormat | undefined)[];
}

/** The delivery that a `cdk.json` configuration asks for. */
export function deliveryFromConfig(scope: Construct, config: DeliveryConfig): Delivery {
  switch (config.type) {
    case 's3':
      return Delivery.s3();
    case 'elastic':
      return Delivery.elastic({
        endpointUrl: config.endpointUrl,
        apiKey: secretsmanager.Secret.fromSecretCompleteArn(scope, 'ElasticApiKey', config.apiKeySecretArn),
        ...(config.dataStreamName === undefined ? {} : { dataStreamName: config.dataStreamName }),
      });
    case 'securityLake':
      return Delivery.securityLake({
        bucket: config.bucketName,
        sourceName: config.sourceName,
        ...(config.providerRoleArn === undefined ? {} : { providerRoleArn: config.providerRoleArn }),
        ...(config.externalId === undefined ? {} : { externalId: config.externalId }),
        ...(config.eventClasses === undefined ? {} : { eventClasses: config.eventClasses }),
      });
    case 'existing':
      return Delivery.existing(
        config.streamArn !== undefined
          ? firehose.DeliveryStream.fromDeliveryStreamArn(scope, 'ExistingDeliveryStream', config.streamArn)
          : firehose.DeliveryStream.fromDeliveryStreamName(scope, 'ExistingDeliveryStream', config.streamName ?? ''),
      );
  }
}

function createS3Delivery(scope: Construct, logRetention: logs.RetentionDays): DeliveryResources {
  const bucket = createSecureBucket(scope, 'IncidentBucket');
  const { role, logGroup } = createDeliveryRole(scope, bucket, logRetention);
  const stream = new firehose.DeliveryStream(scope, STREAM_ID, {
    encryption: firehose.StreamEncryption.awsOwnedKey(),
    destination: new firehose.S3Bucket(bucket, {
      role: role.withoutPolicyUpdates(),
      compression: firehose.Compression.GZIP,
      bufferingInterval: S3_BUFFER_INTERVAL,
      // Hive-style date partitions, so Athena and Glue can prune by day.
      dataOutputPrefix: 'incidents/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
      errorOutputPrefix: 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
      loggingConfig: new firehose.EnableLogging(logGroup),
    }),
  });
  stream.node.addDependency(role);
  new CfnOutput(scope, 'IncidentBucketName', { description: 'Bucket that receives the incidents', value: bucket.bucketName });
  outputStreamName(scope, stream);
  return {
    stream,
    bucket,
    ...deliveryMetrics(stream, 'DeliveryToS3', S3_BUFFER_INTERVAL),
  };
}

function createElasticDelivery(scope: Construct, config: ElasticDeliveryOptions, logRetention: logs.RetentionDays): DeliveryResources {
  const bucket = createSecureBucket(scope, 'FailedDeliveryBucket');
  const { role, logGroup } = createDeliveryRole(scope, bucket, logRetention);
  const { apiKey } = config;
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
      bufferingHints: { interval: ELASTIC_BUFFER_INTERVAL, size: Size.mebibytes(1) },
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
    ...deliveryMetrics(stream, 'DeliveryToHttpEndpoint', ELASTIC_BUFFER_INTERVAL),
    defaultOutputFormat: ELASTIC_DEFAULT_FORMAT,
  };
}

/** The destination's success ratio and the age of its oldest record waiting, for the stream's alarms. */
function deliveryMetrics(
  stream: firehose.DeliveryStream,
  destination: 'DeliveryToS3' | 'DeliveryToHttpEndpoint',
  bufferInterval: Duration,
): Pick<DeliveryResources, 'deliverySuccess' | 'deliveryFreshness'> {
  return {
    deliverySuccess: stream.metric(`${destination}.Success`, { statistic: 'Average', period: METRIC_PERIOD }),
    deliveryFreshness: {
      metric: stream.metric(`${destination}.DataFreshness`, { statistic: 'Maximum', period: METRIC_PERIOD }),
      bufferInterval,
    },
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
