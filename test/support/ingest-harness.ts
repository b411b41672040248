/**
 * Runs the real Lambda handler against the local environment: real SDK clients, real HTTP, the
 * emulators on 127.0.0.1. Each harness has its own environment and its own import of the handler, so the
 * configuration it reads at cold start is the harness's.
 */
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { vi } from 'vitest';
import { type LocalEnvironment, type LocalEnvironmentOptions, startLocalEnvironment } from '../../local/environment.js';
import type { RunSummary } from '../../functions/ingest/run-summary.js';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../local/lambda-context.js';
import { pointProcessEnvAt } from './local-process-env.js';
import { deliveriesByVersion, versionKey } from './version-reach.js';

export interface DeliveredDocument {
  readonly uid: string;
  readonly modified: string;
  readonly document: Record<string, any>;
}

export interface IngestHarness {
  readonly local: LocalEnvironment;
  /** `context` replaces the Lambda context the harness would build (then `remainingMs` is not used). */
  invoke(event?: { source?: string }, remainingMs?: number, context?: Context): Promise<RunSummary>;
  /** Every document Firehose accepted, parsed, in delivery order. */
  delivered(): DeliveredDocument[];
  /** Log lines and metric lines the handler wrote to standard output. */
  readonly output: string[];
  close(): Promise<void>;
}

let harnesses = 0;

export interface HarnessOptions extends LocalEnvironmentOptions {
  /** Replaces the secret's value before the handler starts (and prefetches it). */
  secretValue?: string;
}

export async function startIngestHarness(settings: Record<string, string> = {}, options: HarnessOptions = {}): Promise<IngestHarness> {
  // Each harness its own secret name: the secret cache lives in middy's module, which outlives resetModules.
  const local = await startLocalEnvironment({ secretName: `symantec-edr/test-${++harnesses}`, ...options });
  const restoreEnv = pointProcessEnvAt(local, settings);
  if (options.secretValue !== undefined) {
    const client = new SecretsManagerClient({});
    await client.send(new PutSecretValueCommand({ SecretId: local.env.SYMANTEC_SECRET_ID, SecretString: options.secretValue }));
    client.destroy();
  }
  vi.resetModules();
  const { handler } = await import('../../functions/handler.js');
  const output: string[] = [];
  const originalWrite = process.stdout.write.bind(process.stdout);
  const originalError = process.stderr.write.bind(process.stderr);
  // Powertools writes INFO and DEBUG to standard output, WARN and ERROR to standard error.
  const captures = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
      output.push(String(chunk));
      return process.env.SHOW_HANDLER_OUTPUT ? originalWrite(chunk, ...rest) : true;
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
      output.push(String(chunk));
      return process.env.SHOW_HANDLER_OUTPUT ? originalError(chunk, ...rest) : true;
    }),
  ];
  return {
    local,
    output,
    invoke: (event = {}, remainingMs = 300_000, context = lambdaContext(remainingMs)) =>
      handler(event, context as Parameters<typeof handler>[1]) as Promise<RunSummary>,
    delivered: () =>
      local.firehose.records(local.env.DELIVERY_STREAM).map((data) => {
        const document = JSON.parse(data.toString('utf8'));
        const incident = document.symantec_edr_cloud?.incident ?? document;
        return { uid: document.event?.id ?? incident.incident_uid, modified: incident.modified, document };
      }),
    close: async () => {
      for (const capture of captures) capture.mockRestore();
      restoreEnv();
      await local.close();
    },
  };
}

/** Versions created by the simulator that are missing from the delivered documents, and versions delivered twice. */
export function reconcile(harness: IngestHarness): { created: number; delivered: number; missing: string[]; duplicates: string[] } {
  const delivered = harness.delivered();
  const seen = deliveriesByVersion(delivered);
  const created = harness.local.simulator.store.versionsCreated().map((v) => versionKey(v.incident_uid, v.modified));
  return {
    created: created.length,
    delivered: delivered.length,
    missing: created.filter((k) => !seen.has(k)),
    duplicates: [...seen].filter(([, n]) => n > 1).map(([k]) => k),
  };
}
