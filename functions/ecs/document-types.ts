/**
 * The shape of one output document: ECS fields typed by `@elastic/ecs` (ECS 8.11), plus our own type for
 * `symantec_edr_cloud.incident.*`. Type-only imports: `@elastic/ecs` is not needed at run time.
 */
import type { EcsBase, EcsDataStream, EcsEcs, EcsEvent, EcsHttp, EcsRelated, EcsRule, EcsUrl } from '@elastic/ecs';

/**
 * `symantec_edr_cloud.incident.*` (or `ses.incident.*`) as the reference integrations index it. Fields the API adds later are
 * copied as received (after dropping empty values), hence the index signature.
 */
export interface SymantecIncidentFields {
  /** Always `Security` (a constant of the reference). */
  category: 'Security';
  category_id?: string;
  conclusion?: string;
  created?: string;
  customer_uid?: string;
  detection_type?: string;
  device_time?: string;
  domain_uid?: string;
  /** Label of `event_id`, e.g. `Incident Creation: Logged`. */
  event?: string;
  event_id?: string;
  /** The event outcome code (not an identifier). */
  id?: string;
  incident_uid?: string;
  incident_url?: string;
  log_time?: string;
  message?: string;
  modified?: string;
  /** Label of `id`. */
  outcome?: string;
  priority?: string;
  priority_id?: string;
  product_name?: string;
  product_uid?: string;
  ref_incident_uid?: string;
  remediation?: string;
  resolution?: string;
  resolution_id?: string;
  rule_name?: string;
  severity?: string;
  /** A number, as in the reference (its only numeric `*_id`). */
  severity_id?: number;
  state?: string;
  state_id?: string;
  suspected_breach?: boolean;
  time?: string;
  type?: string;
  type_id?: string;
  version?: string;
  [field: string]: unknown;
}

/** ECS fields whose values we always write as lists. */
type Listed<T, K extends keyof T> = Omit<T, K> & { [P in K]?: string[] };

/** The `event.*` fields the mapping writes. */
export type IncidentEventFields = Listed<
  Pick<EcsEvent, 'category' | 'created' | 'id' | 'original' | 'provider' | 'reason' | 'severity' | 'type' | 'url'>,
  'category' | 'type'
> &
  Required<Pick<EcsEvent, 'kind' | 'module' | 'dataset'>>;

/** The fields every incident document has, whichever integration's names it uses (see `IncidentShape`). */
export interface IncidentDocumentBase {
  '@timestamp': EcsBase['@timestamp'];
  ecs: EcsEcs;
  data_stream: Required<Pick<EcsDataStream, 'dataset' | 'namespace' | 'type'>>;
  event: IncidentEventFields;
  /** One entry per unreadable field (ECS `error.message` is text; Elasticsearch takes a list for any field). */
  error?: { message: string[] };
  message?: EcsBase['message'];
  tags?: string[];
  http?: Pick<EcsHttp, 'version'>;
  rule?: Pick<EcsRule, 'name'>;
  url?: Pick<EcsUrl, 'original' | 'scheme' | 'domain' | 'port' | 'path' | 'query' | 'fragment' | 'username' | 'password' | 'extension'>;
  related?: { [K in keyof EcsRelated]?: string[] };
}

/** An incident document with the incident's own fields under `<Root>.incident`. */
export type ShapedIncidentDocument<Root extends string> = IncidentDocumentBase & { [K in Root]: { incident: SymantecIncidentFields } };

/** The `ecs` output format: the names of Elastic's `symantec_edr_cloud` integration. */
export type EcsIncidentDocument = ShapedIncidentDocument<'symantec_edr_cloud'>;

/** The `ses` output format: the names of Elastic's `symantec_endpoint_security` integration. */
export type SesIncidentDocument = ShapedIncidentDocument<'ses'>;
