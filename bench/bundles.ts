/**
 * Bundles built the way the stack deploys the function, so the benchmarks run and time the artefact that
 * Lambda runs rather than the TypeScript sources under tsx.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUNDLING, REPO_ROOT } from '../tools/function-bundle.js';

export { LAMBDA_BUNDLING, REPO_ROOT } from '../tools/function-bundle.js';

/** The three SDK clients the function uses, one of each created, and nothing else: the cold-start floor. */
const SDK_ONLY_SOURCE = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export const clients = [new DynamoDBClient({}), new FirehoseClient({}), new SecretsManagerClient({})];
`;

export interface Bundle {
  readonly file: string;
  /** The JavaScript file without its source map. */
  readonly bytes: number;
  readonly mapBytes: number;
}

export interface BenchBundles {
  readonly dir: string;
  /** functions/handler.ts, as deployed. */
  readonly handler: Bundle;
  readonly sdkOnly: Bundle;
  /** The child process that drives the handler bundle (bench/ingest-child.ts). */
  readonly ingestChild: string;
  close(): Promise<void>;
}

async function sizes(file: string): Promise<Bundle> {
  const [js, map] = await Promise.all([stat(file), stat(`${file}.map`)]);
  return { file, bytes: js.size, mapBytes: map.size };
}

export async function buildBenchBundles(): Promise<BenchBundles> {
  const dir = await mkdtemp(join(tmpdir(), 'symantec-edr-bench-'));
  try {
    const handlerFile = join(dir, 'handler', 'index.js');
    const sdkFile = join(dir, 'sdk-only', 'index.js');
    const childFile = join(dir, 'ingest-child.cjs');
    // Every build settles before a failure is thrown, so none writes into the directory after it is removed.
    const builds = await Promise.allSettled([
      build({ ...LAMBDA_BUNDLING, entryPoints: [join(REPO_ROOT, 'functions', 'handler.ts')], outfile: handlerFile }),
      build({
        ...LAMBDA_BUNDLING,
        stdin: { contents: SDK_ONLY_SOURCE, resolveDir: REPO_ROOT, sourcefile: 'sdk-only.ts', loader: 'ts' },
        outfile: sdkFile,
      }),
      // The driver itself stays small and unminified; it only requires the handler bundle.
      build({
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        logLevel: 'error',
        entryPoints: [join(REPO_ROOT, 'bench', 'ingest-child.ts')],
        outfile: childFile,
      }),
    ]);
    const failed = builds.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return {
      dir,
      handler: await sizes(handlerFile),
      sdkOnly: await sizes(sdkFile),
      ingestChild: childFile,
      close: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
