import { describe, expect, it } from 'vitest';
import { listRepositoryFiles, readRepositoryFile } from './markdown.js';

// Built from pieces so that this file does not cite what it looks for.
const CITATION = new RegExp(['\\.\\./shared', 'DESIGN\\.md', 'spec/(ecs-mapping|symantec-api|ocsf-mapping)\\.md'].join('|'));

describe('citations of the team notes', () => {
  it('appear in no file of the repository: each rule is stated where it applies', () => {
    // Prepare: every file but the changelog (history) and the third-party test fixtures.
    const files = listRepositoryFiles().filter((path) => path !== 'CHANGELOG.md' && !path.startsWith('test/fixtures/'));
    // Act
    const citing = files.flatMap((path) =>
      readRepositoryFile(path)
        .split('\n')
        .flatMap((line, index) => (CITATION.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [])),
    );
    // Assess
    expect(citing).toEqual([]);
  });
});
