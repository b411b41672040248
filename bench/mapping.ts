/**
 * Target 1: how fast whole API pages are mapped and serialised (parse the page, map each incident to an
 * ECS document, JSON.stringify it), against the least any pipeline must do with the same pages (parse the
 * page, JSON.stringify each incident): the same parser and serialiser on both sides. Both run over the
 * same page texts, interleaved round by round so that a noisy neighbour slows both; the figure is the
 * median of the per-round ratios. What a run adds per page on top (the record's UTF-8 bytes for Firehose,
 * the version fingerprint for the seen-set) is reported beside, without a target, and so are the other
 * output formats: `ses` (the same mapper, other names) and `ocsf` (the OCSF finding).
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../functions/config.js';
import { encodeRecord, type EncodedRecord } from '../functions/delivery/record-encoding.js';
import { toEcsDocument } from '../functions/ecs/map-incident.js';
import { encodeIncidents, versionFingerprint } from '../functions/ingest/page-records.js';
import { resolveMappingOptions } from '../functions/ecs/mapping-options.js';
import type { OutputFormat } from '../functions/output-format.js';
import { mappingOptionsFor, recordMaker } from '../functions/output-records.js';
import type { RunSettings } from '../functions/ingest/ports.js';
import { createIncidentGenerator } from '../local/incident-generator.js';
import { median, ratioFigure, type BenchResult } from './report.js';

export interface MappingOptions {
  /** Pages per round. */
  readonly pages: number;
  /** Incidents per page; the API's maximum and the function's default is 2000. */
  readonly pageSize: number;
  readonly rounds: number;
}

export const MAPPING_FULL: MappingOptions = { pages: 5, pageSize: 2000, rounds: 15 };
export const MAPPING_QUICK: MappingOptions = { pages: 1, pageSize: 200, rounds: 3 };

const DAY_MS = 86_400_000;

/** Page bodies as the API sends them with the default `include_events: false`. */
export function makePageTexts(pages: number, pageSize: number, seed = 7): string[] {
  const generator = createIncidentGenerator({ seed });
  const startMs = Date.UTC(2025, 0, 1);
  const texts: string[] = [];
  for (let page = 0; page < pages; page++) {
    const incidents = Array.from({ length: pageSize }, (_, i) => {
      const { events: _events, ...served } = generator.create(startMs + ((page * pageSize + i) * DAY_MS) / (pages * pageSize));
      return served;
    });
    texts.push(JSON.stringify({ total: pages * pageSize, next: (page + 1) * pageSize, incidents }));
  }
  return texts;
}

/** The function's own settings with `overrides` applied: the defaults come from config.ts, not from here. */
export function runSettings(overrides: Record<string, string> = {}): RunSettings {
  return loadConfig({ SYMANTEC_SECRET_ID: 'bench', CHECKPOINT_TABLE: 'bench', DELIVERY_STREAM: 'bench', ...overrides });
}

/** The floor: parse each page, serialise each incident. Returns bytes produced, so nothing is optimised away. */
function parseAndStringify(texts: readonly string[]): number {
  let bytes = 0;
  for (const text of texts) {
    const page = JSON.parse(text) as { incidents: unknown[] };
    for (const incident of page.incidents) bytes += JSON.stringify(incident).length;
  }
  return bytes;
}

type PageWork = (texts: readonly string[], settings: RunSettings, nowMs: number) => number;

/** Parse, map to ECS, serialise to JSON. */
const parseMapSerialise: PageWork = (texts, settings, nowMs) => {
  const options = resolveMappingOptions(settings);
  let bytes = 0;
  for (const text of texts) {
    const page = JSON.parse(text) as { incidents: unknown[] };
    for (const incident of page.incidents) bytes += JSON.stringify(toEcsDocument(incident, options, { now: nowMs })).length;
  }
  return bytes;
};

/** Parse, make `format`'s document, serialise to JSON: the figure of the other output formats. */
const parseMapSerialiseAs =
  (format: OutputFormat): PageWork =>
  (texts, settings, nowMs) => {
    const make = recordMaker(format, mappingOptionsFor(format, settings));
    const context = { now: nowMs };
    let bytes = 0;
    for (const text of texts) {
      const page = JSON.parse(text) as { incidents: unknown[] };
      for (const incident of page.incidents) bytes += JSON.stringify(make(incident, context)).length;
    }
    return bytes;
  };

/** The same, down to the record's bytes: newline-terminated UTF-8, as Firehose gets it. */
const parseMapEncode: PageWork = (texts, settings, nowMs) => {
  const options = resolveMappingOptions(settings);
  let bytes = 0;
  for (const text of texts) {
    const page = JSON.parse(text) as { incidents: unknown[] };
    for (const incident of page.incidents) bytes += encodeRecord(toEcsDocument(incident, options, { now: nowMs })).data.length;
  }
  return bytes;
};

