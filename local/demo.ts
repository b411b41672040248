/**
 * `npm start`: the whole pipeline on this machine, no AWS account, no network. Starts the local
 * environment, gives the simulator a day of history, then runs the real Lambda handler on a short
 * schedule while the simulator keeps creating and updating incidents, and ends with a report.
 */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { clearCache } from '@middy/util';
import { parquetReadObjects } from 'hyparquet';
import { type LocalSecurityLake, startLocalEnvironment } from './environment.js';
import { lambdaContext } from './lambda-context.js';
import type { RunSummary } from '../functions/ingest/run-summary.js';

const { values } = parseArgs({
  options: {
    ticks: { type: 'string', default: '10' },
    'interval-seconds': { type: 'string', default: '2' },
    history: { type: 'string', default: '400' },
    seed: { type: 'string', default: '7' },
    delivery: { type: 'string', default: 'firehose' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm start [-- --ticks 10 --interval-seconds 2 --history 400 --seed 7 --delivery firehose]

Runs the real handler against local emulators of the Symantec API, Firehose, Secrets Manager and
DynamoDB. Output (NDJSON as Firehose writes it to S3, and the handler's logs) goes to .local-out/.
With --delivery security-lake the handler writes OCSF findings as Parquet objects to an emulated
Security Lake bucket (S3 and STS emulators) instead, as a custom source does; they go to .local-out/ too.
`);
  process.exit(0);
}
if (values.delivery !== 'firehose' && values.delivery !== 'security-lake') {
  process.stderr.write(`--delivery must be firehose or security-lake; got ${JSON.stringify(values.delivery)}\n`);
  process.exit(2);
}
const toLake = values.delivery === 'security-lake';
const ticks = Number(values.ticks);
const intervalMs = Number(values['interval-seconds']) * 1000;
const history = Number(values.history);
const seed = Number(values.seed);

const outputRoot = resolve('.local-out');
const outputDir = join(outputRoot, toLake ? 'security-lake' : 'firehose');
const logFile = join(outputRoot, 'handler.log.ndjson');
rmSync(outputRoot, { recursive: true, force: true });
mkdirSync(outputRoot, { recursive: true });

// The SDK warns that releases from 2027 need Node 22; the Lambda runs Node 22, this machine may not.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const say = (line: string) => process.stdout.write(`${line}\n`);
say(
  `Starting the local environment: Symantec API simulator, Firehose, Secrets Manager, DynamoDB (dynalite)${toLake ? ', S3 and STS for Security Lake' : ''}...`,
);
const local = await startLocalEnvironment({ seed, outputDir, firehose: { flushIntervalMs: 1000 }, ...(toLake && { securityLake: {} }) });
Object.assign(process.env, local.env, {
  // A schedule of seconds instead of minutes: windows settle after 1 s and the first run looks back 24 h.
  SETTLE_DELAY: '1s',
  PAGE_SIZE: '100',
});

const now = Date.now();
local.simulator.store.createIncidentsBetween(history, now - 23 * 3_600_000, now - 60_000);
say(
  `The simulator holds ${history} incidents from the last 23 hours; running the handler every ${intervalMs / 1000} s for ${ticks} ticks.\n`,
);

// The Security Lake entry: the handler itself, with the Security Lake sink too (for --delivery security-lake).
const { handler } = await import('../functions/security-lake-handler.js');
const totals = { fetched: 0, delivered: 0, duplicates: 0, failed: 0 };
try {
  for (let tick = 1; tick <= ticks; tick++) {
    if (tick > 1) {
      await new Promise((done) => setTimeout(done, intervalMs));
      // New incidents arrive and analysts work on older ones between two ticks.
      local.simulator.store.createIncidents(1 + (tick % 4));
      local.simulator.store.updateIncidents(2);
    }
    const summary = await invokeQuietly();
    totals.fetched += summary.fetched;
    totals.delivered += summary.delivered;
    totals.duplicates += summary.duplicates;
    totals.failed += summary.failed;
    say(
      `tick ${String(tick).padStart(2)}/${ticks}  ${summary.status.padEnd(16)} fetched ${String(summary.fetched).padStart(4)}  delivered ${String(summary.delivered).padStart(4)}  duplicates skipped ${String(summary.duplicates).padStart(3)}  lag ${summary.lagSeconds ?? '-'} s`,
    );
  }
  await local.firehose.flush();
  const versions = local.simulator.store.versionsCreated();
  const { delivered, keys, destination } = local.securityLake ? await lakeDelivery(local.securityLake) : firehoseDelivery();
  // Versions made since the last tick's window closed are the next tick's work, not a loss.
  const lastCursor = Date.now() - 1000 - intervalMs;
  const due = versions.filter((v) => v.time < lastCursor);
  const missing = due.filter((v) => !keys.has(`${v.incident_uid}@${toLake ? Date.parse(v.modified) : new Date(v.modified).toISOString()}`));
  say(`
Report
  incident versions created by the simulator   ${versions.length} (${due.length} old enough for the last window)
  documents delivered to ${toLake ? 'Security Lake' : 'Firehose     '}         ${delivered.length}
  duplicates delivered                         ${delivered.length - keys.size}
  duplicates skipped by the seen-set           ${totals.duplicates}
  versions due but not delivered               ${missing.length}
  ${destination}
  handler logs and EMF metrics                 ${relative(process.cwd(), logFile)}
`);
  process.exitCode = missing.length === 0 && delivered.length === keys.size ? 0 : 1;
} finally {
  // middy keeps a timer per cached secret to fetch it again when the cache expires (15 minutes), which
  // would keep this process alive long after the report: the demo ends here, so the cache goes too.
  clearCache();
  await local.close();
}

/** The documents Firehose wrote, keyed by incident version. */
function firehoseDelivery() {
  const delivered = local.firehose.records(local.env.DELIVERY_STREAM).map((data) => JSON.parse(data.toString('utf8')));
  const keys = new Set(delivered.map((d) => `${d.event?.id}@${d.symantec_edr_cloud?.incident?.modified}`));
  const destination = `NDJSON output (as Firehose writes to S3)     ${relative(process.cwd(), outputDir)}/ (${local.firehose.files.length} files)`;
  return { delivered, keys, destination };
}

/** The OCSF findings of every Parquet object in the lake bucket, read back, keyed by incident version. */
async function lakeDelivery(lake: LocalSecurityLake) {
  const objects = lake.s3.objects(lake.bucket);
  const rows = await Promise.all(
    objects.map(async ({ body }) =>
      parquetReadObjects({ file: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer }),
    ),
  );
  const delivered = rows.flat() as { finding_info_list?: { uid?: string; modified_time?: bigint }[] }[];
  const keys = new Set(
    delivered.map((finding) => `${finding.finding_info_list?.[0]?.uid}@${Number(finding.finding_info_list?.[0]?.modified_time)}`),
  );
  const days = new Set(objects.map((object) => /eventDay=(\d{8})/.exec(object.key)?.[1]));
  const destination = `Parquet objects (as Security Lake holds)     ${relative(process.cwd(), join(outputDir, lake.bucket))}/ext/${lake.sourceName}/ (${objects.length} objects, ${days.size} event days)`;
  return { delivered, keys, destination };
}

/** Runs one tick with the handler's JSON logs and metrics going to the log file instead of the screen. */
async function invokeQuietly(): Promise<RunSummary> {
  const write = process.stdout.write.bind(process.stdout);
  const writeError = process.stderr.write.bind(process.stderr);
  const toFile = (chunk: unknown) => {
    appendFileSync(logFile, String(chunk));
    return true;
  };
  process.stdout.write = toFile as typeof process.stdout.write;
  process.stderr.write = toFile as typeof process.stderr.write;
  try {
    return (await handler({}, lambdaContext() as Parameters<typeof handler>[1])) as RunSummary;
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeError;
  }
}
