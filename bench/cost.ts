/**
 * Target 6: the monthly AWS bill of one source polled every 5 minutes, from the requests, durations and
 * log volume the benchmark measured, at three volumes. List prices, us-east-1, free tier left out.
 */
import { gzipSync } from 'node:zlib';
import { encodeIncidents } from '../functions/ingest/page-records.js';
import { makePageTexts, runSettings } from './mapping.js';
import type { UnitUsage, UsageProfile } from './requests.js';
import type { BenchResult } from './report.js';

/** US East (N. Virginia) list prices, as published on the AWS pricing pages in 2025 (checked 2025-06). */
export const PRICES = Object.freeze({
  asOf: '2025-06',
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  // On-demand, after the price cut of 1 November 2024.
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  // Direct PUT, first 500 TB a month; every record is rounded up to a multiple of 5 KB.
  firehoseGb: 0.029,
  firehoseRoundingBytes: 5 * 1024,
  secretMonth: 0.4,
  secretsApiCall: 0.05 / 10_000,
  s3PutRequest: 0.005 / 1000,
  s3StandardGbMonth: 0.023,
  logsIngestedGb: 0.5,
  logsStoredGbMonth: 0.03,
  customMetricMonth: 0.3,
  alarmMonth: 0.1,
  dashboardMonth: 3,
  schedulerInvocation: 1 / 1e6,
});

/** What the stack deploys by default (lib/ and functions/config.ts), the facts the model rests on. */
export const DEPLOYMENT = Object.freeze({
  memoryGb: 256 / 1024,
  runsPerMonth: (30 * 24 * 60) / 5,
  sweepsPerMonth: (30 * 24) / 6,
  sweepHorizonDays: 7,
  // middy's secret cache: one GetSecretValue per 15 minutes of a warm container.
  secretReadsPerMonth: (30 * 24 * 60) / 15,
  // Firehose's default S3 buffer: an object per 300 s that had data, or per 5 MiB.
  s3BufferSeconds: 300,
  s3BufferBytes: 5 * 1024 * 1024,
  // Lambda gives a full vCPU at 1,769 MB and a share in proportion below it.
  cpuSlowdown: 1769 / 256,
  // START, END and REPORT lines the platform writes per invocation.
  platformLogBytesPerRun: 350,
  // 9 metrics every run (run-summary.ts reportMetrics) + 2 sweep metrics in 4 hours of 24.
  customMetrics: 9 + 2 * (4 / 24),
  // Function errors, throttles, no successful run, checkpoint lag, records failed, window clamped.
  alarmsPerSource: 6,
  // Per stack, whatever the number of sources: the delivery failures and data freshness alarms.
  alarmsPerStack: 2,
  dashboards: 1,
  // A seen-set bucket item (seen-set.ts): its key, attribute names and TTL, ~60 bytes, then 22 bytes per
  // version in its string set; DynamoDB stores 100 bytes of overhead per item on top.
  seenBucketBaseBytes: 60,
  seenHashBytes: 22,
  itemOverheadBytes: 100,
  hoursPerMonth: 30 * 24,
  runsPerHour: 12,
  // Pages of a sweep that read one bucket: its versions over 2,000 a page, plus the page it starts in.
  sweepPageRows: 2_000,
});

/**
 * The seen-set's capacity units in a month, from its layout (an item per hour of versions, see
 * functions/aws/seen-set.ts) rather than from the benchmark's catch-up, whose buckets fill in one go:
 * in steady state each run adds its versions to the current hour's item, and an update is billed by the
 * item's size (1 KB a write unit), a consistent read by 4 KB a read unit.
 */
