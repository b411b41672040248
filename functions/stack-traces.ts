/**
 * Stack traces of the bundled function, pointed back at the TypeScript sources through the bundle's
 * source map, which is read the first time a stack is formatted. Node's `--enable-source-maps` gives the
 * same traces but reads and parses the map, and scans the whole bundle, while the bundle loads: on every
 * cold start, for traces that only a failing run needs (docs/performance.md, "Cold start").
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

type CallSite = NodeJS.CallSite;

export interface StackTraceMapping {
  /** The bundle whose frames are mapped: the file V8 names in them. */
  readonly bundleFile: string;
  /** The source map's JSON text; `<bundleFile>.map` when absent. Called once, on the first stack formatted. */
  readonly readMap?: () => string;
}

/**
 * Formats every error's stack with the frames of `bundleFile` at their place in the sources; other frames
 * read as V8 writes them. Returns false, and changes nothing, when Node maps stacks itself
 * (`--enable-source-maps`) or when no `readMap` is given and no map lies next to the bundle (the sources
 * run unbundled, as under the tests and the CLI). A map that cannot be read or parsed when the first
 * stack is formatted leaves V8's frames as they are.
 */
export function mapStackTraces(options: StackTraceMapping): boolean {
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true) return false;
  const mapFile = `${options.bundleFile}.map`;
  if (options.readMap === undefined && !existsSync(mapFile)) return false;
  const readMap = options.readMap ?? (() => readFileSync(mapFile, 'utf8'));
  let map: Mapping | null | undefined;
  const sourceMap = (): Mapping | null => {
    if (map === undefined) {
      try {
        map = readMapping(readMap());
      } catch {
        map = null;
      }
    }
    return map;
  };
  Error.prepareStackTrace = (error: Error, callSites: CallSite[]): string => {
    const frames = callSites.map((site, index) => {
      try {
        const inBundle = site.getFileName() === options.bundleFile;
        const mapped = inBundle ? sourceMap() : null;
        return mapped ? formatMapped(mapped, site, callSites[index + 1], options.bundleFile) : String(site);
      } catch {
        return String(site);
      }
    });
    return [headerOf(error), ...frames.map((frame) => `    at ${frame}`)].join('\n');
  };
  return true;
}

/** The parsed map, and the directory all its sources share, which frames leave out of their paths. */
interface Mapping {
  readonly map: SourceMap;
  readonly sourceRoot: string;
}

function readMapping(text: string): Mapping {
  const payload = JSON.parse(text) as ConstructorParameters<typeof SourceMap>[0];
  return { map: new SourceMap(payload), sourceRoot: sharedDirectory(payload.sources) };
}

/**
 * esbuild writes each source relative to the directory the bundle was built in, so every path starts
 * with the way from there to the project (`../../../home/someone/project/`). What every source shares
 * says nothing and names the machine that built the bundle: frames leave it out and read
 * `functions/handler.ts` or `node_modules/@smithy/...`.
 */
function sharedDirectory(sources: readonly string[]): string {
  let shared = sources[0]?.slice(0, sources[0].lastIndexOf('/') + 1) ?? '';
  for (const source of sources) {
    while (shared !== '' && !source.startsWith(shared)) shared = shared.slice(0, shared.lastIndexOf('/', shared.length - 2) + 1);
  }
  return shared;
}

/** The first line V8 writes: `Name: message`. */
function headerOf(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

function formatMapped({ map, sourceRoot }: Mapping, site: CallSite, caller: CallSite | undefined, bundleFile: string): string {
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (line === null || column === null) return String(site);
  const entry = map.findEntry(line - 1, column - 1);
  if (!('originalSource' in entry)) return String(site);
  const source = entry.originalSource.startsWith(sourceRoot) ? entry.originalSource.slice(sourceRoot.length) : entry.originalSource;
  const location = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const name = originalName(map, site, caller, bundleFile) ?? site.getFunctionName();
  const typeName = site.getTypeName();
  const qualified = name === null ? null : typeName !== null && typeName !== 'global' ? `${typeName}.${name}` : name;
  const prefix = `${site.isAsync() ? 'async ' : ''}${site.isConstructor() ? 'new ' : ''}`;
  return qualified === null ? `${prefix}${location}` : `${prefix}${qualified} (${location})`;
}

/**
 * The function's name in the sources. The minifier renamed it; the map names the identifier at the
 * function's own start, or else the callee at the caller's call site when the caller is in the bundle.
 */
function originalName(map: SourceMap, site: CallSite, caller: CallSite | undefined, bundleFile: string): string | null {
  const enclosing = nameAt(map, site.getEnclosingLineNumber(), site.getEnclosingColumnNumber());
  if (enclosing !== null) return enclosing;
  if (caller === undefined || caller.getFileName() !== bundleFile) return null;
  return nameAt(map, caller.getLineNumber(), caller.getColumnNumber());
}

function nameAt(map: SourceMap, line: number | null, column: number | null): string | null {
  if (line === null || column === null) return null;
  const entry = map.findEntry(line - 1, column - 1);
  return 'name' in entry && typeof entry.name === 'string' ? entry.name : null;
}
