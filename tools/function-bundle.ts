/**
 * The function's bundle, built with esbuild's API from the stack's own bundling options
 * (lib/function-bundling.ts): what `prepack` puts in the package, what the benchmarks time and what the
 * stack bundles at synth are the same artefact.
 */
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { FUNCTION_BUNDLING, FUNCTION_ENTRIES } from '../lib/function-bundling.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The esbuild options `NodejsFunction` derives from the stack's `bundling`; it adds bundle and platform
 * node itself.
 */
export const LAMBDA_BUNDLING: BuildOptions = Object.freeze({
  bundle: true,
  platform: 'node',
  target: FUNCTION_BUNDLING.target,
  format: FUNCTION_BUNDLING.format,
  minify: FUNCTION_BUNDLING.minify,
  sourcemap: FUNCTION_BUNDLING.sourceMap,
  sourcesContent: FUNCTION_BUNDLING.sourcesContent,
  external: [...FUNCTION_BUNDLING.externalModules],
  mainFields: [...FUNCTION_BUNDLING.mainFields],
  define: { ...FUNCTION_BUNDLING.define },
  logOverride: { 'empty-import-meta': 'silent' as const },
  logLevel: 'error',
});

/** Bundles an entry of functions/ (the handler by default) to `outfile`, with its map beside it, as Lambda runs it. */
export async function buildFunctionBundle(outfile: string, source: string = FUNCTION_ENTRIES.firehose.source): Promise<void> {
  await build({ ...LAMBDA_BUNDLING, entryPoints: [fileURLToPath(new URL(`../functions/${source}`, import.meta.url))], outfile });
}