export function seenSetUnits(incidents: number): { writes: number; reads: number; storedBytes: number } {
  const { seenBucketBaseBytes: base, seenHashBytes: hash, hoursPerMonth, runsPerHour, sweepPageRows } = DEPLOYMENT;
  const perHour = incidents / hoursPerMonth;
  // Runs that find new versions in an hour: at most one per version when there are fewer than runs.
  const updatesPerHour = Math.min(runsPerHour, perHour);
  const addedPerUpdate = updatesPerHour > 0 ? perHour / updatesPerHour : 0;
  let writesPerHour = 0;
  let readsPerHour = 0;
  for (let update = 1; update <= Math.ceil(updatesPerHour); update++) {
    const share = Math.min(1, updatesPerHour - (update - 1));
    const after = base + update * addedPerUpdate * hash;
    writesPerHour += share * Math.ceil(after / 1024);
    // The run reads the item before it writes it.
    readsPerHour += share * Math.ceil((after - addedPerUpdate * hash) / 4096);
  }
  const fullBucket = base + perHour * hash;
  const sweepReadsPerHourBucket = (1 + perHour / sweepPageRows) * Math.ceil(fullBucket / 4096);
  // A sweep reads the items of the hours that had versions: all of them, or one per version when fewer.
  const sweepHours = Math.min(1, perHour) * DEPLOYMENT.sweepHorizonDays * 24;
  const sweepReads = DEPLOYMENT.sweepsPerMonth * sweepHours * sweepReadsPerHourBucket;
  return {
    writes: hoursPerMonth * writesPerHour,
    reads: hoursPerMonth * readsPerHour + sweepReads,
    // 31 days of hour items are kept.
    storedBytes: (31 / 30) * (Math.min(1, perHour) * hoursPerMonth * (base + DEPLOYMENT.itemOverheadBytes) + incidents * hash),
  };
}

export const VOLUMES = [100, 10_000, 1_000_000] as const;

export interface CostLine {
  readonly item: string;
  readonly dollars: readonly number[];
}

const GB = 1024 ** 3;

/** Billed Lambda milliseconds: the wall time measured here, with its CPU part slowed to a 256 MB share. */
function lambdaMs(usage: Pick<UnitUsage, 'wallMs' | 'cpuMs'>, units: number): number {
  return units * (usage.wallMs + usage.cpuMs * (DEPLOYMENT.cpuSlowdown - 1));
}

const calls = (usage: UnitUsage, operation: string) => usage.awsCalls[operation] ?? 0;

/** The gzip ratio of the documents as Firehose writes them to S3. */
export function measureGzipRatio(): number {
  const [text] = makePageTexts(1, 500, 3);
  const page = JSON.parse(text as string) as { incidents: unknown[] };
  const ndjson = Buffer.concat(encodeIncidents(page.incidents, runSettings(), Date.now()).map((record) => record.data));
  return gzipSync(ndjson).length / ndjson.length;
}

export function monthlyCost(profile: UsageProfile, incidents: number, gzipRatio: number): CostLine[] {
  const { idleRun: idle, perDelivered: d, perReread: r } = profile;
  const runs = DEPLOYMENT.runsPerMonth;
  const rereads = DEPLOYMENT.sweepsPerMonth * incidents * (DEPLOYMENT.sweepHorizonDays / 30);
  const durationSeconds = (lambdaMs(idle, runs) + lambdaMs(d, incidents) + lambdaMs(r, rereads)) / 1000;
  const recordBytes = d.firehoseRecords > 0 ? d.firehoseBytes / d.firehoseRecords : 0;
  const billedRecordBytes = Math.ceil(recordBytes / PRICES.firehoseRoundingBytes) * PRICES.firehoseRoundingBytes;
  const deliveredBytes = incidents * recordBytes;
  // The checkpoint's writes (an item under 1 KB: one unit each): those of an idle run, and one progress
  // write per page read; the seen-set's from its layout.
  const checkpointWrites = runs * calls(idle, 'UpdateItem') + incidents * d.apiPages + rereads * r.apiPages;
  const seen = seenSetUnits(incidents);
  const writes = checkpointWrites + seen.writes;
  const reads = seen.reads;
  const objects = Math.min(incidents, (30 * 86_400) / DEPLOYMENT.s3BufferSeconds) + (deliveredBytes * gzipRatio) / DEPLOYMENT.s3BufferBytes;
  const logBytes = runs * (idle.logBytes + DEPLOYMENT.platformLogBytesPerRun) + incidents * d.logBytes + rereads * r.logBytes;
  const secretCalls = DEPLOYMENT.secretReadsPerMonth;
  const line = (item: string, dollars: number): [string, number] => [item, dollars];
  const lines = [
    line('Lambda requests', runs * PRICES.lambdaRequest),
    line('Lambda duration (arm64, 256 MB)', durationSeconds * DEPLOYMENT.memoryGb * PRICES.lambdaArmGbSecond),
    line('DynamoDB writes (checkpoint, seen-set)', writes * PRICES.dynamoWriteUnit),
    line('DynamoDB reads (seen-set, sweeps)', reads * PRICES.dynamoReadUnit),
    line('DynamoDB storage (seen-set, 31-day TTL)', (seen.storedBytes / GB) * PRICES.dynamoStorageGbMonth),
    line(
      `Firehose ingestion (${(recordBytes / 1024).toFixed(1)} KB records billed as ${billedRecordBytes / 1024} KB)`,
      ((incidents * billedRecordBytes) / GB) * PRICES.firehoseGb,
    ),
    line('S3 PUTs by Firehose', objects * PRICES.s3PutRequest),
    line(
      `S3 storage, one month of data (gzip ${(gzipRatio * 100).toFixed(0)}%)`,
      ((deliveredBytes * gzipRatio) / GB) * PRICES.s3StandardGbMonth,
    ),
    line('Secrets Manager (secret + reads)', PRICES.secretMonth + secretCalls * PRICES.secretsApiCall),
    line('CloudWatch Logs (ingestion + a month stored)', (logBytes / GB) * (PRICES.logsIngestedGb + PRICES.logsStoredGbMonth)),
    line(`CloudWatch custom metrics (${DEPLOYMENT.customMetrics.toFixed(1)})`, DEPLOYMENT.customMetrics * PRICES.customMetricMonth),
    line(`CloudWatch alarms (${DEPLOYMENT.alarmsPerSource} per source)`, DEPLOYMENT.alarmsPerSource * PRICES.alarmMonth),
    line('EventBridge Scheduler invocations', runs * PRICES.schedulerInvocation),
  ];
  return lines.map(([item, dollars]) => ({ item, dollars: [dollars] }));
}

