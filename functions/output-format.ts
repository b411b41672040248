/**
 * The output formats a run, a source in cdk.json and `symantec-edr map` can deliver, listed once here so
 * that the function's configuration, the stack's configuration and the CLI accept the same words.
 */
export const OUTPUT_FORMATS = ['ecs', 'ses', 'ocsf', 'raw'] as const;

/**
 * `ecs`: the document of Elastic's `symantec_edr_cloud` integration (the default);
 * `ses`: the same document in the names of Elastic's `symantec_endpoint_security` integration;
 * `ocsf`: an OCSF 1.1.0 Incident Finding (class 2005);
 * `raw`: each incident exactly as received.
 */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const DEFAULT_OUTPUT_FORMAT: OutputFormat = 'ecs';

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}
