import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Brokers and load clients run at nice -10 when we are root (BENCH_NICE overrides; 0 = off): the
 *  other work on a shared machine then takes less from the two pinned cores. */
export const niceness: string | undefined = process.env.BENCH_NICE ?? (process.getuid?.() === 0 ? '-10' : undefined);
export const hasTaskset =
  process.env.BENCH_NO_TASKSET !== '1' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** A child process speaking JSON lines on stdout; stderr is kept for error messages. */
export class Child {
  private readonly queue: Array<Record<string, unknown>> = [];
  private waiters: Array<() => void> = [];
  private stderr = '';
  exited = false;
  exitCode: number | null = null;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(l) as Record<string, unknown>;
      } catch {
        msg = { event: 'line', text: l };
      }
      this.queue.push(msg);
      this.wake();
    });
    proc.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    proc.on('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  get pid(): number {
    return this.proc.pid!;
  }

  send(msg: Record<string, unknown>): void {
    this.proc.stdin!.write(`${JSON.stringify(msg)}\n`);
  }

  /** Next message with this event (others are skipped); rejects on error events, exit or timeout. */
  async next(
    event: string,
    timeoutMs: number,
    match?: (m: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.queue.length > 0) {
        const m = this.queue.shift()!;
        if (m.event === 'error') throw new Error(`${this.name}: ${String(m.message)}`);
        if (m.event === event && (match === undefined || match(m))) return m;
      }
      if (this.exited)
        throw new Error(
          `${this.name} exited (code ${this.exitCode}) before "${event}"; stderr: ${this.stderr.trim().slice(-800)}`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `${this.name}: no "${event}" within ${timeoutMs} ms; stderr: ${this.stderr.trim().slice(-800)}`,
        );
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
    if (this.exited) return;
    this.proc.kill(signal);
    const t = Date.now() + graceMs;
    while (!this.exited && Date.now() < t) await new Promise((r) => setTimeout(r, 20));
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

/** The open-files hard limit: children raise their soft limit to it (10,000 idle connections need it). */
export function openFilesHardLimit(): number {
  const r = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' });
  const v = r.stdout.trim();
  return v === 'unlimited' ? Infinity : Number(v);
}

/**
 * Spawns a command pinned to a core (when taskset exists), through a shell that first raises
 * the open-files soft limit to the hard limit. exec keeps the pid the command's own.
 */
export function spawnPinned(name: string, core: number, cmd: string, args: string[]): Child {
  const pinned = hasTaskset ? ['taskset', '-c', String(core), cmd, ...args] : [cmd, ...args];
  const argv = niceness !== undefined ? ['nice', '-n', niceness, ...pinned] : pinned;
  const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  const proc = spawn('sh', ['-c', script, 'sh', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Child(name, proc);
}

/** Runs one of the bench/load/*.ts children under node + tsx, pinned to a core. */
export function spawnLoad(
  file: string,
  core: number,
  args: Record<string, string | number>,
  nodeArgs: string[] = [],
): Child {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
  const flat = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  return spawnPinned(file.replace(/\.ts$/, ''), core, process.execPath, [
    ...nodeArgs,
    '--import',
    'tsx',
    path,
    ...flat,
  ]);
}
