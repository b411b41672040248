import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../functions/clock.js';

/**
 * Writes delivered records to files laid out the way Firehose writes to S3: one object per flushed buffer,
 * keyed `<stream>/YYYY/MM/DD/HH/<stream>-<n>-<YYYY-MM-DD-HH-MM-SS>.ndjson` (UTC, time of the buffer's
 * first record), records concatenated exactly as received.
 */

export interface S3WriterOptions {
  outputDir: string;
  clock: Clock;
  /** Records per file at most. @default 500 */
  flushRecords?: number;
  /** Bytes per file at most; Firehose's S3 buffer defaults to 5 MiB. @default 5 MiB */
  flushBytes?: number;
  /** A buffer older than this (on the clock) is written at the next append; Firehose defaults to 300 s. @default 300000 */
  flushIntervalMs?: number;
}

export interface S3Writer {
  append(stream: string, records: readonly Buffer[]): void;
  /** Writes every buffer, then resolves once every file is on disk. */
  flush(): Promise<void>;
  /** Paths of the files written so far, relative to the output directory. */
  readonly files: readonly string[];
}

interface StreamBuffer {
  records: Buffer[];
  bytes: number;
  startedMs: number;
  fileCount: number;
}

export function createS3Writer(options: S3WriterOptions): S3Writer {
  const flushRecords = options.flushRecords ?? 500;
  const flushBytes = options.flushBytes ?? 5 * 1024 * 1024;
  const flushIntervalMs = options.flushIntervalMs ?? 300_000;
  const buffers = new Map<string, StreamBuffer>();
  const files: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  let firstError: unknown;

  const writeOut = (stream: string, buffer: StreamBuffer) => {
    if (buffer.records.length === 0) return;
    const body = Buffer.concat(buffer.records);
    buffer.fileCount += 1;
    const stamp = new Date(buffer.startedMs).toISOString();
    const [date = '', clockTime = ''] = stamp.split('T');
    const [year, month, day] = date.split('-');
    const hour = clockTime.slice(0, 2);
    const name = `${stream}-${buffer.fileCount}-${date}-${clockTime.slice(0, 8).replaceAll(':', '-')}.ndjson`;
    const relative = join(stream, year ?? '', month ?? '', day ?? '', hour, name);
    files.push(relative);
    buffer.records = [];
    buffer.bytes = 0;
    const directory = join(options.outputDir, stream, year ?? '', month ?? '', day ?? '', hour);
    writing = writing
      .then(() => mkdir(directory, { recursive: true }))
      .then(() => writeFile(join(options.outputDir, relative), body))
      .catch((error: unknown) => {
        firstError ??= error;
      });
  };

  return {
    append(stream, records) {
      let buffer = buffers.get(stream);
      if (!buffer) {
        buffer = { records: [], bytes: 0, startedMs: options.clock.now(), fileCount: 0 };
        buffers.set(stream, buffer);
      }
      if (buffer.records.length > 0 && options.clock.now() - buffer.startedMs >= flushIntervalMs) writeOut(stream, buffer);
      for (const record of records) {
        if (buffer.records.length >= flushRecords || (buffer.records.length > 0 && buffer.bytes + record.length > flushBytes)) {
          writeOut(stream, buffer);
        }
        if (buffer.records.length === 0) buffer.startedMs = options.clock.now();
        buffer.records.push(record);
        buffer.bytes += record.length;
      }
    },
    async flush() {
      for (const [stream, buffer] of buffers) writeOut(stream, buffer);
      await writing;
      if (firstError !== undefined) throw firstError;
    },
    files,
  };
}