/** All a run does with a page before delivery: the above, plus the version fingerprint for the seen-set. */
const parsePageRecords: PageWork = (texts, settings, nowMs) => {
  let bytes = 0;
  for (const text of texts) {
    const page = JSON.parse(text) as { incidents: unknown[] };
    const records = encodeIncidents(page.incidents, settings, nowMs);
    for (let index = 0; index < records.length; index++)
      bytes += (records[index] as EncodedRecord).data.length + versionFingerprint(page.incidents[index]).length;
  }
  return bytes;
};

function timeMs(work: () => number): number {
  const started = performance.now();
  const bytes = work();
  const elapsed = performance.now() - started;
  if (bytes <= 0) throw new Error('the benchmark produced nothing');
  return elapsed;
}

/** Median ratio of (baseline time / mapping time) over interleaved rounds, after one warm-up round. */
export function measureMappingRatio(
  texts: readonly string[],
  settings: RunSettings,
  rounds: number,
  work: PageWork = parseMapSerialise,
): { ratio: number; docsPerSecond: number; baselineDocsPerSecond: number } {
  const nowMs = Date.now();
  const docs = texts.length * (JSON.parse(texts[0] as string) as { incidents: unknown[] }).incidents.length;
  parseAndStringify(texts);
  work(texts, settings, nowMs);
  const ratios: number[] = [];
  const ours: number[] = [];
  const floor: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first: a collection triggered by one side must not always land on the other.
    const first = round % 2 === 0;
    const a = first ? timeMs(() => parseAndStringify(texts)) : 0;
    const b = timeMs(() => work(texts, settings, nowMs));
    const baseline = first ? a : timeMs(() => parseAndStringify(texts));
    ratios.push(baseline / b);
    ours.push(b);
    floor.push(baseline);
  }
  return { ratio: median(ratios), docsPerSecond: (docs * 1000) / median(ours), baselineDocsPerSecond: (docs * 1000) / median(floor) };
}

export function runMappingBench(options: MappingOptions): BenchResult {
  const texts = makePageTexts(options.pages, options.pageSize);
  const byDefault = measureMappingRatio(texts, runSettings(), options.rounds);
  const withOriginal = measureMappingRatio(texts, runSettings({ PRESERVE_ORIGINAL_EVENT: 'true' }), options.rounds);
  const asRecords = measureMappingRatio(texts, runSettings(), options.rounds, parseMapEncode);
  const withFingerprint = measureMappingRatio(texts, runSettings(), options.rounds, parsePageRecords);
  const ses = measureMappingRatio(texts, runSettings({ OUTPUT_FORMAT: 'ses' }), options.rounds, parseMapSerialiseAs('ses'));
  const ocsf = measureMappingRatio(texts, runSettings({ OUTPUT_FORMAT: 'ocsf' }), options.rounds, parseMapSerialiseAs('ocsf'));
  const docs = `${options.pages} pages x ${options.pageSize} incidents, median of ${options.rounds} rounds`;
  return {
    name: 'Mapping (1)',
    figures: [
      ratioFigure(
        'mapping.ratio',
        'parse+map+serialise / parse+stringify, default options',
        byDefault.ratio,
        { op: '>=', limit: 0.5 },
        `${Math.round(byDefault.docsPerSecond).toLocaleString('en-US')} docs/s vs ${Math.round(byDefault.baselineDocsPerSecond).toLocaleString('en-US')} docs/s (${docs})`,
      ),
      ratioFigure(
        'mapping.ratioAsRecords',
        'same, serialised to the record bytes Firehose gets (no target)',
        asRecords.ratio,
        undefined,
        `${Math.round(asRecords.docsPerSecond).toLocaleString('en-US')} docs/s`,
      ),
      ratioFigure(
        'mapping.ratioWithFingerprint',
        'same, plus the version fingerprint: all a run does per page (no target)',
        withFingerprint.ratio,
        undefined,
        `${Math.round(withFingerprint.docsPerSecond).toLocaleString('en-US')} docs/s`,
      ),
      ratioFigure(
        'mapping.ratioPreserveOriginal',
        'same, PRESERVE_ORIGINAL_EVENT=true (no target)',
        withOriginal.ratio,
        undefined,
        `${Math.round(withOriginal.docsPerSecond).toLocaleString('en-US')} docs/s`,
      ),
      ratioFigure(
        'mapping.ratioSes',
        'OUTPUT_FORMAT=ses: parse+map+serialise / parse+stringify (no target)',
        ses.ratio,
        undefined,
        `${Math.round(ses.docsPerSecond).toLocaleString('en-US')} docs/s`,
      ),
      ratioFigure(
        'mapping.ratioOcsf',
        'OUTPUT_FORMAT=ocsf: parse+map+serialise / parse+stringify (no target)',
        ocsf.ratio,
        undefined,
        `${Math.round(ocsf.docsPerSecond).toLocaleString('en-US')} docs/s`,
      ),
    ],
  };
}
