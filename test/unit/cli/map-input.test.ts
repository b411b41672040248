/**
 * `map` holds a bounded amount of its input: a first line that looks like the start of a document does
 * not make it hold everything after it, and an over-long line is not held whole.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runMapCommand } from '../../../functions/cli/map-command.js';
import { INPUT_LIMITS, type InputItem, readMapInput } from '../../../functions/cli/map-input.js';

const MiB = 1024 * 1024;

/** `lines` lines of `width` characters of text that is not JSON, after a first line `{`, in 64 KiB chunks. */
function notJsonAfterBrace(lines: number, width: number): Readable {
  const line = `${'x'.repeat(width - 1)}\n`;
  const perChunk = Math.floor((64 * 1024) / line.length);
  return Readable.from(
    (function* () {
      yield '{\n';
      for (let sent = 0; sent < lines; sent += perChunk) yield line.repeat(Math.min(perChunk, lines - sent));
    })(),
  );
}

async function runMap(input: Readable): Promise<{ code: number; documents: Record<string, any>[] }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await runMapCommand([], { stdin: input, stdout, stderr: new PassThrough(), env: {} });
  const text = Buffer.concat(chunks).toString('utf8');
  return {
    code,
    documents: text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>),
  };
}

describe('the map input reader', () => {
  it('holds at most its caps of 24 MB of non-JSON after a first line "{", and gives every line', async () => {
    // prepare: 24,000 lines of 1,000 characters
    const accounting = { peakHeldChars: 0 };
    const items: InputItem[] = [];
    // act
    for await (const item of readMapInput(notJsonAfterBrace(24_000, 1000), INPUT_LIMITS, accounting)) items.push(item);
    // assess
    expect(accounting.peakHeldChars).toBeGreaterThan(0);
    expect(accounting.peakHeldChars).toBeLessThanOrEqual(INPUT_LIMITS.maxHeldChars + INPUT_LIMITS.maxLineChars);
    expect(items).toHaveLength(24_001);
    expect(items.every((item) => item.kind === 'line')).toBe(true);
    expect(items[0]).toEqual({ kind: 'line', text: '{', lineNumber: 1 });
    expect(items.at(-1)).toEqual({ kind: 'line', text: 'x'.repeat(999), lineNumber: 24_001 });
  });

  it('holds a line over the cap only up to the cap, and gives its start and length', async () => {
    // prepare
    const limits = { maxLineChars: 1000, maxHeldChars: 5000, longLineHeadChars: 100 };
    const accounting = { peakHeldChars: 0 };
    const input = Readable.from(['{"a":1}\n', 'y'.repeat(700), 'y'.repeat(700), 'y'.repeat(700), '\n{"b":2}\n']);
    const items: InputItem[] = [];
    // act
    for await (const item of readMapInput(input, limits, accounting)) items.push(item);
    // assess
    expect(items).toEqual([
      { kind: 'line', text: '{"a":1}', lineNumber: 1 },
      { kind: 'long-line', head: 'y'.repeat(100), length: 2100, lineNumber: 2 },
      { kind: 'line', text: '{"b":2}', lineNumber: 3 },
    ]);
    expect(accounting.peakHeldChars).toBeLessThanOrEqual(1000);
  });

  it('still reads a pretty-printed document under the cap whole', async () => {
    // prepare
    const input = Readable.from(['{\n  "incidents": [\n', '    {"incident_uid": "a"},\n    {"incident_uid": "b"}\n  ]\n}\n']);
    const items: InputItem[] = [];
    // act
    for await (const item of readMapInput(input)) items.push(item);
    // assess
    expect(items).toEqual([{ kind: 'document', value: { incidents: [{ incident_uid: 'a' }, { incident_uid: 'b' }] } }]);
  });
});

describe('symantec-edr map with an over-long line', () => {
  it('writes an error document with the line cut and says so, then maps the next line', async () => {
    // prepare: a line of 9 MiB between two incidents
    const long = `{"incident_uid":"huge","note":"${'z'.repeat(9 * MiB)}"}`;
    const input = Readable.from([
      '{"incident_uid":"before"}\n',
      long.slice(0, 4 * MiB),
      long.slice(4 * MiB),
      '\n{"incident_uid":"after"}\n',
    ]);
    // act
    const { code, documents } = await runMap(input);
    // assess
    expect(code).toBe(0);
    expect(documents).toHaveLength(3);
    expect(documents[1]).toMatchObject({ event: { kind: 'pipeline_error' } });
    expect(documents[1]?.event.original).toBe(long.slice(0, INPUT_LIMITS.longLineHeadChars));
    expect(documents[1]?.error.message).toEqual([
      `input line 2: ${long.length} characters, over the ${INPUT_LIMITS.maxLineChars}-character cap of a line: not read; event.original holds its first ${INPUT_LIMITS.longLineHeadChars} characters`,
    ]);
    expect(documents[2]).toMatchObject({ event: { id: 'after' } });
  });

  it('maps 24 MB of non-JSON after a first line "{" line by line', async () => {
    // act
    const { code, documents } = await runMap(notJsonAfterBrace(24_000, 1000));
    // assess
    expect(code).toBe(0);
    expect(documents).toHaveLength(24_001);
    expect(documents[0]?.error.message).toEqual([expect.stringMatching(/^input line 1: cannot read it as JSON/)]);
    expect(documents[24_000]?.error.message).toEqual([expect.stringMatching(/^input line 24001: cannot read it as JSON/)]);
  });
});
