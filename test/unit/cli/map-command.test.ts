import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, readFileSync } from 'node:fs';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMapCommand } from '../../../functions/cli/map-command.js';

const fixtureUrl = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url);
const fixtureText = (name: string) => readFileSync(fixtureUrl(name), 'utf8');
const goldenLine = fixtureText('elastic_edr_cloud_pipeline_test_input.ndjson').trim();
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  documents: Record<string, any>[];
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function runMap(argv: string[], input: string | Readable): Promise<Outcome> {
  const stdout = collector();
  const stderr = collector();
  const stdin = typeof input === 'string' ? Readable.from([input]) : input;
  const code = await runMapCommand(argv, { stdin, stdout: stdout.stream, stderr: stderr.stream, env: {} });
  const text = stdout.text();
  const documents =
    text === '' || argv.includes('--help') || argv.includes('-h')
      ? []
      : text
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, any>);
  return { code, stdout: text, stderr: stderr.text(), documents };
}

const line = (incident: object) => JSON.stringify(incident);

describe('symantec-edr map input', () => {
  it('writes one document per NDJSON line, in input order', async () => {
    const input = ['a', 'b', 'c'].map((uid) => line({ incident_uid: uid, time: 1682545570400 })).join('\n');

    const { code, documents, stdout } = await runMap([], `${input}\n`);

    expect(code).toBe(0);
    expect(documents.map((document) => document.event.id)).toEqual(['a', 'b', 'c']);
    expect(stdout.endsWith('}\n')).toBe(true);
  });

  it('keeps each line as received in event.original', async () => {
    const text = '{"incident_uid": "a",   "time": 1682545570400}';

    const { documents } = await runMap(['--preserve-original-event'], `  ${text}  \r\n`);

    expect(documents[0]?.event.original).toBe(text);
  });

  it('skips blank lines and reads CRLF line ends', async () => {
    const { documents } = await runMap([], `\r\n${line({ incident_uid: 'a' })}\r\n\r\n   \r\n${line({ incident_uid: 'b' })}`);

    expect(documents.map((document) => document.event.id)).toEqual(['a', 'b']);
  });

  it('reads a pretty-printed API response whole', async () => {
    const { code, documents } = await runMap([], fixtureText('xsoar_SymantecICDM_icdm_incidents_without_events.json'));

    expect(code).toBe(0);
    expect(documents.map((document) => document.event.id)).toEqual([
      'afb07d00-89dd-4813-8e1e-3ed5fa83444d',
      '8e7edfb1-27d2-4837-98ca-e7d794119c3b',
      '1367a695-237e-48c2-8fd8-b9ae9345fbfe',
    ]);
    expect(documents.map((document) => document.event.kind)).toEqual(['alert', 'alert', 'alert']);
  });

  it('reads a pretty-printed JSON array whole', async () => {
    const incidents = JSON.parse(fixtureText('xsoar_SymantecICDM_icdm_incidents_with_events.json')).incidents as { incident_uid: string }[];

    const { documents } = await runMap(['--preserve-original-event'], JSON.stringify(incidents, null, 2));

    expect(documents.map((document) => document.event.id)).toEqual(incidents.map((incident) => incident.incident_uid));
    expect(documents[0]?.event.original).toBe(JSON.stringify(incidents[0]));
  });

  it('reads a pretty-printed single incident whole', async () => {
    const { documents } = await runMap([], fixtureText('sumologic_ses_app_sample_event_log.json'));

    expect(documents).toHaveLength(1);
    expect(documents[0]?.related.ip).toEqual(['172.28.53.29']);
  });

  it('reads every incident of API responses written one per line', async () => {
    const input = [fixtureText('elastic_ses_mock_incidents_page1_next0.json'), fixtureText('elastic_ses_mock_incidents_page2_next1.json')]
      .map((text) => text.trim())
      .join('\n');

    const { documents } = await runMap([], input);

    expect(documents.map((document) => document.event.id)).toEqual([
      '8e7edfb1-27d2-4837-98ca-e7d794119c3b',
      '1e7edfb1-27d2-4837-98ca-e7d794119c3b',
    ]);
  });

  it('gives a line that is not JSON its error document, in its place, and exits 0', async () => {
    const input = [line({ incident_uid: 'a' }), 'this is not json', line({ incident_uid: 'c' })].join('\n');

    const { code, documents } = await runMap(['--namespace', 'lab'], input);

    expect(code).toBe(0);
    expect(documents).toHaveLength(3);
    expect(documents[1]).toMatchObject({
      event: { kind: 'pipeline_error', original: 'this is not json', module: 'symantec_edr_cloud', dataset: 'symantec_edr_cloud.incident' },
      data_stream: { namespace: 'lab' },
      tags: ['preserve_original_event', 'forwarded', 'symantec_edr_cloud-incident'],
    });
    expect(documents[1]?.error.message).toEqual([expect.stringMatching(/^input line 2: cannot read it as JSON: /)]);
    expect(documents.map((document) => document.event.id)).toEqual(['a', undefined, 'c']);
  });

  it('maps the lines of a broken multi-line document one by one', async () => {
    const { code, documents } = await runMap([], '{\n  "incident_uid": "a",\n{"incident_uid": "b"}\n');

    expect(code).toBe(0);
    expect(documents.map((document) => [document.event.kind, document.event.original ?? document.event.id])).toEqual([
      ['pipeline_error', '{'],
      ['pipeline_error', '"incident_uid": "a",'],
      ['alert', 'b'],
    ]);
    expect(documents[1]?.error.message[0]).toMatch(/^input line 2: /);
  });

  it('writes nothing for empty input', async () => {
    expect(await runMap([], '')).toMatchObject({ code: 0, stdout: '' });
  });

  it('writes documents before the input ends', async () => {
    const stdin = new PassThrough();
    const stdout = collector();
    const firstDocument = once(stdout.stream, 'data');
    const running = runMapCommand([], { stdin, stdout: stdout.stream, stderr: new PassThrough(), env: {} });

    stdin.write(`${line({ incident_uid: 'first' })}\n`);
    const [chunk] = (await firstDocument) as [Buffer];
    stdin.end(`${line({ incident_uid: 'second' })}\n`);

    expect(JSON.parse(chunk.toString('utf8')).event.id).toBe('first');
    expect(await running).toBe(0);
    expect(stdout.text().trimEnd().split('\n')).toHaveLength(2);
  });

  it('waits for a slow reader without losing or reordering documents', async () => {
    const count = 3000;
    const input = Array.from({ length: count }, (_, i) => line({ incident_uid: `u${i}` })).join('\n');
    const received: string[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString('utf8'));
        setImmediate(done);
      },
    });

    const code = await runMapCommand([], { stdin: Readable.from([input]), stdout: slow, stderr: new PassThrough(), env: {} });

    const ids = received
      .join('')
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text).event.id as string);
    expect(code).toBe(0);
    expect(ids).toEqual(Array.from({ length: count }, (_, i) => `u${i}`));
  });

  it('exits 1 with a message when standard input fails', async () => {
    const stdin = new Readable({
      read() {
        this.push(`${line({ incident_uid: 'a' })}\n`);
        this.destroy(new Error('EIO: i/o error, read'));
      },
    });

    const { code, stderr } = await runMap([], stdin);

    expect(code).toBe(1);
    expect(stderr).toContain('cannot read standard input: EIO: i/o error, read');
  });

  it('stops quietly when the reader of standard output goes away', async () => {
    const closed = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const stderr = collector();

    const code = await runMapCommand([], {
      stdin: Readable.from([`${line({ incident_uid: 'a' })}\n`]),
      stdout: closed,
      stderr: stderr.stream,
      env: {},
    });

    expect(code).toBe(0);
    expect(stderr.text()).toBe('');
  });

  it('exits 1 with a message when standard output fails otherwise', async () => {
    const full = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      },
    });
    const stderr = collector();

    const code = await runMapCommand([], {
      stdin: Readable.from([`${line({ incident_uid: 'a' })}\n`]),
      stdout: full,
      stderr: stderr.stream,
      env: {},
    });

    expect(code).toBe(1);
    expect(stderr.text()).toContain('cannot write standard output: ENOSPC');
  });
});

