import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { addIngestionAlarms } from './alarms.js';
import { DEFAULT_RUNBOOK_URL } from './runbook.js';
import { acknowledgeFindings } from './nag-acknowledgements.js';
import { type SymantecEdrIngestionProps, propProblems } from './ingestion-props.js';
import { checkpointKey, seenKey } from '../functions/aws/table-keys.js';
import { FUNCTION_BUNDLING, FUNCTION_ENTRIES } from './function-bundling.js';
import { settingsEnvironment } from './ingestion-settings.js';
import { type MetricName, METRICS_NAMESPACE, SERVICE_NAME } from '../functions/observability.js';

export { SOURCE_ID_PATTERN, type SymantecEdrIngestionProps } from './ingestion-props.js';

/** The metrics the function emits (EMF), under METRICS_NAMESPACE with the dimensions `service` and `source`. */
export type IngestionMetricName = MetricName;

// Run from its TypeScript source (the repository), this module bundles the handler from source; compiled
// into the package (dist/lib/), it deploys the bundle built beside it (dist/function/).
const SOURCE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PREBUILT_FUNCTION_DIR = import.meta.url.endsWith('.ts') ? undefined : fileURLToPath(new URL('../function/', import.meta.url));
const DEFAULT_MEMORY_MB = 256;
const DEFAULT_TIMEOUT = Duration.minutes(5);
const DEFAULT_SCHEDULE_RATE = Duration.minutes(5);
const DEFAULT_LAG_THRESHOLD = Duration.hours(1);
/** How long logs are kept when nothing else is configured; the stack uses it for Firehose's logs too. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * One scheduled ingestion: a function that reads one Symantec EDR Cloud source (tenant), its schedule,
 * its log group and its credentials secret. The function may read only its own secret and its own items
 * in the checkpoint table, and write only to the delivery stream.
 */
