/**
 * Synthesizes the app the way `cdk synth` does (cdk.json's context and feature flags, the cdk-nag
 * plugin), with the `symantecEdr` configuration a test gives. Bundling is off unless asked for: a stack
 * whose bundling is skipped keeps the same resources, and esbuild then runs once per suite, not per variant.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/build-app.js';
import type { IngestionStack } from '../../lib/ingestion-stack.js';

export const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  app: string;
  context: Record<string, unknown> & { symantecEdr: unknown };
};

export interface Synthesized {
  readonly app: App;
  readonly stack: IngestionStack;
  readonly template: Template;
  readonly outdir: string;
  /** Removes the cloud assembly written to a temporary directory. */
  cleanup(): void;
}

export function synthesize(config: unknown, options: { bundle?: boolean } = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'symantec-edr-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJson.context,
      symantecEdr: config,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = buildApp(app);
  app.synth();
  return { app, stack, template: Template.fromStack(stack), outdir, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] } & Record<string, any>;

/** The one resource of a type whose logical id starts with `prefix`. */
export function resourceOf(template: Template, type: string, prefix = ''): { id: string; resource: Resource } {
  const matches = Object.entries(template.findResources(type) as Record<string, Resource>).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} starting with "${prefix}", found ${matches.map(([id]) => id).join(', ') || 'none'}`);
  }
  const [id, resource] = matches[0]!;
  return { id, resource };
}

/** The statements of the IAM policy attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOf(template: Template, rolePrefix: string): Record<string, any>[] {
  const role = resourceOf(template, 'AWS::IAM::Role', rolePrefix).id;
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role })),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, any>[]);
}

export const ref = (id: string) => ({ Ref: id });
export const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
