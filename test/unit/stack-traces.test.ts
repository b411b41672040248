/**
 * functions/stack-traces.ts on a real bundle: test/fixtures/stack-traces/ built by esbuild with the
 * stack's bundling options (minified, source map without sources), run in fresh Node processes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLING } from '../../tools/function-bundle.js';

const ENTRY = fileURLToPath(new URL('../fixtures/stack-traces/entry.ts', import.meta.url));

interface Seen {
  installed: boolean;
  readsBeforeAnyStack: number;
  reads: number;
  bundle: string;
  sync: string;
  again: string;
  asynchronous: string;
  dependency: string;
}

let dir: string;
let withMap: string;
let withoutMap: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-traces-'));
  withMap = join(dir, 'mapped', 'index.js');
  withoutMap = join(dir, 'bare', 'index.js');
  await build({ ...LAMBDA_BUNDLING, entryPoints: [ENTRY], outfile: withMap });
  await build({ ...LAMBDA_BUNDLING, sourcemap: false, entryPoints: [ENTRY], outfile: withoutMap });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function runBundle(file: string, options: { map?: string; nodeOptions?: string[] } = {}): Seen {
  const result = spawnSync(process.execPath, [...(options.nodeOptions ?? []), file], {
    env: { PATH: process.env.PATH ?? '', ...(options.map ? { STACK_MAP: options.map } : {}) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Seen;
}

const framesOf = (stack: string) =>
  stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * A frame of a fixture: `at <name> (<path>:<line>:<column>)`, or without the parentheses when the frame
 * has no name. The path is the repository's: the directory all the bundle's sources share (here the
 * way from a temporary directory to the repository) is left out.
 */
function frameAt(name: string, location: string): RegExp {
  const path = `test/fixtures/stack-traces/${escaped(location)}`;
  return new RegExp(name === '' ? `^at ${path}$` : `^at ${name} \\(${path}\\)$`);
}

describe('mapStackTraces', () => {
  it('names the source file, line, column and function of each frame in the bundle', () => {
    const seen = runBundle(withMap);

    expect(seen.installed).toBe(true);
    const frames = framesOf(seen.sync);
    expect(seen.sync.split('\n')[0]).toBe('TypeError: not a number: x');
    expect(frames[0]).toMatch(frameAt('checkNumber', 'parser.ts:11:34'));
    // The class keeps its minified name; the method's name survives minification.
    expect(frames[1]).toMatch(frameAt('\\w+\\.parse', 'parser.ts:5:12'));
    // An arrow function is named after the parameter its caller called it through, as Node names it.
    expect(frames[2]).toMatch(frameAt('work', 'entry.ts:33:43'));
    expect(frames[4]).toMatch(frameAt('main', 'entry.ts:33:16'));
    // The bundle's top-level code has no name.
    expect(frames[5]).toMatch(frameAt('', 'entry.ts:43:6'));
    expect(frames.join('\n')).not.toContain('index.js');
    // Frames outside the bundle read as V8 writes them.
    expect(frames.at(-1)).toMatch(/^at .*node:internal\//);
  });

  it("names a dependency's frames from the project's root too", () => {
    const frames = framesOf(runBundle(withMap).dependency);

    // valibot throws from its own code: its frame reads node_modules/..., then come the fixture's.
    expect(frames[0]).toMatch(/^at parse \(node_modules\/valibot\/[^()]+:\d+:\d+\)$/);
    expect(frames[1]).toMatch(frameAt('work', 'entry.ts:39:38'));
  });

  it('maps the frames of an error thrown after an await, marked async', () => {
    const frames = framesOf(runBundle(withMap).asynchronous);

    expect(frames[0]).toMatch(frameAt('checkNumber', 'parser.ts:11:34'));
    expect(frames[2]).toMatch(frameAt('\\w+', 'parser.ts:17:23'));
    expect(frames[3]).toMatch(frameAt('async \\w+', 'entry.ts:35:24'));
  });

  it('reads the map when the first stack is formatted, and only once', () => {
    const seen = runBundle(withMap, { map: 'counted' });

    expect(seen.readsBeforeAnyStack).toBe(0);
    expect(seen.reads).toBe(1);
    expect(framesOf(seen.again)[0]).toMatch(frameAt('checkNumber', 'parser.ts:11:34'));
  });

  it('leaves the frames as V8 writes them when the map cannot be parsed', () => {
    const seen = runBundle(withMap, { map: 'broken' });

    expect(seen.installed).toBe(true);
    expect(seen.sync.split('\n')[0]).toBe('TypeError: not a number: x');
    expect(framesOf(seen.sync)[0]).toMatch(new RegExp(`^at \\w+ \\(${escaped(seen.bundle)}:\\d+:\\d+\\)$`));
  });

  it('changes nothing when no map lies next to the bundle', () => {
    const seen = runBundle(withoutMap);

    expect(seen.installed).toBe(false);
    expect(framesOf(seen.sync)[0]).toContain(`${seen.bundle}:`);
  });

  it('changes nothing when Node maps stacks itself (--enable-source-maps)', () => {
    const seen = runBundle(withMap, { nodeOptions: ['--enable-source-maps'] });

    expect(seen.installed).toBe(false);
    // Node writes the source's absolute path.
    expect(framesOf(seen.sync)[0]).toMatch(/^at checkNumber \(\/.*\/test\/fixtures\/stack-traces\/parser\.ts:11:34\)$/);
  });
});
