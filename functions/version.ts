/**
 * The package's version, which the function logs at cold start and in every run summary, so a log line
 * tells which code wrote it. The bundle gets it as a constant (esbuild `define`, lib/function-bundling.ts);
 * unbundled runs (tests, the CLI under tsx) read package.json instead.
 */
import { readFileSync } from 'node:fs';

declare const __PACKAGE_VERSION__: string | undefined;

export const VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : readPackageVersion();

function readPackageVersion(): string {
  // Only ever runs as ESM source: in the bundle the line above has already settled the version.
  const file = new URL('../package.json', import.meta.url);
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`No "version" string in ${file.pathname}`);
  return version;
}
