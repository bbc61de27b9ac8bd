/** Line protocol between the bench orchestrator and its load child processes (JSON per line). */
import { createInterface } from 'node:readline';

export function emit(msg: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
}

/** Calls back for each JSON line the orchestrator writes to our stdin. */
export function onCommand(cb: (msg: Record<string, unknown>) => void): void {
  createInterface({ input: process.stdin }).on('line', (l) => {
    if (l.trim() !== '') cb(JSON.parse(l) as Record<string, unknown>);
  });
}

export function argOf(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`missing --${name}`);
  return fallback;
}

export const nowNs = (): bigint => process.hrtime.bigint();

/** Child processes die with a clear line when something goes wrong. */
export function fatal(e: unknown): never {
  emit({ event: 'error', message: (e as Error).message ?? String(e) });
  process.exit(1);
}
