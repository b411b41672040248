/**
 * fast-check arbitraries for the mapping's property tests: realistic incidents (every enumeration value
 * the API documents plus unknown ones, 7- and 8-digit `event_id`s, numbers written as strings,
 * dates with any offset and 0-9 fraction digits, optional `events[]`), damaged incidents (some fields
 * replaced by arbitrary JSON) and arbitrary JSON.
 */
import fc from 'fast-check';

// 2020-01-01 to 2030-01-01: the years the API can plausibly report.
const MIN_MS = Date.UTC(2020, 0, 1);
const MAX_MS = Date.UTC(2030, 0, 1);

export const KNOWN_CONCLUSIONS = [
  'Targeted Malware',
  'Suspicious Activity',
  'Malicious Activity',
  'Malicious File',
  'Dual Use Tool',
  'Malware',
  'Hacktool',
  'Breach',
  'Network Threat',
  'Potential Threat',
  'Targeted Attack',
] as const;

/** A number, or the same number written as a string, as different API versions do. */
const numberOrText = (values: fc.Arbitrary<number>): fc.Arbitrary<number | string> => fc.oneof(values, values.map(String));

/** One of the known ids, or (less often) an id outside the table. */
const enumeration = (known: readonly number[]): fc.Arbitrary<number | string> =>
  numberOrText(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }) }));

const eventId = numberOrText(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(8075, 8076, 8077), fc.constantFrom(0, 4), fc.boolean())
        .map(([type, outcome, eightDigits]) => type * (eightDigits ? 10_000 : 1000) + outcome),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1_000_000, max: 99_999_999 }) },
  ),
);

const instantMs = fc.integer({ min: MIN_MS, max: MAX_MS });

/**
 * ISO 8601 text of an instant with an offset (`Z`, `+HH:MM`, `+HHMM`, `+HH`) and 0-9 fraction digits,
 * with the date the mapping must make of it (fraction digits past milliseconds are cut).
 */
export const isoDateCase: fc.Arbitrary<{ text: string; expected: string }> = fc
  .record({
    ms: instantMs,
    offsetQuarters: fc.integer({ min: -14 * 4, max: 14 * 4 }),
    offsetStyle: fc.constantFrom('Z', 'colon', 'compact', 'hours'),
    fractionDigits: fc.integer({ min: 0, max: 9 }),
    extraDigits: fc.stringMatching(/^[0-9]{6}$/),
  })
  .map(({ ms, offsetQuarters, offsetStyle, fractionDigits, extraDigits }) => {
    const offsetMinutes = offsetStyle === 'Z' ? 0 : offsetStyle === 'hours' ? Math.trunc(offsetQuarters / 4) * 60 : offsetQuarters * 15;
    const local = new Date(ms + offsetMinutes * 60_000).toISOString();
    const fraction = (local.slice(20, 23) + extraDigits).slice(0, fractionDigits);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const hh = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
    const mm = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
    const offset =
      offsetStyle === 'Z'
        ? 'Z'
        : offsetStyle === 'colon'
          ? `${sign}${hh}:${mm}`
          : offsetStyle === 'compact'
            ? `${sign}${hh}${mm}`
            : `${sign}${hh}`;
    // Offsets are whole minutes, so cutting the local fraction cuts the UTC one alike.
    const kept = 10 ** Math.max(0, 3 - fractionDigits);
    return {
      text: `${local.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}${offset}`,
      expected: new Date(ms - (ms % kept)).toISOString(),
    };
  });

export const isoDateText: fc.Arbitrary<string> = isoDateCase.map((c) => c.text);

const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));

const deviceIp = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('0.0.0.0', 'not-an-ip', '999.1.1.1'));

const fileObject = fc.record({ path: fc.string(), name: fc.string(), sha2: hex(64), md5: hex(32), sha1: hex(40) }, { requiredKeys: [] });

