/**
 * The OCSF 1.1.0 Incident Finding (class 2005) as this project writes it: the attributes it sets, their
 * enumerations (captions exactly as OCSF 1.1.0 spells them) and the document's type. The schema files
 * themselves are not needed at run time; the tests check every document against them.
 */

export const OCSF_VERSION = '1.1.0';
export const INCIDENT_FINDING_CLASS = Object.freeze({ uid: 2005, name: 'Incident Finding' });
export const FINDINGS_CATEGORY = Object.freeze({ uid: 2, name: 'Findings' });
export const PRODUCT_VENDOR = 'Symantec';
export const DEFAULT_PRODUCT_NAME = 'Symantec Integrated Cyber Defense Manager';
export const LOG_PROVIDER = 'Symantec EDR Cloud incidents API';
export const UNTITLED_FINDING = 'Symantec EDR incident';
export const UNREADABLE_FINDING = 'Unreadable Symantec EDR incident';

/** OCSF's value for "none of the listed ones" in every enumeration this class uses. */
export const OTHER = 99;

/** `activity_id` of class 2005. */
export const ACTIVITY_CAPTIONS: ReadonlyMap<number, string> = new Map([
  [0, 'Unknown'],
  [1, 'Create'],
  [2, 'Update'],
  [3, 'Close'],
  [OTHER, 'Other'],
]);

/** `severity_id` (the dictionary's enumeration). */
export const SEVERITY_CAPTIONS: ReadonlyMap<number, string> = new Map([
  [0, 'Unknown'],
  [1, 'Informational'],
  [2, 'Low'],
  [3, 'Medium'],
  [4, 'High'],
  [5, 'Critical'],
  [6, 'Fatal'],
  [OTHER, 'Other'],
]);

/** `status_id` of class 2005 (Symantec's `state_id` uses the same numbers). */
export const STATUS_CAPTIONS: ReadonlyMap<number, string> = new Map([
  [0, 'Unknown'],
  [1, 'New'],
  [2, 'In Progress'],
  [3, 'On Hold'],
  [4, 'Resolved'],
  [5, 'Closed'],
  [OTHER, 'Other'],
]);

/** Symantec's `state_id` (as text) to `status_id`: the same numbers. */
export const STATUS_OF_STATE: ReadonlyMap<string, number> = new Map([0, 1, 2, 3, 4, 5].map((id) => [String(id), id]));

/**
 * Symantec's `priority_id` (as text) to OCSF's: the same numbers (0 Unknown, 1 Low, 2 Medium, 3 High,
 * 4 Critical; Symantec calls them Unknown, Informational, Normal, High, Critical). OCSF 1.1.0's
 * dictionary types the caption `priority` as an integer, so the documents carry only `priority_id`.
 */
export const PRIORITY_OF_PRIORITY: ReadonlyMap<string, number> = new Map([0, 1, 2, 3, 4].map((id) => [String(id), id]));

/** `verdict_id` captions, for the verdicts Symantec's `resolution_id` maps to. */
export const VERDICT_CAPTIONS: ReadonlyMap<number, string> = new Map([
  [1, 'False Positive'],
  [5, 'Benign'],
  [6, 'Test'],
  [7, 'Insufficient Data'],
  [8, 'Security Risk'],
  [9, 'Managed Externally'],
  [OTHER, 'Other'],
]);

/** Symantec's `resolution_id` (as text) to OCSF's `verdict_id`. */
export const VERDICT_OF_RESOLUTION: ReadonlyMap<string, number> = new Map([
  ['1', 7],
  ['2', 8],
  ['3', 1],
  ['4', 9],
  ['5', 5],
  ['6', 6],
]);

/** Symantec's `type_id` (as text) to the activity. */
export const ACTIVITY_OF_TYPE: ReadonlyMap<string, number> = new Map([
  ['8075', 1],
  ['8076', 2],
  ['8077', 3],
]);

/** The observable types this mapping emits (the ids OCSF 1.1.0 gives these data types). */
export const OBSERVABLE_TYPES = Object.freeze({
  hostname: { type_id: 1, type: 'Hostname' },
  ip: { type_id: 2, type: 'IP Address' },
  user: { type_id: 4, type: 'User Name' },
  hash: { type_id: 8, type: 'Hash' },
} as const);

export interface OcsfProduct {
  name: string;
  vendor_name: string;
  uid?: string;
}

export interface OcsfMetadata {
  version: string;
  product: OcsfProduct;
  log_provider: string;
  uid?: string;
  correlation_uid?: string;
  tenant_uid?: string;
  original_time?: string;
}

export interface OcsfAnalytic {
  name: string;
  type_id: number;
  type: string;
}

export interface OcsfFindingInfo {
  uid: string;
  title: string;
  types?: string[];
  created_time?: number;
  modified_time?: number;
  analytic?: OcsfAnalytic;
}

export interface OcsfObservable {
  name: string;
  type_id: number;
  type: string;
  value: string;
}

/** One incident as an OCSF 1.1.0 Incident Finding; timestamps are epoch milliseconds. */
export interface OcsfIncidentFinding {
  class_uid: number;
  class_name: string;
  category_uid: number;
  category_name: string;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  time: number;
  start_time?: number;
  end_time?: number;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  priority_id?: number;
  verdict_id?: number;
  verdict?: string;
  is_suspected_breach?: boolean;
  src_url?: string;
  desc?: string;
  message?: string;
  finding_info_list: OcsfFindingInfo[];
  metadata: OcsfMetadata;
  observables?: OcsfObservable[];
  raw_data?: string;
  /** The incident's other top-level fields as received, and `error`: one entry per unreadable field. */
  unmapped?: Record<string, unknown>;
}
