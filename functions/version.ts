/**
 * The package's version, which the function logs at cold start and in every run summary, so a log line
 * tells which code wrote it. The bundle gets it as a constant (esbuild `define`, lib/function-bundling.ts);
 * unbundled runs (tests, the CLI under tsx) read package.json instead.
 */
import { readPackageInfo } from './package-info.js';

declare const __PACKAGE_VERSION__: string | undefined;

// Only unbundled (ESM) runs read package.json: in the bundle the constant has settled the version.
export const VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : readPackageInfo().version;
