#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the command works straight after `npm ci` without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
