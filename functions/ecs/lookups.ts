/**
 * The labels of the API's enumerated ids (severity, state, priority, ...) and the categorisation by conclusion.
 * Maps, not object literals, so that an id like `constructor` finds nothing instead of a prototype member.
 */

/** `severity_id` (a number in the document) to `symantec_edr_cloud.incident.severity`. */
export const SEVERITY_LABELS: ReadonlyMap<number, string> = new Map([
  [3, 'Minor'],
  [4, 'Major'],
  [5, 'Critical'],
]);

/** `state_id` (as text) to `symantec_edr_cloud.incident.state`. */
export const STATE_LABELS: ReadonlyMap<string, string> = new Map([
  ['0', 'Unknown'],
  ['1', 'New'],
  ['2', 'In Progress'],
  ['3', 'On Hold'],
  ['4', 'Resolved'],
  ['5', 'Closed'],
]);

/** `priority_id` (as text) to `symantec_edr_cloud.incident.priority`. */
export const PRIORITY_LABELS: ReadonlyMap<string, string> = new Map([
  ['0', 'Unknown'],
  ['1', 'Informational'],
  ['2', 'Normal'],
  ['3', 'High'],
  ['4', 'Critical'],
]);

/** `resolution_id` (as text) to `symantec_edr_cloud.incident.resolution`. */
export const RESOLUTION_LABELS: ReadonlyMap<string, string> = new Map([
  ['1', 'Insufficient data'],
  ['2', 'Security risk'],
  ['3', 'False positive'],
  ['4', 'Managed externally'],
  ['5', 'Benign'],
  ['6', 'Test'],
]);

/** The top-level `id` (the event outcome, as text) to `symantec_edr_cloud.incident.outcome`. */
export const OUTCOME_LABELS: ReadonlyMap<string, string> = new Map([
  ['0', 'Unknown'],
  ['4', 'Logged'],
]);

/**
 * `event_id` (as text) to `symantec_edr_cloud.incident.event`. The id is the type id (8075-8077) followed
 * by the outcome id, padded to three digits in some sources (8075004) and to four in others (80750004,
 * the XSOAR test data): both forms are listed.
 */
export const EVENT_LABELS: ReadonlyMap<string, string> = buildEventLabels();

function buildEventLabels(): Map<string, string> {
  const types: ReadonlyArray<readonly [string, string]> = [
    ['8075', 'Incident Creation'],
    ['8076', 'Incident Update'],
    ['8077', 'Incident Closure'],
  ];
  const outcomes: ReadonlyArray<readonly [string, string]> = [
    ['4', 'Logged'],
    ['0', 'Unknown'],
  ];
  const labels = new Map<string, string>();
  for (const [typeId, typeLabel] of types) {
    for (const [outcomeId, outcomeLabel] of outcomes) {
      const label = `${typeLabel}: ${outcomeLabel}`;
      labels.set(`${typeId}00${outcomeId}`, label);
      labels.set(`${typeId}000${outcomeId}`, label);
    }
  }
  return labels;
}

export interface Categorisation {
  readonly category: readonly string[];
  readonly type: readonly string[];
}

const MALWARE: Categorisation = Object.freeze({ category: Object.freeze(['malware']), type: Object.freeze(['info']) });

/** `conclusion` in lower case to `event.category` and `event.type`; any other conclusion sets neither. */
export const CONCLUSION_CATEGORISATION: ReadonlyMap<string, Categorisation> = new Map([
  ['targeted malware', MALWARE],
  ['suspicious activity', MALWARE],
  ['malicious activity', MALWARE],
  ['malicious file', MALWARE],
  ['dual use tool', MALWARE],
  ['malware', MALWARE],
  ['hacktool', MALWARE],
  ['breach', Object.freeze({ category: Object.freeze(['intrusion_detection']), type: Object.freeze(['info']) })],
  ['network threat', Object.freeze({ category: Object.freeze(['threat', 'network']), type: Object.freeze(['info', 'indicator']) })],
  ['potential threat', Object.freeze({ category: Object.freeze(['threat']), type: Object.freeze(['indicator']) })],
  ['targeted attack', Object.freeze({ category: Object.freeze(['threat']), type: Object.freeze(['indicator']) })],
]);
