/**
 * Runs a shard of a fleet on this machine: in this process when one worker can hold it,
 * otherwise spread over forked worker processes (each below the per-process open-file limit,
 * together using the cores). Returns the part directories. Workers are killed on any exit
 * path, and a hard deadline bounds the whole run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RunSettings } from './plan.ts';
import { runSlice, type LiveStats } from './slice-run.ts';
import { workerEntry } from './worker-bundle.ts';

export async function runParts(
  s: Omit<RunSettings, 'worker'>,
  out: string,
  workers: number,
  onLive: (l: LiveStats) => void,
): Promise<string[]> {
  const dirs = Array.from({ length: workers }, (_, j) => join(out, 'parts', `s${s.shard.index}w${j}`));
  if (workers === 1) {
    await runSlice({ ...s, worker: { index: 0, count: 1 } }, dirs[0], onLive);
    return dirs;
  }
  const entry = await workerEntry();
  const children: ChildProcess[] = [];
  const kill = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  };
  process.once('exit', kill);
  // Generous: a worker starved of CPU runs late (its stalls are recorded and reported), and the
  // drain is bounded on its own; this only catches a worker that hangs.
  const deadline = s.durationMs + s.drainMs + 600_000;
  try {
    await Promise.all(
      dirs.map(
        (dir, j) =>
          new Promise<void>((resolve, reject) => {
            const c = fork(entry.file, [], {
              execArgv: entry.execArgv,
              serialization: 'advanced',
              stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            });
            children.push(c);
            const t = setTimeout(() => {
              c.kill('SIGKILL');
              reject(new Error(`worker ${j} did not finish within ${Math.round(deadline / 1000)} s`));
            }, deadline);
            let settled = false;
            c.on('message', (m: { live?: LiveStats; done?: string; error?: string }) => {
              if (m.live) onLive(m.live);
              else if (m.done) {
                settled = true;
                clearTimeout(t);
                resolve();
              } else if (m.error) {
                settled = true;
                clearTimeout(t);
                reject(new Error(`worker ${j}: ${m.error}`));
              }
            });
            c.on('exit', (code) => {
              clearTimeout(t);
              if (!settled) reject(new Error(`worker ${j} exited with code ${code} before finishing`));
            });
            c.send({ settings: { ...s, worker: { index: j, count: workers } }, dir });
          }),
      ),
    );
  } finally {
    kill();
    process.removeListener('exit', kill);
    entry.dispose();
  }
  return dirs;
}