/** Per stack, not per source: the dashboard and the two delivery alarms (saved queries are free). */
export function stackCost(): number {
  return DEPLOYMENT.dashboards * PRICES.dashboardMonth + DEPLOYMENT.alarmsPerStack * PRICES.alarmMonth;
}

function money(dollars: number): string {
  if (dollars === 0) return '0';
  if (dollars < 0.01) return '<0.01';
  return dollars.toFixed(2);
}

export function costTable(profile: UsageProfile, gzipRatio: number): { lines: string[]; totals: number[] } {
  const byVolume = VOLUMES.map((volume) => monthlyCost(profile, volume, gzipRatio));
  const items = (byVolume[0] as CostLine[]).map((line, row) => ({
    item: line.item,
    dollars: byVolume.map((lines) => (lines[row] as CostLine).dollars[0] as number),
  }));
  const totals = VOLUMES.map((_, column) => items.reduce((sum, line) => sum + (line.dollars[column] as number), 0));
  const header = ['USD per month, one source', ...VOLUMES.map((v) => `${v.toLocaleString('en-US')} inc.`)];
  const rows = [...items.map((line) => [line.item, ...line.dollars.map(money)]), ['Total per source', ...totals.map(money)]];
  const widths = header.map((_, c) => Math.max(header[c]?.length ?? 0, ...rows.map((row) => row[c]?.length ?? 0)));
  const render = (row: string[]) =>
    `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join(' | ')} |`;
  const lines = [
    render(header),
    `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(render),
  ];
  return { lines, totals };
}

export function costResult(profile: UsageProfile): BenchResult {
  const gzipRatio = measureGzipRatio();
  const { lines, totals } = costTable(profile, gzipRatio);
  return {
    name: `Cost (6): us-east-1 list prices of ${PRICES.asOf}, free tier excluded, 5-minute schedule, 30-day month`,
    figures: VOLUMES.map((volume, column) => ({
      id: `cost.total${volume}`,
      label: `USD per month at ${volume.toLocaleString('en-US')} incidents`,
      value: totals[column] as number,
      text: money(totals[column] as number),
    })),
    lines: [
      ...lines,
      `Per stack on top, whatever the number of sources: dashboard and delivery alarms ${money(stackCost())} USD.`,
      `Lambda duration = measured wall time + measured CPU time x ${(DEPLOYMENT.cpuSlowdown - 1).toFixed(1)} (a 256 MB function gets 256/1769 of a vCPU);`,
      `update sweeps: ${DEPLOYMENT.sweepsPerMonth} a month, each re-reading ${DEPLOYMENT.sweepHorizonDays} days of incidents.`,
    ],
  };
}
