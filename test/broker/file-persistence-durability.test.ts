/**
 * FilePersistence durability details: directory fsync after creating directories / the log and
 * after compaction's rename (never on the append hot path), sticky I/O errors, and how a locked
 * data directory surfaces through startBroker and the CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePersistence, MemoryLogger, startBroker } from '../../src/broker/index.ts';
import { syncDirectory } from '../../src/broker/file-persistence.ts';
import { withTimeout } from '../../src/common/index.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mqtt-harness-fpd-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

interface SyncCall {
  dir: string;
  logExists: boolean;
  tmpExists: boolean;
  logLines: number;
}

/** A syncDir that records what the directory looked like when it was called, then really syncs. */
function recordingSync(dataDir: string, fail?: (call: SyncCall) => boolean) {
  const calls: SyncCall[] = [];
  const syncDir = async (dir: string) => {
    const log = join(dataDir, 'broker.log');
    const call = {
      dir,
      logExists: existsSync(log),
      tmpExists: existsSync(log + '.tmp'),
      logLines: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : -1,
    };
    calls.push(call);
    if (fail?.(call)) throw new Error('injected EIO on directory fsync');
    await syncDirectory(dir);
  };
  return { calls, syncDir };
}

const retained = (i: number) => ({
  topic: `d/${i % 3}`,
  payload: Buffer.from(String(i)),
  qos: 1 as const,
  retain: true,
});

describe('FilePersistence directory fsync', () => {
  it('syncs each created directory into its parent, then the data directory once the log exists', async () => {
    const base = freshDir();
    const dir = join(base, 'a', 'b');
    const { calls, syncDir } = recordingSync(dir);
    const p = new FilePersistence(dir, { syncDir });
    await p.load();
    expect(calls.map((c) => c.dir)).toEqual([base, join(base, 'a'), dir]);
    expect(calls[2]).toMatchObject({ logExists: true, tmpExists: false, logLines: 0 });
    expect(calls.slice(0, 2).every((c) => !c.logExists)).toBe(true);
    await p.close();
  });

  it('syncs the directory after compaction renames the snapshot over the log, and not on appends', async () => {
    const dir = freshDir();
    const { calls, syncDir } = recordingSync(dir);
    const p = new FilePersistence(dir, { compactSlack: 10, syncDir });
    await p.load();
    expect(calls.map((c) => c.dir)).toEqual([dir]); // existing directory: only the log's entry
    calls.length = 0;
    for (let i = 0; i < 5; i++) {
      p.setRetained(retained(i));
      await p.sync();
    }
    expect(calls).toEqual([]); // group-committed appends never sync the directory
    for (let i = 5; i < 40; i++) p.setRetained(retained(i));
    await p.sync();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const c of calls) {
      // Called after the rename: the temp file is gone and the log already is the 3-line snapshot.
      expect(c).toEqual({ dir, logExists: true, tmpExists: false, logLines: 3 });
    }
    await p.close();
    const q = new FilePersistence(dir);
    expect((await q.load()).retained.map((m) => m.payload.toString()).sort()).toEqual(['37', '38', '39']);
    await q.close();
  });

  it('a failing directory fsync after compaction fails that sync() and every later one', async () => {
    const dir = freshDir();
    let armed = false;
    const { syncDir } = recordingSync(dir, () => armed);
    const p = new FilePersistence(dir, { compactSlack: 10, syncDir });
    await p.load();
    armed = true;
    for (let i = 0; i < 40; i++) p.setRetained(retained(i));
    await expect(p.sync()).rejects.toThrow(
      /FilePersistence: writing .*broker\.log failed: injected EIO on directory fsync/,
    );
    armed = false;
    p.setRetained(retained(100));
    await expect(p.sync()).rejects.toThrow(/injected EIO/); // sticky: nothing is claimed durable any more
    await expect(p.close()).rejects.toThrow(/injected EIO/);
    expect(existsSync(join(dir, 'broker.lock'))).toBe(false); // the lock is still released
  });

  it('a failing directory fsync during load fails load() and releases the lock', async () => {
    const dir = freshDir();
    const { syncDir } = recordingSync(dir, () => true);
    const p = new FilePersistence(dir, { syncDir });
    await expect(p.load()).rejects.toThrow(/injected EIO/);
    expect(existsSync(join(dir, 'broker.lock'))).toBe(false);
    await p.close();
    const q = new FilePersistence(dir);
    await q.load();
    await q.close();
  });

  it('the real directory sync works on a directory and reports a missing one', async () => {
    const dir = freshDir();
    await syncDirectory(dir);
    await expect(syncDirectory(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});

describe('a locked data directory at broker start', () => {
  it('startBroker rejects with the lock message', async () => {
    const dir = freshDir();
    const holder = new FilePersistence(dir);
    await holder.load();
    try {
      await expect(startBroker({ persistence: `file:${dir}`, logLevel: 'silent' })).rejects.toThrow(
        `startBroker: loading persisted state failed: FilePersistence: data directory ${dir} is locked by pid ${process.pid}`,
      );
    } finally {
      await holder.close();
    }
    const b = await startBroker({ persistence: `file:${dir}`, logLevel: 'silent' });
    await b.close();
    expect(existsSync(join(dir, 'broker.lock'))).toBe(false);
  });

  it('startBroker reports a stale lock it took over through its logger', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'broker.lock'), 'garbage');
    const logger = new MemoryLogger();
    const b = await startBroker({ persistence: `file:${dir}`, logger });
    try {
      const warn = logger.records.find((r) => r.level === 'warn' && /stale lock/.test(r.msg));
      expect(warn?.fields).toMatchObject({ dir, reason: 'garbage', content: 'garbage' });
    } finally {
      await b.close();
    }
  });

  it('the CLI prints the message and exits non-zero while another process holds the directory', async () => {
    const dir = join(freshDir(), 'data');
    const fixture = join(import.meta.dirname, 'fixtures/hold-persistence.ts');
    const holder = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('HELD') && resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      }),
      20_000,
      'lock holder ready',
    );
    const bin = join(import.meta.dirname, '../../bin/mqtt-harness.js');
    const cli = spawn(process.execPath, [bin, 'broker', '--persistence', `file:${dir}`, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(cli);
    let out = '';
    cli.stdout!.on('data', (d: Buffer) => (out += d));
    cli.stderr!.on('data', (d: Buffer) => (out += d));
    const code = await withTimeout(new Promise<number | null>((r) => cli.once('exit', r)), 20_000, 'CLI exit');
    expect(code).not.toBe(0);
    expect(out).toContain(
      `FilePersistence: data directory ${dir} is locked by pid ${holder.pid} (${join(dir, 'broker.lock')}); another broker is using it`,
    );
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
    expect(out).not.toContain('listening on');
    holder.kill('SIGKILL');
  }, 45_000);
});
