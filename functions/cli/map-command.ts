/**
 * `symantec-edr map`: incidents on standard input, one document (ECS, ses, OCSF, or raw record) per incident on
 * standard output, as NDJSON in input order. NDJSON input is streamed line by line; only a document
 * that spans lines (a pretty-printed array or API response) is read whole, up to a cap (map-input.ts).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { nextTurn } from '../concurrency.js';
import { EDR_CLOUD_SHAPE, SES_SHAPE } from '../ecs/incident-shape.js';
import { DEFAULT_MAPPING_OPTIONS, namespaceProblem, type MappingOptions } from '../ecs/mapping-options.js';
import { DEFAULT_OUTPUT_FORMAT, isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../output-format.js';
import { errorRecord, mappingOptionsFor, recordMaker } from '../output-records.js';
import { describeArgumentError, usageError as reportUsageError } from './arguments.js';
import type { CommandIo } from './main.js';
import { INPUT_LIMITS, readMapInput } from './map-input.js';

type Format = OutputFormat;

export const MAP_HELP = `Usage: symantec-edr map [options] < incidents > documents.ndjson

Reads Symantec EDR Cloud incidents from standard input and writes one document per incident, in input
order, as NDJSON (one JSON object per line) to standard output.

Input, any of:
  - NDJSON: one incident per line (blank lines are skipped), mapped as it streams in
  - a JSON array of incidents
  - an API response {"incidents": [...]} (as POST /v1/incidents returns it)
An array or API response may span many lines (pretty-printed): it is then read whole, up to 8 Mi
characters (larger, its lines are mapped one by one). A line longer than 8 Mi characters is not read: it
yields an error document holding its first 64 Ki characters. A line holding an
array or an API response yields all of its incidents. A line that is not JSON yields an error document
(ECS: event.kind "pipeline_error", the reason in error.message, the line in event.original; OCSF: the
reason in unmapped.error, the line in raw_data), in every format, so every input line shows up in the output.

Options:
  --format ${OUTPUT_FORMATS.join('|')}           what to write (default: ${DEFAULT_OUTPUT_FORMAT}):
                                      ecs: the ECS document of Elastic's symantec_edr_cloud integration
                                      ses: the same document in the names of Elastic's
                                        symantec_endpoint_security integration (ses.incident.*)
                                      ocsf: an OCSF 1.1.0 Incident Finding (class 2005)
                                      raw: each incident exactly as received, for a destination that
                                        runs Elastic's own pipeline
  --preserve-original-event           keep the incident as received in event.original
                                      (tag preserve_original_event; ocsf: in raw_data)
  --preserve-duplicate-custom-fields  keep the symantec_edr_cloud.incident.* (ses.incident.*) fields that
                                      are also copied to ECS fields (tag preserve_duplicate_custom_fields)
  --tags a,b,c                        tags after the two above, comma-separated; --tags "" for none
                                      (default: ${EDR_CLOUD_SHAPE.defaultTags.join(',')}; ses: ${SES_SHAPE.defaultTags.join(',')})
  --namespace NAME                    data_stream.namespace: lower case letters, digits, _
                                      (default: ${DEFAULT_MAPPING_OPTIONS.namespace})
  -h, --help                          show this help

A field that cannot be read (a bad date, severity_id, URL or suspected_breach) is left out and named in
error.message; such a document has event.kind "pipeline_error" and keeps event.original (ocsf: named in
unmapped.error, the incident kept in raw_data). --tags and --namespace do not apply to ocsf.

Exit status: 0 when all input was read (error documents included), 1 when standard input or standard
output failed, 2 for a usage error.
Details: docs/cli.md; the fields of the documents: docs/fields.md.
`;

export async function runMapCommand(argv: string[], io: CommandIo): Promise<number> {
  const parsed = parseMapArguments(argv);
  if (parsed.kind === 'usage-error') {
    return reportUsageError('map', parsed.message, io);
  }
  if (parsed.kind === 'help') {
    io.stdout.write(MAP_HELP);
    return 0;
  }
  // Started on a terminal with nothing piped in, the command would seem to hang: say what it waits for.
  if ((io.stdin as { isTTY?: boolean }).isTTY === true)
    io.stderr.write('symantec-edr map: reading incidents from standard input (Ctrl-D to end; --help for more)\n');
  const output = new LineOutput(io.stdout);
  const emit = emitter(output, parsed.format, parsed.options);
  try {
    await readInput(io, emit, output, parsed.format, parsed.options);
  } catch (error) {
    if (!output.failed) {
      // What was mapped before the failure is still written.
      await output.finish().catch(() => undefined);
      io.stderr.write(`symantec-edr map: cannot read standard input: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
  // A failing output stream is recorded by `LineOutput` (its 'error' event) and reported here.
  await output.finish().catch(() => undefined);
  return reportOutputError(output, io);
}

type MapArguments = { kind: 'run'; format: Format; options: MappingOptions } | { kind: 'help' } | { kind: 'usage-error'; message: string };

function parseMapArguments(argv: string[]): MapArguments {
  const usageError = (message: string): MapArguments => ({ kind: 'usage-error', message });
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'preserve-original-event': { type: 'boolean' },
        'preserve-duplicate-custom-fields': { type: 'boolean' },
        tags: { type: 'string' },
        namespace: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return usageError(describeArgumentError(error));
  }
  if (values.help) return { kind: 'help' };
  const format = values.format ?? DEFAULT_OUTPUT_FORMAT;
  if (!isOutputFormat(format)) return usageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
  const namespace = values.namespace;
  const problem = namespace === undefined ? undefined : namespaceProblem(namespace);
  if (problem !== undefined) return usageError(`--namespace: ${problem}`);
  const options = mappingOptionsFor(format, {
    preserveOriginalEvent: values['preserve-original-event'],
    preserveDuplicateCustomFields: values['preserve-duplicate-custom-fields'],
    tags: values.tags === undefined ? undefined : splitTags(values.tags),
    namespace,
  });
  return { kind: 'run', format, options };
}

function splitTags(list: string): string[] {
  return list
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** Writes one output record for an incident; `text` is the incident's own JSON text when known. */
type Emit = (incident: unknown, text: string | undefined) => void;