describe('symantec-edr map options', () => {
  it('maps with defaults: no original, no duplicates, the default tags and namespace', async () => {
    const { documents } = await runMap([], goldenLine);

    expect(documents[0]).toMatchObject({
      tags: ['forwarded', 'symantec_edr_cloud-incident'],
      data_stream: { namespace: 'default' },
      event: { kind: 'alert' },
    });
    expect(documents[0]?.event).not.toHaveProperty('original');
    expect(documents[0]?.symantec_edr_cloud.incident).not.toHaveProperty('conclusion');
  });

  it('applies every mapping flag', async () => {
    const { documents } = await runMap(
      ['--preserve-original-event', '--preserve-duplicate-custom-fields', '--tags', 'a, b,,c', '--namespace', 'prod_eu'],
      goldenLine,
    );

    expect(documents[0]).toMatchObject({
      tags: ['preserve_original_event', 'preserve_duplicate_custom_fields', 'a', 'b', 'c'],
      data_stream: { namespace: 'prod_eu' },
      event: { original: goldenLine },
      symantec_edr_cloud: { incident: { conclusion: 'Suspicious Activity' } },
    });
  });

  it('writes no tags for --tags ""', async () => {
    const { documents } = await runMap(['--tags', ''], goldenLine);

    expect(documents[0]).not.toHaveProperty('tags');
  });

  it('writes each incident as received with --format raw', async () => {
    const spaced = '{"incident_uid": "a",   "time": 1}';
    const input = [spaced, '[{"incident_uid": "b"}, 7]', 'not json'].join('\n');

    const { stdout, documents } = await runMap(['--format', 'raw'], input);

    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([spaced, '{"incident_uid":"b"}', '7']);
    expect(documents[3]).toMatchObject({ event: { kind: 'pipeline_error', original: 'not json' } });
  });

  it('writes the symantec_endpoint_security document with --format ses, with its default tags', async () => {
    const { code, documents } = await runMap(['--format', 'ses', '--preserve-duplicate-custom-fields'], goldenLine);

    expect(code).toBe(0);
    expect(documents[0]).toMatchObject({
      tags: ['preserve_duplicate_custom_fields', 'forwarded', 'ses-incident'],
      data_stream: { dataset: 'symantec_endpoint_security.incident' },
      event: { kind: 'alert', module: 'symantec_endpoint_security', dataset: 'symantec_endpoint_security.incident' },
      ses: { incident: { conclusion: 'Suspicious Activity', severity: 'Major' } },
    });
    expect(documents[0]).not.toHaveProperty('symantec_edr_cloud');
  });

  it('writes an OCSF Incident Finding with --format ocsf, and one for a line that is not JSON', async () => {
    const { code, documents } = await runMap(['--format', 'ocsf', '--preserve-original-event'], `${goldenLine}\nnot json\n`);

    expect(code).toBe(0);
    expect(documents[0]).toMatchObject({
      class_uid: 2005,
      activity_id: 1,
      time: 1682545570400,
      finding_info_list: [{ uid: '8e7edfb1-27d2-4837-98ca-e7d794119c3b' }],
      raw_data: goldenLine,
    });
    expect(documents[1]).toMatchObject({
      class_uid: 2005,
      activity_id: 0,
      raw_data: 'not json',
      unmapped: { error: [expect.stringMatching(/^input line 2: cannot read it as JSON/)] },
    });
    expect(documents[1]).not.toHaveProperty('event');
  });

  it.each([['--help'], ['-h']])('explains every flag with %s', async (flag) => {
    const { code, stdout, stderr } = await runMap([flag], '');

    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const text of [
      '--preserve-original-event',
      '--preserve-duplicate-custom-fields',
      '--tags',
      '--namespace',
      '--format ecs|ses|ocsf|raw',
      'NDJSON',
      '{"incidents": [...]}',
      'pipeline_error',
      'Exit status',
    ]) {
      expect(stdout).toContain(text);
    }
  });

  it.each([
    [['--bogus'], 'symantec-edr map: unknown option --bogus\n'],
    [['--format', 'csv'], '--format must be one of ecs, ses, ocsf, raw, not "csv"'],
    [['--namespace', 'Prod-EU'], '--namespace: namespace "Prod-EU" must be 1 to 100 lower case letters'],
    [['--tags'], 'option --tags needs a value'],
    [['incidents.ndjson'], 'unexpected argument "incidents.ndjson"'],
  ])('refuses %j with exit status 2', async (argv, message) => {
    const { code, stdout, stderr } = await runMap(argv, goldenLine);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('symantec-edr map --help');
  });
});

