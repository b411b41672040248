import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEY, parseIngestionConfig } from './config.js';
import { DEFAULT_STACK_NAME, IngestionStack } from './ingestion-stack.js';

/**
 * Adds the ingestion stack that the `symantecEdr` context describes, and the cdk-nag AwsSolutions checks.
 * cdk-nag 3 runs as a CDK validation plugin: a finding that is not acknowledged (with its reason, on the
 * construct that raises it) stops `cdk synth` and `cdk deploy`.
 */
export function buildApp(app: App): IngestionStack {
  const config = parseIngestionConfig(app.node.tryGetContext(CONTEXT_KEY));
  const stack = new IngestionStack(app, config.stackName ?? DEFAULT_STACK_NAME, {
    config,
    description: 'Copies Symantec EDR Cloud incidents to Amazon Data Firehose as ECS documents',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