/** One entry of `events[]`, shaped like the ICDM detections in the public samples. */
export const incidentEvent = fc.record(
  {
    type_id: fc.constantFrom(8031, 8027, 8040),
    type: fc.constantFrom('sandbox_file_detection', 'process_detection'),
    message: fc.string(),
    device_name: fc.constantFrom('Victim-1', 'Victim-2', 'host-a', ''),
    device_ip: deviceIp,
    user_name: fc.constantFrom('SYSTEM', 'alice', 'bob'),
    user: fc.record({ name: fc.constantFrom('SYSTEM', 'alice', 'carol') }),
    file: fileObject,
    process: fc.record({ file: fileObject }, { requiredKeys: [] }),
    time: isoDateText,
  },
  { requiredKeys: [] },
);

/** A realistic incident: every field of the reference, some left out, enumerations known and unknown. */
export const realisticIncident = fc.record(
  {
    customer_uid: fc.constant('TEST-JvOsaJktSS-eyL-dXhxOvA'),
    incident_uid: fc.uuid(),
    type: fc.constantFrom('INCIDENT_CREATION', 'INCIDENT_UPDATE', 'INCIDENT_CLOSURE', 'INCIDENT_ASSOCIATE'),
    resolution_id: enumeration([1, 2, 3, 4, 5, 6]),
    conclusion: fc.oneof(
      fc.constantFrom(...KNOWN_CONCLUSIONS),
      fc.constantFrom(...KNOWN_CONCLUSIONS).map((c) => c.toUpperCase()),
      fc.string(),
    ),
    remediation: fc.string(),
    priority_id: enumeration([0, 1, 2, 3, 4]),
    category_id: enumeration([1]),
    modified: isoDateText,
    state_id: enumeration([0, 1, 2, 3, 4, 5]),
    id: enumeration([0, 4]),
    product_uid: fc.constant('31B0C880-0229-49E8-94C5-48D56B1BD7B9'),
    device_time: numberOrText(instantMs),
    ref_incident_uid: numberOrText(fc.integer({ min: 1, max: 999_999 })),
    rule_name: fc.constantFrom('Advanced Attack Technique', 'Critical Cynic Detections'),
    created: isoDateText,
    type_id: enumeration([8075, 8076, 8077]),
    incident_url: fc.uuid().map((uid) => `https://sep.securitycloud.symantec.com/v2/incidents/incidentListing/${uid}/details`),
    message: fc.string(),
    version: fc.constant('1.0'),
    product_name: fc.constant('Symantec Integrated Cyber Defense Manager'),
    event_id: eventId,
    domain_uid: fc.constant('TEST-ZBg_IqnyTAijNjP2BOOcuw'),
    detection_type: fc.constantFrom('Advanced Analytics', 'Sandbox'),
    severity_id: enumeration([3, 4, 5]),
    time: numberOrText(instantMs),
    suspected_breach: fc.constantFrom('Yes', 'No', 'yes', 'NO', true, false),
    log_time: isoDateText,
    events: fc.array(incidentEvent, { maxLength: 4 }),
  },
  { requiredKeys: ['incident_uid', 'conclusion', 'severity_id', 'state_id', 'event_id', 'time', 'created', 'modified'] },
);

/** A realistic incident with some fields replaced by arbitrary JSON (bad dates, objects for ids, ...). */
export const damagedIncident = fc
  .tuple(
    realisticIncident,
    fc.dictionary(
      fc.constantFrom(
        'time',
        'created',
        'modified',
        'severity_id',
        'state_id',
        'suspected_breach',
        'incident_url',
        'events',
        'message',
        'device_time',
        'log_time',
        'event_id',
        'extra',
      ),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 },
    ),
  )
  .map(([incident, damage]) => ({ ...incident, ...damage }) as Record<string, unknown>);

/** Anything at all, weighted towards incident-shaped input. */
export const anyIncidentInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: realisticIncident },
  { weight: 3, arbitrary: damagedIncident },
  { weight: 2, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })) },
);
