/**
 * The worker processes' entry point as one plain JavaScript file. Through tsx every worker
 * would carry a TypeScript loader (on Node 20 a second V8 isolate for the module hooks, ~45 MB
 * per process, measured); bundled once per run with esbuild (the compiler tsx itself uses), a
 * worker starts at ~60 MB instead of ~105 MB. The bundle goes to a fresh temporary directory
 * and is removed after the run; if esbuild is unavailable the workers run through tsx.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workerTs = fileURLToPath(new URL('./worker-main.ts', import.meta.url));
/** The one module of the worker that finds files by its own location (the link profiles). */
const profilesUrl = new URL('../../proxy/profiles.ts', import.meta.url).href;

export interface WorkerEntry {
  file: string;
  execArgv: string[];
  /** Removes the bundle (nothing for the tsx fallback). */
  dispose(): void;
}

export async function workerEntry(): Promise<WorkerEntry> {
  // A small young generation, and an old generation that grows by 20% over what survives a
  // collection instead of up to 4x: measured with 10,000 devices, 213 vs 249 MB for +4% CPU.
  const flags = ['--max-semi-space-size=4', '--heap-growing-percent=20'];
  try {
    // A dev dependency of this package, and always installed with tsx (which depends on it).
    const esbuild = (await import('esbuild')).default;
    const dir = mkdtempSync(join(tmpdir(), 'mqtt-harness-fleet-'));
    const file = join(dir, 'fleet-worker.mjs');
    esbuild.buildSync({
      entryPoints: [workerTs],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: file,
      logLevel: 'silent',
      define: { 'import.meta.url': JSON.stringify(profilesUrl) },
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return { file, execArgv: flags, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch {
    return { file: workerTs, execArgv: ['--import', 'tsx', ...flags], dispose: () => {} };
  }
}
