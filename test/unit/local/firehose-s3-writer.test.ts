import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createS3Writer } from '../../../local/firehose-s3-writer.js';
import { createManualClock } from '../../../local/manual-clock.js';

let outputDir: string;
beforeEach(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 's3-writer-test-'));
});
afterEach(async () => {
  await rm(outputDir, { recursive: true, force: true });
});

const line = (text: string) => Buffer.from(`${JSON.stringify({ text })}\n`);

describe('createS3Writer', () => {
  it('writes records concatenated under stream/YYYY/MM/DD/HH in the Firehose key layout', async () => {
    // prepare
    const clock = createManualClock(Date.parse('2024-05-01T07:08:09.000Z'));
    const writer = createS3Writer({ outputDir, clock });

    // act
    writer.append('incidents', [line('a'), line('b')]);
    await writer.flush();

    // assess
    expect(writer.files).toEqual([join('incidents', '2024', '05', '01', '07', 'incidents-1-2024-05-01-07-08-09.ndjson')]);
    const text = await readFile(join(outputDir, writer.files[0] ?? ''), 'utf8');
    expect(text).toBe('{"text":"a"}\n{"text":"b"}\n');
  });

  it('starts a new file when the record count is reached', async () => {
    const writer = createS3Writer({ outputDir, clock: createManualClock(0), flushRecords: 2 });
    writer.append('s', [line('1'), line('2'), line('3')]);
    await writer.flush();
    expect(writer.files).toHaveLength(2);
    expect(await readFile(join(outputDir, writer.files[1] ?? ''), 'utf8')).toBe('{"text":"3"}\n');
  });

  it('starts a new file when the byte size would be passed', async () => {
    const writer = createS3Writer({ outputDir, clock: createManualClock(0), flushBytes: 20 });
    writer.append('s', [line('one'), line('two')]);
    await writer.flush();
    expect(writer.files).toHaveLength(2);
  });

  it('writes a buffer that has waited longer than the interval at the next append', async () => {
    const clock = createManualClock(0);
    const writer = createS3Writer({ outputDir, clock, flushIntervalMs: 1_000 });
    writer.append('s', [line('early')]);
    clock.advance(1_000);
    writer.append('s', [line('late')]);
    expect(writer.files).toHaveLength(1);
    await writer.flush();
    expect(writer.files).toHaveLength(2);
  });

  it('writes nothing when nothing was appended', async () => {
    const writer = createS3Writer({ outputDir, clock: createManualClock(0) });
    await writer.flush();
    expect(writer.files).toEqual([]);
  });
});
