/**
 * Reading the repository's Markdown the way GitHub renders it: which files the repository holds, the
 * anchors its headings get, and the relative links it makes. Used by the documentation tests only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Files git tracks, plus new ones not ignored, so a document is checked before its first commit. */
export function listRepositoryFiles(): string[] {
  const output = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return [...new Set(output.split('\0').filter((path) => path !== '' && !path.startsWith('node_modules/')))].sort();
}

export function readRepositoryFile(path: string): string {
  return readFileSync(`${ROOT}${path}`, 'utf8');
}

/** The lines outside fenced code blocks, with inline code spans blanked: only these hold links. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      lines.push('');
      continue;
    }
    lines.push(fence === undefined ? line : '');
  }
  return lines;
}

/**
 * GitHub's anchor for a heading: the text as rendered (links reduced to their text, code without its
 * backticks), lower case, every character that is not a letter, digit, space, '-' or '_' dropped, each
 * space turned into '-'. A repeated heading gets '-1', '-2', ... in order.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLinesKeepingCode(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Headings keep their inline code (its text is part of the anchor); fenced blocks hold no heading. */
function proseLinesKeepingCode(markdown: string): string[] {
  return proseLines(markdown);
}

export interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

/** Every inline link and image target outside code, and every reference definition. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  proseLines(markdown).forEach((raw, index) => {
    const line = raw.replace(/(`+)[^`]*?\1/g, '');
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ line: index + 1, target: match[1] as string });
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(line);
    if (definition) links.push({ line: index + 1, target: definition[1] as string });
  });
  return links;
}

/** A link that leaves the repository (a scheme such as https: or mailto:) is not checked here. */
export function isRelative(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//');
}
