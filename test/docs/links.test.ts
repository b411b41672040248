import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, headingAnchors, isRelative, listRepositoryFiles, markdownLinks, readRepositoryFile } from './markdown.js';

const documents = listRepositoryFiles().filter((path) => path.endsWith('.md') && !path.startsWith('test/fixtures/'));

function brokenLinks(path: string): string[] {
  const problems: string[] = [];
  for (const { line, target } of markdownLinks(readRepositoryFile(path)).filter((link) => isRelative(link.target))) {
    const [file = '', anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = file === '' ? path : normalize(join(dirname(path), decodeURIComponent(file)));
    if (resolved.startsWith('..') || !existsSync(join(ROOT, resolved))) {
      problems.push(`${path}:${line}: ${target} names a file that does not exist (${resolved})`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (!resolved.endsWith('.md') || statSync(join(ROOT, resolved)).isDirectory()) continue;
    if (!headingAnchors(readRepositoryFile(resolved)).has(decodeURIComponent(anchor))) {
      problems.push(`${path}:${line}: ${target} names no heading of ${resolved}`);
    }
  }
  return problems;
}

describe('relative links in the Markdown files', () => {
  it('covers the README, the docs folder and the project files', () => {
    // Prepare / act: the documents the test checks.
    // Assess
    expect(documents).toEqual(
      expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'SECURITY.md', 'docs/configuration.md']),
    );
  });

  it.each(documents)('%s links only to files and headings that exist', (path) => {
    // Prepare / act
    const problems = brokenLinks(path);
    // Assess
    expect(problems).toEqual([]);
  });
});

describe('GitHub heading anchors', () => {
  it('are lower case, with spaces turned into dashes and punctuation dropped', () => {
    // Prepare
    const markdown =
      "# Alarms: what they mean\n## `cdk.json`\n## Differences from Elastic's integration\n## Alarms: what they mean\n```\n# not a heading\n```\n";
    // Act
    const anchors = headingAnchors(markdown);
    // Assess
    expect([...anchors]).toEqual(['alarms-what-they-mean', 'cdkjson', 'differences-from-elastics-integration', 'alarms-what-they-mean-1']);
  });

  it('finds links outside code only', () => {
    // Prepare
    const markdown = 'See [a](docs/a.md#x) and `[b](nowhere.md)`.\n```\n[c](nowhere.md)\n```\n[d]: docs/d.md\n';
    // Act
    const targets = markdownLinks(markdown).map((link) => link.target);
    // Assess
    expect(targets).toEqual(['docs/a.md#x', 'docs/d.md']);
  });
});
