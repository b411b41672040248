#!/usr/bin/env node
// In the repository the command runs the TypeScript sources through tsx (a dev dependency), so it works
// straight after `npm ci`; the installed package has no sources and runs its compiled JavaScript instead.
import { existsSync } from 'node:fs';

const source = new URL('../functions/cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import(new URL('../dist/functions/cli/main.js', import.meta.url).href));
}
process.exitCode = await main(process.argv.slice(2));
