/**
 * Where an ECS incident document puts its integration-specific names. Elastic maps the same incidents in
 * two integrations: `symantec_edr_cloud` (deprecated) and `symantec_endpoint_security`, whose `incident`
 * data stream does the same steps under other names. One mapper serves both; a shape says which names.
 */
export interface IncidentShape<Root extends string = string> {
  /** The top-level field holding `<root>.incident.*`, the incident's own fields. */
  readonly root: Root;
  /** `event.module`. */
  readonly module: string;
  /** `event.dataset` and `data_stream.dataset`. */
  readonly dataset: string;
  /** The tags Elastic's agent adds to this data stream: the `tags` option's default. */
  readonly defaultTags: readonly string[];
}

/** Elastic's `symantec_edr_cloud` integration: the `ecs` output format. */
export const EDR_CLOUD_SHAPE: IncidentShape<'symantec_edr_cloud'> = Object.freeze({
  root: 'symantec_edr_cloud',
  module: 'symantec_edr_cloud',
  dataset: 'symantec_edr_cloud.incident',
  defaultTags: Object.freeze(['forwarded', 'symantec_edr_cloud-incident']),
});

/** The `incident` data stream of Elastic's `symantec_endpoint_security` integration: the `ses` output format. */
export const SES_SHAPE: IncidentShape<'ses'> = Object.freeze({
  root: 'ses',
  module: 'symantec_endpoint_security',
  dataset: 'symantec_endpoint_security.incident',
  defaultTags: Object.freeze(['forwarded', 'ses-incident']),
});
