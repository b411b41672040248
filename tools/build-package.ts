/**
 * `npm run build` (and `prepack`): the package as a CDK app installs it. The construct library and the CLI
 * compiled to JavaScript with declarations under dist/, and the function prebuilt under dist/function/ (one bundle per entry), so
 * a host app needs neither tsx nor esbuild nor Docker to use the construct.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_ENTRIES } from '../lib/function-bundling.js';
import { REPO_ROOT, buildFunctionBundle } from './function-bundle.js';

const dist = join(REPO_ROOT, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO_ROOT, 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
for (const entry of Object.values(FUNCTION_ENTRIES)) {
  await buildFunctionBundle(join(dist, 'function', entry.bundleDir, 'index.js'), entry.source);
}