function emitter(output: LineOutput, format: Format, options: MappingOptions): Emit {
  const make = recordMaker(format, options);
  return (incident, text) => {
    const context = text === undefined ? { now: Date.now() } : { now: Date.now(), originalText: text };
    const record = make(incident, context);
    output.push(typeof record === 'string' ? record : JSON.stringify(record));
  };
}

async function readInput(io: CommandIo, emit: Emit, output: LineOutput, format: Format, options: MappingOptions): Promise<void> {
  for await (const item of readMapInput(io.stdin)) {
    if (output.failed) break;
    if (item.kind === 'line') {
      const parsed = parseJson(item.text);
      if (parsed.ok) emitValue(parsed.value, item.text, emit);
      else output.push(JSON.stringify(notJsonDocument(item.text, item.lineNumber, parsed.reason, format, options)));
    } else if (item.kind === 'long-line') {
      output.push(JSON.stringify(longLineDocument(item, format, options)));
    } else {
      // Elements of a whole document have no text of their own: their JSON is written anew.
      for (const incident of incidentsOf(item.value)) {
        emit(incident, undefined);
        await output.waitForRoom();
      }
    }
    await output.waitForRoom();
  }
}

/** A line over the input cap is not read: its document keeps the line's start and says why. */
function longLineDocument(line: { head: string; length: number; lineNumber: number }, format: Format, options: MappingOptions): object {
  const reason =
    `input line ${line.lineNumber}: ${line.length} characters, over the ${INPUT_LIMITS.maxLineChars}-character cap of a line: ` +
    `not read; ${format === 'ocsf' ? 'raw_data' : 'event.original'} holds its first ${line.head.length} characters`;
  return errorRecord(format, [reason], line.head, options, Date.now());
}

function emitValue(value: unknown, line: string, emit: Emit): void {
  if (Array.isArray(value) || isPage(value)) {
    for (const incident of incidentsOf(value)) emit(incident, undefined);
  } else {
    emit(value, line);
  }
}

/** The incidents of a parsed input: an array's elements, an API response's `incidents`, or the value. */
function incidentsOf(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (isPage(value)) return value.incidents;
  return [value];
}

function isPage(value: unknown): value is { incidents: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { incidents?: unknown }).incidents);
}

// In every format, raw too: writing the line itself would put a line that is not JSON into NDJSON output.
function notJsonDocument(line: string, lineNumber: number, reason: string, format: Format, options: MappingOptions): object {
  return errorRecord(format, [`input line ${lineNumber}: cannot read it as JSON: ${reason}`], line, options, Date.now());
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

// Output is gathered into chunks of about this size: one write per document would cost a system call
// each on a pipe, where Node writes synchronously.
const CHUNK_CHARS = 64 * 1024;

/**
 * NDJSON output. Lines are batched: a batch is written when it is full, or once the lines already read
 * are mapped (`setImmediate` runs after the lines of one input chunk), so a slow producer still sees its
 * documents promptly. `waitForRoom` applies the stream's backpressure to the reader.
 */
class LineOutput {
  error: Error | undefined;
  private pending: string[] = [];
  private pendingChars = 0;
  private writeScheduled = false;

  constructor(private readonly stream: Writable) {
    stream.on('error', (error: Error) => {
      this.error ??= error;
    });
  }

  get failed(): boolean {
    return this.error !== undefined;
  }

  push(line: string): void {
    this.pending.push(line, '\n');
    this.pendingChars += line.length + 1;
    if (this.pendingChars >= CHUNK_CHARS) this.writePending();
    else if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(() => {
        this.writeScheduled = false;
        this.writePending();
      });
    }
  }

  async waitForRoom(): Promise<void> {
    if (this.stream.writableNeedDrain && !this.failed) await once(this.stream, 'drain');
  }

  /** Writes what is left and waits until the stream took all of it, or failed. */
  async finish(): Promise<void> {
    if (this.failed) return;
    const chunk = this.takePending();
    // The callback of the last write runs once every earlier write is done, or with the error that stopped them.
    await new Promise<void>((resolve) => this.stream.write(chunk, () => resolve()));
    // A stream reports a failed write with an 'error' event on a later tick: let it arrive.
    await nextTurn();
  }

  private writePending(): void {
    if (this.pending.length === 0 || this.failed) return;
    this.stream.write(this.takePending());
  }

  private takePending(): string {
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    return chunk;
  }
}

function reportOutputError(output: LineOutput, io: CommandIo): number {
  const error = output.error;
  if (error === undefined) return 0;
  // The reader went away (`| head`): like other filters, stop quietly.
  if ((error as NodeJS.ErrnoException).code === 'EPIPE') return 0;
  io.stderr.write(`symantec-edr map: cannot write standard output: ${error.message}\n`);
  return 1;
}
