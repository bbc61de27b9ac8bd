#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4
// Runs the TypeScript CLI through tsx, so no build step is needed. The small young generation
// keeps a broker with many idle connections lean: V8 otherwise keeps the 16 MB semi-spaces it
// grew during a connection storm (measured by `npm run bench:broker`: 4.5 KiB per idle
// connection by default, 2.5 KiB with this flag, with no measurable throughput change).
// MALLOC_ARENA_MAX=2: glibc otherwise gives each of V8's worker threads (concurrent compilation
// and marking) a malloc arena of its own, which keeps its peak size; two arenas took 2.5 MB off
// the broker's peak RSS under the bench's 5,000 msg/s QoS 1 load.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
register();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
await import(main);