export class SymantecEdrIngestion extends Construct {
  readonly sourceId: string;
  readonly lambdaFunction: lambda.Function;
  readonly credentials: secretsmanager.ISecret;
  readonly logGroup: logs.LogGroup;
  readonly schedule: scheduler.Schedule;
  readonly scheduleRate: Duration;
  readonly enabled: boolean;
  /** This source's alarms (errors, failed records, clamped window, lag, and no successful run when enabled). */
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: SymantecEdrIngestionProps) {
    super(scope, id);
    // Props Lambda or the Scheduler cannot take would break the constructs below: they stop here, with
    // this construct's path. The function's settings are reported by CDK's validation at synth, all at once.
    const problems = propProblems(props);
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);
    const settings = settingsEnvironment(props.settings ?? {});
    this.node.addValidation({ validate: () => settings.problems.map((problem) => `settings.${problem}`) });
    this.sourceId = props.sourceId;
    this.scheduleRate = props.scheduleRate ?? DEFAULT_SCHEDULE_RATE;
    this.enabled = props.enabled ?? true;
    this.credentials = props.credentials ?? this.createEmptySecret();

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention ?? DEFAULT_LOG_RETENTION });
    // Our own role instead of AWSLambdaBasicExecutionRole: that policy may write to every log group.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Symantec EDR Cloud ingestion of source "${props.sourceId}"`,
    });
    this.logGroup.grantWrite(role);

    const functionProps: lambda.FunctionOptions & { runtime: lambda.Runtime } = {
      description: `Copies Symantec EDR Cloud incidents of source "${props.sourceId}" to Firehose`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? DEFAULT_TIMEOUT,
      role,
      logGroup: this.logGroup,
      // The next tick retries anyway, and it resumes where this run stopped: a retry or an invocation
      // older than one interval would only race the next run for the lease.
      retryAttempts: 0,
      maxEventAge: this.maxEventAge(),
      environment: {
        ...settings.environment,
        SYMANTEC_SECRET_ID: this.credentials.secretArn,
        CHECKPOINT_TABLE: props.checkpointTable.tableName,
        ...deliveryEnvironment(props),
        SOURCE_ID: props.sourceId,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    };
    // A Security Lake delivery has an entry of its own, so the S3 and STS clients and the Parquet writer
    // stay out of the bundle of functions that deliver to Firehose (functions/security-lake-handler.ts).
    const entry = props.securityLake ? FUNCTION_ENTRIES.securityLake : FUNCTION_ENTRIES.firehose;
    this.lambdaFunction = PREBUILT_FUNCTION_DIR
      ? // The installed package: the bundle `prepack` built from the same options (tools/build-package.ts).
        new lambda.Function(this, 'Function', {
          ...functionProps,
          code: lambda.Code.fromAsset(path.join(PREBUILT_FUNCTION_DIR, entry.bundleDir)),
          handler: 'index.handler',
        })
      : // The repository: bundled from the TypeScript sources at synth by the project's own esbuild.
        new nodejs.NodejsFunction(this, 'Function', {
          ...functionProps,
          entry: path.join(SOURCE_ROOT, 'functions', entry.source),
          handler: 'handler',
          projectRoot: SOURCE_ROOT,
          depsLockFilePath: path.join(SOURCE_ROOT, 'package-lock.json'),
          bundling: {
            ...FUNCTION_BUNDLING,
            externalModules: [...FUNCTION_BUNDLING.externalModules],
            mainFields: [...FUNCTION_BUNDLING.mainFields],
            ...props.bundling,
          },
        });
    this.grantFunctionAccess(role, props);

    acknowledgeFindings(this.lambdaFunction, ['lambdaRuntime']);
    this.schedule = this.createSchedule();
    this.alarms = addIngestionAlarms(this, {
      lagThreshold: props.lagThreshold ?? DEFAULT_LAG_THRESHOLD,
      runbookUrl: props.runbookUrl ?? DEFAULT_RUNBOOK_URL,
      ...(props.alarmAction === undefined ? {} : { action: props.alarmAction }),
    });

    new CfnOutput(this, 'FunctionName', {
      description: `Function of source "${props.sourceId}"`,
      value: this.lambdaFunction.functionName,
    });
    new CfnOutput(this, 'LogGroupName', {
      description: `Logs of source "${props.sourceId}" (for CloudWatch Logs Insights)`,
      value: this.logGroup.logGroupName,
    });
  }

  /** A metric the function emits for this source. */
  metric(metricName: IngestionMetricName, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE_NAME, source: this.sourceId },
      period: this.scheduleRate,
      ...props,
    });
  }

  // One interval, within the limits both Lambda and Scheduler accept (1 minute to 6 hours for Lambda).
  private maxEventAge(): Duration {
    return clamp(this.scheduleRate, Duration.minutes(1), Duration.hours(6));
  }

  private createSchedule(): scheduler.Schedule {
    // A name fixed here (rather than generated by CloudFormation) lets the role's trust policy name the
    // one schedule that may use it without a dependency cycle between the two.
    const scheduleName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    const stack = Stack.of(this);
    const scheduleArn = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `default/${scheduleName}` });
    // Our own role: the target's default one may invoke every version and alias (`<function>:*`).
    const role = new iam.Role(this, 'SchedulerRole', {
      description: `Starts the ingestion of Symantec EDR Cloud source "${this.sourceId}"`,
      // Only this schedule, in this account, may act as this role (the confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': scheduleArn } },
      }),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeThisFunction',
        actions: ['lambda:InvokeFunction'],
        resources: [this.lambdaFunction.functionArn],
      }),
    );
    const schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName,
      description: `Starts an ingestion run of Symantec EDR Cloud source "${this.sourceId}"`,
      schedule: scheduler.ScheduleExpression.rate(this.scheduleRate),
      enabled: this.enabled,
      target: new targets.LambdaInvoke(this.lambdaFunction, {
        role: role.withoutPolicyUpdates(),
        input: scheduler.ScheduleTargetInput.fromObject({ source: this.sourceId }),
        retryAttempts: 0,
        maxEventAge: this.maxEventAge(),
      }),
    });
    schedule.node.addDependency(role);
    return schedule;
  }

  private createEmptySecret(): secretsmanager.ISecret {
    const secret = new secretsmanager.Secret(this, 'Credentials', {
      description: `Symantec EDR Cloud client credentials of source "${this.sourceId}": {"client_id","client_secret"}`,
      // Kept when the stack is deleted, like the table, the buckets and the logs: a redeployment finds the
      // credentials again (by ARN, in cdk.json's secretArn), and nobody loses them to a `cdk destroy`.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Without a value rather than a generated one: the credentials come from the Symantec console, and a
    // template that never holds a value can never overwrite the one put in by hand.
    (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    acknowledgeFindings(secret, ['secretRotation']);
    new CfnOutput(this, 'PutCredentialsCommand', {
      description: `Fill the credentials of source "${this.sourceId}" with this command`,
      // From a file, not on the command line, where the shell's history and the process list would show it.
      value: `aws secretsmanager put-secret-value --secret-id ${secret.secretArn} --secret-string file://credentials.json`,
    });
    return secret;
  }

  // Written out rather than grantReadWriteData and friends, which also allow Scan, Query, DescribeTable
  // and the stream's other actions.
  private grantFunctionAccess(role: iam.Role, props: SymantecEdrIngestionProps): void {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'CheckpointsOfThisSourceOnly',
        // What the function calls, and nothing more: every write is a conditional or additive UpdateItem.
        actions: ['dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
        resources: [props.checkpointTable.tableArn],
        // The table is shared by every source; these are the two key shapes of one source (its checkpoint
        // and its seen-set), so one tenant's function cannot touch another tenant's items.
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [checkpointKey(props.sourceId), seenKey(props.sourceId, '*')],
          },
        },
      }),
    );
    if (props.deliveryStream) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'DeliverDocuments',
          // The CLI's `check` describes the stream with the operator's own permissions (docs/security.md).
          actions: ['firehose:PutRecordBatch'],
          resources: [props.deliveryStream.deliveryStreamArn],
        }),
      );
    }
    if (props.securityLake) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'WriteAsSecurityLakeProvider',
          // The provider role's own policy (written by Security Lake) allows writing under ext/<source>/ only.
          actions: ['sts:AssumeRole'],
          resources: [props.securityLake.providerRoleArn],
        }),
      );
    }
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOwnCredentials',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.credentials.secretArn],
      }),
    );
    if (props.credentialsKey) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'DecryptOwnCredentials',
          actions: ['kms:Decrypt'],
          resources: [props.credentialsKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
  }
}

/** The function's delivery settings: its stream, or the Security Lake custom source. */
function deliveryEnvironment(props: SymantecEdrIngestionProps): Record<string, string> {
  if (props.securityLake) {
    const lake = props.securityLake;
    return {
      SECURITY_LAKE_BUCKET: lake.bucketName,
      SECURITY_LAKE_SOURCE_NAME: lake.sourceName,
      SECURITY_LAKE_ROLE_ARN: lake.providerRoleArn,
      SECURITY_LAKE_EXTERNAL_ID: lake.externalId,
    };
  }
  if (!props.deliveryStream) throw new Error('SymantecEdrIngestion needs deliveryStream or securityLake');
  return { DELIVERY_STREAM: props.deliveryStream.deliveryStreamName };
}

function clamp(value: Duration, min: Duration, max: Duration): Duration {
  const seconds = Math.min(Math.max(value.toSeconds(), min.toSeconds()), max.toSeconds());
  return Duration.seconds(seconds);
}
