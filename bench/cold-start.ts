/**
 * Target 4: what a cold start costs. The deployed bundle's size, and the time to `require` it in a fresh
 * process against the time to `require` a bundle of just the three SDK clients (one of each created),
 * both built with the stack's esbuild settings and loaded as Lambda loads them (the stack sets no
 * NODE_OPTIONS). The processes alternate, so a busy moment on the machine falls on both; each figure is a
 * median.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import type { BenchBundles, Bundle } from './bundles.js';
import { formatBytes, median, ratioFigure, type BenchResult } from './report.js';

export interface ColdStartOptions {
  /** Fresh processes per bundle. */
  readonly samples: number;
}

export const COLD_START_FULL: ColdStartOptions = { samples: 21 };
export const COLD_START_QUICK: ColdStartOptions = { samples: 2 };

/** What the function's source maps would cost if Node read them at load, as it did before functions/stack-traces.ts. */
const NODE_SOURCE_MAPS = ['--enable-source-maps'];

// Prints the time `require` took; exits at once so that nothing the module started (the secret prefetch)
// runs on. The time is taken inside the process: process start-up is the same for both bundles. It is the
// last line of the output: the handler logs its "starting" line to stdout as it loads.
const TIMER = `
const started = process.hrtime.bigint();
require(process.argv[1]);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write('\\n' + String(ms));
process.exit(0);
`;

/** A configuration that loads, so the handler does at import what it does in Lambda; no endpoint answers. */
const FUNCTION_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  SYMANTEC_SECRET_ID: 'bench-secret',
  CHECKPOINT_TABLE: 'bench-table',
  DELIVERY_STREAM: 'bench-stream',
  // Port 9 (discard) on loopback: the secret prefetch fails fast and locally instead of reaching AWS.
  AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_FIREHOSE: 'http://127.0.0.1:9',
};

function timeRequire(file: string, nodeOptions: readonly string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, '-e', TIMER, file], {
      env: { PATH: process.env.PATH ?? '', ...FUNCTION_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.split('\n').at(-1) ?? '';
      const ms = Number(last);
      if (code === 0 && Number.isFinite(ms) && last !== '') resolve(ms);
      else reject(new Error(`requiring ${file} failed (exit ${code}): ${err.slice(0, 500)}`));
    });
  });
}

/** The size the bundle adds to the deployment package, roughly: both files deflated as a zip would. */
async function zippedBytes(bundle: Bundle): Promise<number> {
  const [js, map] = await Promise.all([readFile(bundle.file), readFile(`${bundle.file}.map`)]);
  return deflateRawSync(js).length + deflateRawSync(map).length;
}

export async function runColdStartBench(bundles: BenchBundles, options: ColdStartOptions): Promise<BenchResult> {
  const handler: number[] = [];
  const sdk: number[] = [];
  // One of each first, not counted: it warms the file cache for both.
  await timeRequire(bundles.handler.file);
  await timeRequire(bundles.sdkOnly.file);
  for (let i = 0; i < options.samples; i++) {
    const handlerFirst = i % 2 === 0;
    if (handlerFirst) handler.push(await timeRequire(bundles.handler.file));
    sdk.push(await timeRequire(bundles.sdkOnly.file));
    if (!handlerFirst) handler.push(await timeRequire(bundles.handler.file));
  }
  // The handler again with Node reading its source map at load (fewer samples, no target).
  const nodeMapped: number[] = [];
  for (let i = 0; i < Math.ceil(options.samples / 3); i++) {
    nodeMapped.push(await timeRequire(bundles.handler.file, NODE_SOURCE_MAPS));
  }
  const handlerMs = median(handler);
  const sdkMs = median(sdk);
  const zipped = await zippedBytes(bundles.handler);
  return {
    name: 'Cold start (4)',
    figures: [
      {
        id: 'coldStart.bundleBytes',
        label: 'deployed bundle (index.js)',
        value: bundles.handler.bytes,
        text: formatBytes(bundles.handler.bytes),
        detail: `+ source map ${formatBytes(bundles.handler.mapBytes)}; about ${formatBytes(zipped)} zipped. SDK clients alone: ${formatBytes(bundles.sdkOnly.bytes)}`,
      },
      ratioFigure(
        'coldStart.ratio',
        'require time, handler bundle / three bare SDK clients',
        handlerMs / sdkMs,
        { op: '<=', limit: 1.3 },
        `median ${handlerMs.toFixed(1)} ms vs ${sdkMs.toFixed(1)} ms over ${options.samples} fresh processes each, Node ${process.version}`,
      ),
      ratioFigure(
        'coldStart.nodeSourceMaps',
        'the same handler with --enable-source-maps / without (no target)',
        median(nodeMapped) / handlerMs,
        undefined,
        `median ${median(nodeMapped).toFixed(1)} ms over ${nodeMapped.length} fresh processes: Node reads the map at load`,
      ),
    ],
  };
}
