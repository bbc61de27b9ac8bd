#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
register();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
await import(main);
