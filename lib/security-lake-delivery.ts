import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { OutputFormat } from '../functions/output-format.js';
import { acknowledgeCrawlerObjects, acknowledgeFindings } from './nag-acknowledgements.js';

/** The custom source the functions write to, as their settings name it. */
export interface SecurityLakeTarget {
  readonly bucketName: string;
  readonly sourceName: string;
  readonly providerRoleArn: string;
  readonly externalId: string;
}

export interface SecurityLakeDeliveryOptions {
  /** The name of the region's Security Lake bucket (`aws-security-data-lake-<region>-<id>`). */
  readonly bucket: string;
  /** The custom source's name: its objects go under `ext/<sourceName>/`. */
  readonly sourceName: string;
  /**
   * An existing custom source's provider role (with `externalId`). @default - the stack creates the
   * custom source (CreateCustomLogSource) with a Glue crawler role, and deletes it with the stack
   */
  readonly providerRoleArn?: string;
  /** The external ID the existing source was created with; required with `providerRoleArn`. */
  readonly externalId?: string;
  /**
   * The event classes the stack registers for a source it creates. @default ['INCIDENT_FINDING'] (OCSF 2005;
   * whether CreateCustomLogSource takes it today is not confirmed: docs/delivery.md)
   */
  readonly eventClasses?: readonly string[];
}

/** The problems of the options and of the sources' formats: Security Lake takes OCSF only. */
export function securityLakeProblems(options: SecurityLakeDeliveryOptions, outputFormats: readonly (OutputFormat | undefined)[]): string[] {
  const problems: string[] = [];
  if (!/^[\w\-:.]{1,64}$/.test(options.sourceName))
    problems.push(
      `Delivery.securityLake sourceName ${JSON.stringify(options.sourceName)} must be 1-64 of A-Z, a-z, 0-9, "_", "-", ":", "."`,
    );
  if ((options.providerRoleArn === undefined) !== (options.externalId === undefined)) {
    problems.push(
      'Delivery.securityLake needs providerRoleArn and externalId together (an existing custom source), or neither (the stack creates it)',
    );
  }
  const others = [...new Set(outputFormats.filter((format) => format !== undefined && format !== 'ocsf'))];
  if (others.length > 0)
    problems.push(
      `Delivery.securityLake takes OCSF findings only: every source's outputFormat must be ocsf (or unset); found ${others.join(', ')}`,
    );
  return problems;
}

/**
 * The custom source: referred to when its provider role is given, else created by a custom resource that
 * calls Security Lake's CreateCustomLogSource (and DeleteCustomLogSource when the stack goes), with the
 * Glue crawler role it asks for and this account as the provider that may assume the source's role.
 */
export class SecurityLakeSource extends Construct {
  readonly target: SecurityLakeTarget;

  constructor(scope: Construct, id: string, options: SecurityLakeDeliveryOptions) {
    super(scope, id);
    const bucketName = options.bucket;
    if (options.providerRoleArn !== undefined && options.externalId !== undefined) {
      this.target = {
        bucketName,
        sourceName: options.sourceName,
        providerRoleArn: options.providerRoleArn,
        externalId: options.externalId,
      };
      return;
    }
    const stack = Stack.of(this);
    const bucketArn = `arn:${stack.partition}:s3:::${bucketName}`;
    const crawlerRole = new iam.Role(this, 'CrawlerRole', {
      description: `Glue crawler of the Security Lake custom source ${options.sourceName}`,
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSGlueServiceRole')],
    });
    crawlerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListSourcePrefix',
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: { StringLike: { 's3:prefix': [`ext/${options.sourceName}/*`] } },
      }),
    );
    crawlerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadSourceObjects',
        actions: ['s3:GetObject'],
        resources: [`${bucketArn}/ext/${options.sourceName}/*`],
      }),
    );
    acknowledgeFindings(crawlerRole, ['glueServiceRole']);
    acknowledgeCrawlerObjects(crawlerRole, bucketName, options.sourceName);
    // Not a secret (it tells this stack's requests apart from a confused deputy's): stable per construct, so
    // an update does not try to change the source.
    const externalId = `symantec-edr-${this.node.addr.slice(0, 24)}`;
    const customSource = new cr.AwsCustomResource(this, 'CustomLogSource', {
      resourceType: 'Custom::SecurityLakeCustomLogSource',
      installLatestAwsSdk: false,
      onCreate: {
        service: 'SecurityLake',
        action: 'CreateCustomLogSource',
        parameters: {
          sourceName: options.sourceName,
          eventClasses: [...(options.eventClasses ?? ['INCIDENT_FINDING'])],
          configuration: {
            crawlerConfiguration: { roleArn: crawlerRole.roleArn },
            providerIdentity: { principal: stack.account, externalId },
          },
        },
        physicalResourceId: cr.PhysicalResourceId.of(options.sourceName),
        outputPaths: ['source.provider.roleArn', 'source.provider.location'],
      },
      onDelete: { service: 'SecurityLake', action: 'DeleteCustomLogSource', parameters: { sourceName: options.sourceName } },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['securitylake:CreateCustomLogSource', 'securitylake:DeleteCustomLogSource'],
          resources: ['*'],
        }),
        // What CreateCustomLogSource does on the caller's behalf: the provider role, the Glue crawler,
        // database and table, and the Lake Formation grants.
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [crawlerRole.roleArn] }),
        new iam.PolicyStatement({
          actions: ['iam:CreateRole', 'iam:GetRole', 'iam:PutRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePolicy'],
          resources: [`arn:${stack.partition}:iam::${stack.account}:role/AmazonSecurityLake-Provider-*`],
        }),
        new iam.PolicyStatement({
          actions: [
            'glue:CreateCrawler',
            'glue:DeleteCrawler',
            'glue:CreateDatabase',
            'glue:CreateTable',
            'glue:StartCrawlerSchedule',
            'glue:StopCrawlerSchedule',
            'lakeformation:GrantPermissions',
            'lakeformation:RevokePermissions',
            'lakeformation:GetDataLakeSettings',
            's3:ListBucket',
            's3:PutObject',
          ],
          resources: ['*'],
        }),
      ]),
    });
    // The crawler role's own policy too, not only the role the ARN refers to.
    customSource.node.addDependency(crawlerRole);
    acknowledgeFindings(customSource, ['customResourcePolicyAnyResource', 'customResourcePolicyProviderRoles']);
    // aws-cdk-lib's one provider function for every AwsCustomResource of the stack.
    const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`);
    if (provider) acknowledgeFindings(provider, ['customResourceProvider', 'customResourceRuntime']);
    this.target = {
      bucketName,
      sourceName: options.sourceName,
      providerRoleArn: customSource.getResponseField('source.provider.roleArn'),
      externalId,
    };
    new CfnOutput(this, 'Location', {
      description: 'Where the custom source writes in Security Lake',
      value: customSource.getResponseField('source.provider.location'),
    });
  }
}
