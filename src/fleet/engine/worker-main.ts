/**
 * Entry point of a fleet worker process (forked by run-parts.ts with tsx): receives its
 * settings over IPC, runs its slice, streams live stats back once a second and reports
 * the part directory when done.
 */
import { runSlice } from './slice-run.ts';
import type { RunSettings } from './plan.ts';

process.once('message', (m: { settings: RunSettings; dir: string }) => {
  runSlice(m.settings, m.dir, (l) => process.send?.({ live: l }))
    .then(() => process.send?.({ done: m.dir }, () => process.exit(0)))
    .catch((e: Error) => process.send?.({ error: e.message }, () => process.exit(1)));
});
process.on('disconnect', () => process.exit(1));
