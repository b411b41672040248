import { EDR_CLOUD_SHAPE } from './incident-shape.js';

/**
 * The options of the incident-to-ECS mapping (original, duplicates, tags, namespace). Each default lives in
 * `DEFAULT_MAPPING_OPTIONS` and nowhere else; the docs below point there instead of repeating values.
 */

export interface MappingOptions {
  /**
   * Keep the incident as received in `event.original` and add the tag `preserve_original_event`.
   * Documents with a field error keep it whatever this says.
   * @default DEFAULT_MAPPING_OPTIONS.preserveOriginalEvent
   */
  readonly preserveOriginalEvent: boolean;
  /**
   * Keep the `symantec_edr_cloud.incident.*` fields that were copied to ECS fields, and add the tag
   * `preserve_duplicate_custom_fields`.
   * @default DEFAULT_MAPPING_OPTIONS.preserveDuplicateCustomFields
   */
  readonly preserveDuplicateCustomFields: boolean;
  /**
   * Tags appended after the two option tags above, in this order. Empty strings are left out.
   * @default DEFAULT_MAPPING_OPTIONS.tags
   */
  readonly tags: readonly string[];
  /**
   * `data_stream.namespace`: lower case letters, digits and `_` (see `namespaceProblem`).
   * @default DEFAULT_MAPPING_OPTIONS.namespace
   */
  readonly namespace: string;
}

export const DEFAULT_MAPPING_OPTIONS: MappingOptions = Object.freeze({
  preserveOriginalEvent: false,
  preserveDuplicateCustomFields: false,
  // The tags Elastic's agent adds to this data stream, so searches written for the integration still match.
  tags: EDR_CLOUD_SHAPE.defaultTags,
  namespace: 'default',
});

/**
 * Fills the options a caller left out (absent or `undefined`) from the defaults, so a configuration
 * that says "not set" maps to the documented default. `defaultTags`: the tags of the output format's
 * data stream (`IncidentShape.defaultTags`), when it is not `ecs`.
 */
export function resolveMappingOptions(
  partial: { readonly [K in keyof MappingOptions]?: MappingOptions[K] | undefined } = {},
  defaultTags: readonly string[] = DEFAULT_MAPPING_OPTIONS.tags,
): MappingOptions {
  return Object.freeze({
    preserveOriginalEvent: partial.preserveOriginalEvent ?? DEFAULT_MAPPING_OPTIONS.preserveOriginalEvent,
    preserveDuplicateCustomFields: partial.preserveDuplicateCustomFields ?? DEFAULT_MAPPING_OPTIONS.preserveDuplicateCustomFields,
    tags: partial.tags ?? defaultTags,
    namespace: partial.namespace ?? DEFAULT_MAPPING_OPTIONS.namespace,
  });
}

// Elasticsearch data stream names are `<type>-<dataset>-<namespace>`: the namespace may hold no `-`, no
// upper case and none of `\/*?"<>| ,#`; keeping to [a-z0-9_] is the safe subset (and what the function's
// configuration accepts). 100 characters is Elasticsearch's limit for a namespace.
const NAMESPACE_PATTERN = /^[a-z0-9_]{1,100}$/;

/** Why `name` cannot be a data stream namespace, or `undefined` when it can. */
export function namespaceProblem(name: string): string | undefined {
  return NAMESPACE_PATTERN.test(name)
    ? undefined
    : `namespace ${JSON.stringify(name)} must be 1 to 100 lower case letters, digits or _ (an Elasticsearch data stream namespace)`;
}
