/**
 * Delivery to Amazon Security Lake as a custom source: a page's OCSF findings become one Parquet object
 * per event day, put under the source's prefix with the credentials of its provider role. The function
 * writes the Parquet itself because only the principal named when the source was created may assume that
 * role (with its external ID); a Firehose stream's role could not.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeError } from '../errors.js';
import { findingsToParquet } from '../ocsf/finding-parquet.js';
import type { OcsfIncidentFinding } from '../ocsf/incident-finding.js';
import type { DeliveryOutcome, RecordSink } from './firehose-sink.js';

/** Where the objects go: `s3://<bucket>/ext/<sourceName>/region=<region>/accountId=<accountId>/eventDay=<YYYYMMDD>/`. */
export interface SecurityLakeTarget {
  readonly bucket: string;
  readonly sourceName: string;
  readonly region: string;
  readonly accountId: string;
}

/** The prefix of one event day's objects, as Security Lake partitions a custom source. */
export function eventDayPrefix(target: SecurityLakeTarget, timeMs: number): string {
  const day = new Date(timeMs).toISOString().slice(0, 10).replaceAll('-', '');
  return `ext/${target.sourceName}/region=${target.region}/accountId=${target.accountId}/eventDay=${day}/`;
}

/** The account of an IAM role ARN (`arn:aws:iam::123456789012:role/name`): the `accountId=` of the keys. */
export function roleAccount(roleArn: string): string {
  const account = roleArn.split(':')[4];
  if (account === undefined || !/^\d{12}$/.test(account)) throw new Error(`Cannot read the account of role ARN ${JSON.stringify(roleArn)}`);
  return account;
}

export class SecurityLakeSink implements RecordSink {
  constructor(
    private readonly client: S3Client,
    private readonly target: SecurityLakeTarget,
  ) {}

  /**
   * `records` are OCSF findings as JSON lines. Each event day's findings are one object, named by the
   * hash of its records: a page sent again after a failure overwrites its own objects instead of adding
   * copies. An object that cannot be put fails all its records; the SDK has already retried it.
   */
  async put(records: readonly Buffer[], _deadlineMs: number): Promise<DeliveryOutcome> {
    const failed = new Set<number>();
    let lastError: string | undefined;
    const groups = new Map<string, { indexes: number[]; findings: OcsfIncidentFinding[] }>();
    records.forEach((record, index) => {
      let finding: OcsfIncidentFinding;
      try {
        finding = JSON.parse(record.toString('utf8')) as OcsfIncidentFinding;
      } catch (error) {
        // Only OCSF findings reach this sink (the settings require OUTPUT_FORMAT=ocsf); anything else is refused, not lost.
        failed.add(index);
        lastError = `record ${index} is not an OCSF finding in JSON: ${describeError(error)}`;
        return;
      }
      const prefix = eventDayPrefix(this.target, Number.isFinite(finding.time) ? finding.time : 0);
      const group = groups.get(prefix) ?? { indexes: [], findings: [] };
      group.indexes.push(index);
      group.findings.push(finding);
      groups.set(prefix, group);
    });
    await Promise.all(
      [...groups].map(async ([prefix, group]) => {
        const hash = createHash('sha256');
        for (const index of group.indexes) hash.update(records[index] as Buffer);
        const key = `${prefix}${hash.digest('hex').slice(0, 32)}.parquet`;
        try {
          await this.client.send(
            new PutObjectCommand({
              Bucket: this.target.bucket,
              Key: key,
              Body: findingsToParquet(group.findings),
              ContentType: 'application/vnd.apache.parquet',
            }),
          );
        } catch (error) {
          for (const index of group.indexes) failed.add(index);
          lastError = `PutObject s3://${this.target.bucket}/${key} failed: ${describeError(error)}`;
        }
      }),
    );
    return lastError === undefined ? { failed, calls: groups.size } : { failed, calls: groups.size, lastError };
  }
}