describe('symantec-edr map on a terminal', () => {
  it('says on standard error that it reads standard input when that is a terminal', async () => {
    const stdin = Object.assign(Readable.from([goldenLine]), { isTTY: true });

    const { code, stderr, documents } = await runMap([], stdin);

    expect(code).toBe(0);
    expect(stderr).toBe('symantec-edr map: reading incidents from standard input (Ctrl-D to end; --help for more)\n');
    expect(documents).toHaveLength(1);
  });

  it('says nothing when the input is piped', async () => {
    const { stderr } = await runMap([], goldenLine);

    expect(stderr).toBe('');
  });
});

describe('the symantec-edr bin', () => {
  it('maps a fixture from standard input with `node bin/symantec-edr.mjs map`', async () => {
    const child = spawn(process.execPath, ['bin/symantec-edr.mjs', 'map', '--preserve-original-event'], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout = collector();
    const stderr = collector();
    child.stdout.pipe(stdout.stream);
    child.stderr.pipe(stderr.stream);
    createReadStream(fixtureUrl('elastic_edr_cloud_pipeline_test_input.ndjson')).pipe(child.stdin);

    const [code] = (await once(child, 'close')) as [number];

    expect(stderr.text()).toBe('');
    expect(code).toBe(0);
    const documents = stdout
      .text()
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, any>);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      '@timestamp': '2023-04-26T21:46:10.400Z',
      event: { kind: 'alert', original: goldenLine, id: '8e7edfb1-27d2-4837-98ca-e7d794119c3b' },
    });
  });
});
