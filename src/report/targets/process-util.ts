import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dial, listenerUrl } from '../../transport/index.ts';
import { TargetUnavailable } from './types.ts';

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:port accepts a TCP connection; rejects after `ms` or when `alive()` turns false. */
export function waitForPort(port: number, ms: number, what: string, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      dial(listenerUrl('tcp', '127.0.0.1', port), {
        timeoutMs: Math.max(100, Math.min(2000, deadline - Date.now())),
      }).then(
        ({ stream }) => {
          stream.destroy();
          resolve();
        },
        () => {
          if (!alive()) reject(new Error(`${what} exited before listening on port ${port}`));
          else if (Date.now() > deadline) reject(new Error(`${what} did not listen on port ${port} within ${ms} ms`));
          else setTimeout(attempt, 100);
        },
      );
    };
    attempt();
  });
}

/** Runs a command to completion (bounded); returns its exit status and output. */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, {
    env: opts.env ?? process.env,
    timeout: opts.timeoutMs ?? 120_000,
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/**
 * Makes sure a Debian package's file exists: installs the package with apt-get when it is
 * missing and we are root, else throws TargetUnavailable naming the exact command.
 */
export function ensureDebianPackage(file: string, pkg: string, log: (l: string) => void): void {
  if (existsSync(file)) return;
  const root = process.getuid?.() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    throw new TargetUnavailable(`${file} is missing: install it with "sudo apt-get install -y ${pkg}"`);
  }
  log(`${file} is missing; installing the Debian package ${pkg} (apt-get, up to 10 minutes)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = run('apt-get', ['install', '-y', '-qq', pkg], { env, timeoutMs: 600_000 });
  if (r.status !== 0) {
    run('apt-get', ['update', '-qq'], { env, timeoutMs: 300_000 });
    r = run('apt-get', ['install', '-y', '-qq', pkg], { env, timeoutMs: 600_000 });
  }
  if (r.status !== 0 || !existsSync(file)) {
    throw new TargetUnavailable(
      `could not install ${pkg} (apt-get install -y ${pkg} exited ${r.status}): ${r.output.trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
}

/** A child process that collects its output and can be stopped with SIGTERM, then SIGKILL after `graceMs`. */
export function startChild(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): {
  child: ChildProcess;
  output(): string;
  alive(): boolean;
  stop(graceMs?: number): Promise<void>;
} {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}
