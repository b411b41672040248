import { describe, expect, it } from 'vitest';
import { FIRST_STEPS } from '../../lib/alarm-runbook.js';
import { SAVED_QUERIES } from '../../lib/saved-queries.js';
import { readRepositoryFile } from './markdown.js';

/** The queries of a section: each fenced block with the line of prose just before it as its title. */
function queriesOfSection(markdown: string, heading: string): { title: string; text: string }[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const next = markdown.indexOf('\n## ', start + heading.length + 2);
  const section = markdown.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/([^\n]+):\n\n```\n([\s\S]*?)\n```/g)].map((match) => ({ title: match[1]!, text: match[2]! }));
}

describe('the Logs Insights queries of docs/operations.md', () => {
  it('are the queries the stack saves, each under its title, in the same order', () => {
    const documented = queriesOfSection(readRepositoryFile('docs/operations.md'), '## CloudWatch Logs Insights queries');

    expect(documented).toEqual(SAVED_QUERIES.map((q) => ({ title: q.title, text: q.query.toString() })));
  });
});

describe('the alarm headings of docs/operations.md', () => {
  it('hold one "### Alarm <key>" heading per alarm the stack links to', () => {
    const headings = readRepositoryFile('docs/operations.md').match(/^### Alarm [a-z-]+$/gm) ?? [];

    expect(headings.map((h) => h.slice('### Alarm '.length)).sort()).toEqual(Object.keys(FIRST_STEPS).sort());
  });
});
