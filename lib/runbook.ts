/**
 * Where each alarm's description points: the operations guide, at the heading of that alarm. The
 * deployment may name its own copy (`runbookUrl` in cdk.json); by default it is the guide in the
 * repository package.json names, so a fork that changes `repository` changes the links with it.
 */
import { readPackageInfo } from '../functions/package-info.js';

const OPERATIONS_GUIDE = 'docs/operations.md';

/** The operations guide on the default branch of the repository in package.json. */
export const DEFAULT_RUNBOOK_URL = operationsGuideOf(readRepositoryUrl());

/** `https://github.com/o/r/blob/main/docs/operations.md` from package.json's `git+https://github.com/o/r.git`. */
export function operationsGuideOf(repositoryUrl: string): string {
  const match = /^(?:git\+)?(https:\/\/github\.com\/[^/]+\/[^/]+?)(?:\.git)?$/.exec(repositoryUrl);
  if (!match)
    throw new Error(
      `package.json "repository.url" must be a GitHub https URL to derive the runbook link; got ${JSON.stringify(repositoryUrl)}`,
    );
  return `${match[1]}/blob/main/${OPERATIONS_GUIDE}`;
}

/** The link to one heading of the guide. */
export function runbookLink(runbookUrl: string, anchor: string): string {
  return `${runbookUrl.replace(/#.*$/, '')}#${anchor}`;
}

function readRepositoryUrl(): string {
  const url = readPackageInfo().repository?.url;
  if (typeof url !== 'string') throw new Error('package.json has no "repository.url" to derive the runbook link from');
  return url;
}
