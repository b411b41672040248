/**
 * Every incident-like value in the test fixtures (test/fixtures/*.json and *.ndjson): the incidents of an
 * API page or a list, each line of NDJSON, any other JSON document as itself. Mapping must give a valid
 * document for each of them, incidents or not.
 */
import { readdirSync, readFileSync } from 'node:fs';

const FIXTURES = new URL('../fixtures/', import.meta.url);

export interface FixtureInput {
  /** `<file>#<index>`. */
  readonly label: string;
  readonly value: unknown;
  /** The JSON text, when the value is one line of NDJSON. */
  readonly text?: string;
}

export function fixtureInputs(): FixtureInput[] {
  const inputs: FixtureInput[] = [];
  for (const name of readdirSync(FIXTURES).sort()) {
    if (!name.endsWith('.json') && !name.endsWith('.ndjson')) continue;
    const text = readFileSync(new URL(name, FIXTURES), 'utf8');
    if (name.endsWith('.ndjson')) {
      text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .forEach((line, index) => inputs.push({ label: `${name}#${index}`, value: JSON.parse(line), text: line }));
    } else {
      valuesOf(JSON.parse(text)).forEach((value, index) => inputs.push({ label: `${name}#${index}`, value }));
    }
  }
  return inputs;
}

function valuesOf(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (typeof document === 'object' && document !== null) {
    const { incidents, expected } = document as { incidents?: unknown; expected?: unknown };
    if (Array.isArray(incidents)) return incidents;
    if (Array.isArray(expected)) return expected;
  }
  return [document];
}
