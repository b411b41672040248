/**
 * This package's own package.json: one directory up from this module in the sources (`functions/`), two
 * from its compiled copy in the installed package (`dist/functions/`). Read by the CLI's `--version`, the stack (the version it bundles, the runbook's repository)
 * and unbundled runs of the function.
 */
import { existsSync, readFileSync } from 'node:fs';

export const PACKAGE_NAME = 'symantec-edr-cloud-ingest';

export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly repository?: { readonly url?: string };
}

export function readPackageInfo(): PackageInfo {
  for (const up of ['../package.json', '../../package.json']) {
    const file = new URL(up, import.meta.url);
    if (!existsSync(file)) continue;
    const info = JSON.parse(readFileSync(file, 'utf8')) as PackageInfo;
    if (info.name === PACKAGE_NAME && typeof info.version === 'string') return info;
  }
  throw new Error(`Cannot find the package.json of ${PACKAGE_NAME} above ${import.meta.url}`);
}
