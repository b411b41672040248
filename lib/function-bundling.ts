/**
 * How the function is bundled for Lambda: the `bundling` of its `NodejsFunction`. The benchmarks build the
 * same bundle from these options (bench/bundles.ts), so what they time is what the stack deploys.
 */
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { readPackageInfo } from '../functions/package-info.js';

const PACKAGE_VERSION = readPackageInfo().version;

export const FUNCTION_BUNDLING = {
  format: nodejs.OutputFormat.CJS,
  target: 'node22',
  minify: true,
  // The map lies next to the bundle; the handler reads it when it first formats a stack trace
  // (functions/stack-traces.ts), not at every cold start as NODE_OPTIONS=--enable-source-maps would.
  sourceMap: true,
  // Stack traces need the mappings, not the sources; leaving them out shrinks the asset.
  sourcesContent: false,
  // Bundle the AWS SDK too: the version pinned by package-lock.json is the one the tests ran.
  externalModules: [],
  // The packages' ESM builds tree-shake better: measured on the SDK clients, Powertools and middy,
  // 719 KB of bundle with the default fields, 480 KB with these.
  mainFields: ['module', 'main'],
  // The version the function logs (functions/version.ts), fixed in the bundle.
  define: { __PACKAGE_VERSION__: JSON.stringify(PACKAGE_VERSION) },
  // functions/version.ts reads package.json through import.meta only when that constant is missing, which
  // in the bundle it never is; esbuild would still warn that CJS has no import.meta.
  esbuildArgs: { '--log-override:empty-import-meta': 'silent' },
} as const satisfies nodejs.BundlingOptions;

/** The function's entry points, in functions/, and where the package keeps each one's prebuilt bundle (under dist/function/). */
export const FUNCTION_ENTRIES = {
  firehose: { source: 'handler.ts', bundleDir: 'firehose' },
  securityLake: { source: 'security-lake-handler.ts', bundleDir: 'security-lake' },
} as const;
