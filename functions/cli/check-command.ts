/**
 * `symantec-edr check`: tests the configuration and every credential and resource a run needs, and says
 * so in one verdict. With --verbose it also pages through a recent window and prints the paging facts it
 * observes (docs/api-assumptions.md tells how to read them).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { checkpointKey } from '../aws/table-keys.js';
import { parseDurationMs } from '../duration.js';
import { describeError } from '../errors.js';
import type { IncidentPage, IncidentQuery } from '../ingest/ports.js';
import { SymantecClientCache, createAwsClients } from '../ingest/wiring.js';
import { nextOffset } from '../symantec/paging.js';
import { earliestFetchableMs } from '../window.js';
import { checkSourceOption, parseCommandArgs, usageError } from './arguments.js';
import { loadCommandConfig, readSecretText } from './cli-support.js';
import type { CommandIo } from './main.js';
import { type ObservedPage, analysePaging } from './paging-facts.js';

const HELP = `Usage: symantec-edr check [--function NAME] [--json] [--verbose] [--window 24h] [--ago 24h] [--source ID]

Checks, in order: the configuration in the environment (or, with --function, a deployed function's);
the secret in Secrets Manager; a token from the Symantec API; one incident from the incidents API;
the checkpoint table (and the source's cursor); the Firehose delivery stream. Prints one line per step
and a verdict. Never prints a secret.

  --function NAME  read the settings from this deployed function's environment (name or ARN)
  --json           print one JSON object instead: {"ok", "verdict", "steps": [{"name", "ok", "detail"}]}
                   (with --verbose also "pagingFacts": the lines below)
  --verbose        also page through a past window (100 rows a page, at most 50 pages) and print
                   the paging facts observed: total and next per page, how the last page ends, the
                   order of results, which timestamp the window filters on, event_id digits
  --window D       the length of the window --verbose reads (default 24h)
  --ago D          how long before now that window ends (default 24h): incidents changed since then
                   carry timestamps outside it, which shows the one the window filters on
  --source ID      the source whose checkpoint to show (default: SOURCE_ID)

Exit status: 0 every step passed, 1 a step failed, 2 bad usage or configuration.
Details: docs/cli.md; the settings: docs/configuration.md; the paging facts: docs/api-assumptions.md.
`;

const VERBOSE_PAGE_SIZE = 100;
const VERBOSE_MAX_PAGES = 50;

interface StepReport {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export async function runCheckCommand(argv: string[], io: CommandIo): Promise<number> {
  const values = parseCommandArgs(
    'check',
    argv,
    {
      function: { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
      window: { type: 'string' },
      ago: { type: 'string' },
      source: { type: 'string' },
    },
    io,
    HELP,
  );
  if (typeof values === 'number') return values;
  const badSource = checkSourceOption('check', values.source, io);
  if (badSource !== undefined) return badSource;
  const windowMs = parseDurationMs(values.window ?? '24h');
  const agoMs = parseDurationMs(values.ago ?? '24h');
  if (windowMs === undefined || agoMs === undefined) return usageError('check', '--window and --ago must be durations like 6h or 24h', io);
  const json = values.json === true;
  const steps: StepReport[] = [];
  const pagingFacts: string[] = [];
  const out = (line: string) => {
    if (!json) io.stdout.write(`${line}\n`);
  };
  const record = (name: string, ok: boolean, detail: string) => {
    steps.push({ name, ok, detail });
    out(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  };
  const finish = (failed: boolean, verdict: string, status: number) => {
    out(`check ${verdict}`);
    if (json)
      io.stdout.write(`${JSON.stringify({ ok: !failed, verdict, steps, ...(pagingFacts.length > 0 ? { pagingFacts } : {}) }, null, 2)}\n`);
    return status;
  };
  const config = await loadCommandConfig('check', io, values.function);
  if ('status' in config) {
    record(
      'configuration',
      false,
      config.status === 2
        ? 'not valid (the problems are on standard error)'
        : 'the deployed function could not be read (see standard error)',
    );
    return finish(true, 'FAILED: configuration', config.status);
  }
  const destination =
    config.securityLakeBucket !== undefined
      ? `Security Lake source ${config.securityLakeSourceName} in s3://${config.securityLakeBucket}`
      : `stream ${config.deliveryStream}`;
  record('configuration', true, `API ${config.apiUrl}, table ${config.checkpointTable}, ${destination}`);
  const source = values.source ?? config.sourceId;
  const step = async <T>(name: string, work: () => Promise<T>, describe: (value: T) => string): Promise<T | undefined> => {
    try {
      const value = await work();
      record(name, true, describe(value));
      return value;
    } catch (error) {
      record(name, false, describeError(error));
      return undefined;
    }
  };

  const secret = await step(
    'secret',
    () => readSecretText(config),
    () => `read ${config.secretId}`,
  );
  let failed = secret === undefined;
  if (secret !== undefined) {
    // A person is waiting: two attempts tell a passing fault from a broken setting.
    const api = await step(
      'credentials',
      async () => new SymantecClientCache().get(config, secret, { retry: { maxAttempts: 2 } }),
      () => 'the secret holds usable credentials',
    );
    const deadline = () => Date.now() + 60_000;
    const token =
      api &&
      (await step(
        'token',
        () => api.checkToken({ deadline: deadline() }),
        (t) => `issued, valid for ${t.expiresInSeconds} s`,
      ));
    const nowMs = Date.now();
    const sample =
      token &&
      (await step(
        'incidents',
        () =>
          api.fetchIncidentPage(
            {
              start: new Date(earliestFetchableMs(nowMs)),
              end: new Date(nowMs),
              offset: 0,
              limit: 1,
              includeEvents: false,
              query: config.query,
            },
            { deadline: deadline() },
          ),
        (page) => `the API answered; total over the last 30 days: ${page.total ?? 'not reported'}`,
      ));
    failed ||= !api || !token || !sample;
    if (sample && values.verbose) {
      const endMs = nowMs - agoMs;
      const startMs = Math.max(endMs - windowMs, earliestFetchableMs(nowMs));
      const facts = await step(
        'paging facts',
        () =>
          printPagingFacts(
            (line) => (json ? pagingFacts.push(line) : out(line)),
            (query, offset) => api.fetchIncidentPage({ ...query, offset }, { deadline: deadline() }),
            startMs,
            endMs,
            config.query,
          ),
        (pages) => `${pages} pages read`,
      );
      failed ||= facts === undefined;
    }
  }
  const clients = createAwsClients();
  const checkpoint = await step(
    'checkpoint table',
    () =>
      clients.dynamodb.send(
        new GetItemCommand({ TableName: config.checkpointTable, Key: { pk: { S: checkpointKey(source) } }, ConsistentRead: true }),
      ),
    (result) => {
      const cursor = result.Item?.cursor?.S;
      if (!cursor)
        return `reachable; source "${source}" has no checkpoint yet (its first run starts ${config.initialLookbackMs / 3_600_000} h back)`;
      return `source "${source}" is at ${cursor} (${Math.round((Date.now() - Date.parse(cursor)) / 60_000)} min behind)`;
    },
  );
  // Security Lake delivery has no stream; its bucket takes writes only as the provider role, which a run assumes.
  const streamName = config.securityLakeBucket === undefined ? config.deliveryStream : undefined;
  const stream =
    streamName === undefined
      ? true
      : await step(
          'delivery stream',
          () => clients.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: streamName })),
          (result) => `${streamName} is ${result.DeliveryStreamDescription?.DeliveryStreamStatus ?? 'reachable'}`,
        );
  failed ||= !checkpoint || !stream;
  return finish(
    failed,
    failed ? 'FAILED: fix the steps marked FAIL above' : 'passed: a run can fetch, deliver and store progress',
    failed ? 1 : 0,
  );
}

type PageFetcher = (query: Omit<IncidentQuery, 'offset'>, offset: number) => Promise<IncidentPage>;

async function printPagingFacts(
  out: (line: string) => void,
  fetch: PageFetcher,
  startMs: number,
  endMs: number,
  query: string | undefined,
): Promise<number> {
  const observed: ObservedPage[] = [];
  const base = { start: new Date(startMs), end: new Date(endMs), limit: VERBOSE_PAGE_SIZE, includeEvents: false, query };
  let offset = 0;
  let finished = false;
  while (observed.length < VERBOSE_MAX_PAGES) {
    const page = await fetch(base, offset);
    observed.push({ offset, page });
    const step = nextOffset(page, offset);
    if ('stop' in step) {
      finished = true;
      break;
    }
    offset = step.next;
  }
  const facts = analysePaging(observed, { startMs, endMs }, finished);
  out(`paging facts over ${base.start.toISOString()} .. ${base.end.toISOString()}:`);
  for (const p of facts.pages) out(`  page at offset ${p.offset}: ${p.rows} rows, total ${p.total ?? 'absent'}, next ${p.next}`);
  out(`  last page: ${facts.lastPage}`);
  out(
    `  largest total: ${facts.largestTotal ?? 'not reported'}${(facts.largestTotal ?? 0) >= 10_000 ? ' (at or above 10,000: the window split matters)' : ''}`,
  );
  for (const [field, order] of Object.entries(facts.order)) {
    const w = facts.inWindow[field as keyof typeof facts.inWindow];
    out(`  ${field}: ${order}; inside the window ${w.inside}, outside ${w.outside}, missing ${w.missing}`);
  }
  out(
    `  the window filters on: ${facts.filterCandidates.length === 1 ? facts.filterCandidates[0] : facts.filterCandidates.length === 0 ? 'undetermined (no field agrees with every row)' : `one of ${facts.filterCandidates.join(', ')} (they agree on every row seen)`}`,
  );
  out(`  event_id digits: ${facts.eventIdDigits.join(', ') || 'none seen'}`);
  return observed.length;
}
