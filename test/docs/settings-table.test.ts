import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_FILE, withSettingsTable } from '../../tools/settings-docs.js';

describe('docs/configuration.md', () => {
  it("holds the settings table generated from the function's settings (run `npm run docs` after changing one)", () => {
    const doc = readFileSync(DOC_FILE, 'utf8');

    expect(doc).toBe(withSettingsTable(doc));
  });
});
