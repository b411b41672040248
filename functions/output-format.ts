/** What each delivered record holds; `ecs` is the default (see the settings table). */
export const OUTPUT_FORMATS = ['ecs', 'raw'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
