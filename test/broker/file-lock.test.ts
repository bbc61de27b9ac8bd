/** The exclusive data-directory lock: acquireDirLock alone, and as FilePersistence uses it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePersistence } from '../../src/broker/index.ts';
import { acquireDirLock, DirLockedError, parseLock, pidAlive } from '../../src/broker/file-lock.ts';
import { makeDirs } from '../../src/broker/file-persistence.ts';
import { withTimeout } from '../../src/common/index.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mqtt-harness-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** The pid of a node process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid!;
  await withTimeout(new Promise((r) => child.once('exit', r)), 10_000, 'short child exit');
  await new Promise((r) => setTimeout(r, 20));
  return pid;
}

/** A node process that stays alive until killed. */
async function livePid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  await withTimeout(new Promise((r) => child.once('spawn', r)), 10_000, 'long child spawn');
  return child.pid!;
}

const lockFile = (dir: string) => join(dir, 'broker.lock');
const lockOwner = (dir: string) => parseLock(readFileSync(lockFile(dir), 'utf8'));
const retainedMsg = (payload: string) => ({
  topic: 'lock/t',
  payload: Buffer.from(payload),
  qos: 1 as const,
  retain: true,
});

describe('FilePersistence data-directory lock', () => {
  it('writes a JSON lock with our pid and a start time on load', async () => {
    const dir = freshDir();
    const p = new FilePersistence(dir);
    await p.load();
    const owner = lockOwner(dir)!;
    expect(owner.pid).toBe(process.pid);
    expect(Number.isNaN(Date.parse(owner.startedAt))).toBe(false);
    await p.close();
  });

  it('a second adapter on the same directory fails, naming the directory, the pid and the lock file', async () => {
    const dir = freshDir();
    const first = new FilePersistence(dir);
    await first.load();
    first.setRetained(retainedMsg('from-first'));
    await first.sync();
    const lockBefore = readFileSync(lockFile(dir), 'utf8');
    const second = new FilePersistence(dir);
    await expect(second.load()).rejects.toThrow(
      `FilePersistence: data directory ${dir} is locked by pid ${process.pid} (${lockFile(dir)}); another broker is using it`,
    );
    await second.close(); // must neither release the first one's lock nor write to its log
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(lockBefore);
    first.setRetained(retainedMsg('still-first'));
    await first.sync();
    await first.close();
    const third = new FilePersistence(dir);
    expect((await third.load()).retained.map((m) => m.payload.toString())).toEqual(['still-first']);
    await third.close();
  });

  it('fails when another live process holds the lock, naming that pid', async () => {
    const dir = freshDir();
    const pid = await livePid();
    writeFileSync(lockFile(dir), JSON.stringify({ pid, startedAt: new Date().toISOString(), id: 'other' }));
    const warnings: unknown[] = [];
    const p = new FilePersistence(dir, { onWarning: (_m, f) => warnings.push(f) });
    await expect(p.load()).rejects.toThrow(`is locked by pid ${pid} (${lockFile(dir)})`);
    await p.close();
    expect(lockOwner(dir)!.pid).toBe(pid);
    expect(warnings).toEqual([]);
    expect(existsSync(join(dir, 'broker.log'))).toBe(false);
  });

  it('takes over a lock whose pid is dead, and says so', async () => {
    const dir = freshDir();
    const pid = await deadPid();
    expect(pidAlive(pid)).toBe(false);
    writeFileSync(lockFile(dir), JSON.stringify({ pid, startedAt: '2020-01-01T00:00:00.000Z', id: 'old' }) + '\n');
    const warnings: { msg: string; fields: Record<string, unknown> }[] = [];
    const p = new FilePersistence(dir, { onWarning: (msg, fields) => warnings.push({ msg, fields }) });
    await p.load();
    expect(lockOwner(dir)!.pid).toBe(process.pid);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].msg).toMatch(/stale lock/);
    expect(warnings[0].fields).toMatchObject({ dir, reason: 'dead-pid', pid, lockPath: lockFile(dir) });
    await p.close();
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it.each([
    ['garbage', 'not json at all \u0000'],
    ['empty', ''],
    ['json without a pid', '{"startedAt":"x"}'],
    ['a negative pid', '{"pid":-1}'],
  ])('takes over a lock with %s content', async (_what, content) => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), content);
    const reasons: unknown[] = [];
    const p = new FilePersistence(dir, { onWarning: (_m, f) => reasons.push(f.reason) });
    await p.load();
    expect(reasons).toEqual(['garbage']);
    expect(lockOwner(dir)!.pid).toBe(process.pid);
    await p.close();
  });

  it('takes over a lock with our own pid that this process does not hold (pid reused after a restart)', async () => {
    const dir = freshDir();
    writeFileSync(
      lockFile(dir),
      JSON.stringify({ pid: process.pid, startedAt: '2020-01-01T00:00:00.000Z', id: 'previous-life' }),
    );
    const reasons: unknown[] = [];
    const p = new FilePersistence(dir, { onWarning: (_m, f) => reasons.push(f.reason) });
    await p.load();
    expect(reasons).toEqual(['own-pid-reused']);
    expect(lockOwner(dir)!.id).not.toBe('previous-life');
    await p.close();
  });

  it('close releases the lock and a new adapter loads what the first one wrote', async () => {
    const dir = freshDir();
    const first = new FilePersistence(dir);
    await first.load();
    first.putSession({
      clientId: 'c1',
      protocolLevel: 5,
      expiryInterval: 60,
      subscriptions: [{ filter: 'a/#', qos: 1 }],
    });
    first.setRetained(retainedMsg('kept'));
    await first.sync();
    await first.close();
    expect(existsSync(lockFile(dir))).toBe(false);
    const warnings: unknown[] = [];
    const second = new FilePersistence(dir, { onWarning: (_m, f) => warnings.push(f) });
    const s = await second.load();
    expect(warnings).toEqual([]);
    expect(s.sessions.map((x) => x.clientId)).toEqual(['c1']);
    expect(s.retained.map((m) => m.payload.toString())).toEqual(['kept']);
    await second.close();
  });

  it('close does not delete a lock that is no longer ours', async () => {
    const dir = freshDir();
    const p = new FilePersistence(dir);
    await p.load();
    const foreign = JSON.stringify({ pid: 424242, startedAt: new Date().toISOString(), id: 'someone-else' });
    writeFileSync(lockFile(dir), foreign);
    await p.close();
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(foreign);
  });
});

describe('acquireDirLock', () => {
  it('is exclusive within one process, release is idempotent and leaves no temp files', async () => {
    const dir = freshDir();
    const a = await acquireDirLock(dir);
    const err = await acquireDirLock(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirLockedError);
    expect(err).toMatchObject({ dir, pid: process.pid, lockPath: a.lockPath, startedAt: a.content.startedAt });
    await a.release();
    await a.release();
    expect(readdirSync(dir)).toEqual([]);
    const b = await acquireDirLock(dir, { name: 'x.lock' });
    expect(readdirSync(dir)).toEqual(['x.lock']);
    await b.release();
  });

  it('lets exactly one of several concurrent takers win a stale lock', async () => {
    const dir = freshDir();
    const stale = await deadPid();
    // Staggered starts (0..round ticks of the event loop apart) make the takers interleave differently.
    const ticks = (n: number) =>
      new Promise<void>((r) =>
        (function go(k: number) {
          if (k <= 0) r();
          else setImmediate(() => go(k - 1));
        })(n),
      );
    for (let round = 0; round < 12; round++) {
      writeFileSync(join(dir, 'dir.lock'), JSON.stringify({ pid: stale, startedAt: '', id: `r${round}` }));
      const results = await Promise.allSettled(
        [0, 1, 2, 3].map((i) => ticks(i * (round % 4)).then(() => acquireDirLock(dir))),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DirLockedError);
      await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireDirLock>>>).value.release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('uses the injected liveness probe', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'dir.lock'), JSON.stringify({ pid: 1, startedAt: '', id: 'init' }));
    await expect(acquireDirLock(dir, { isAlive: () => true })).rejects.toThrow('locked by pid 1');
    const lock = await acquireDirLock(dir, { isAlive: (pid) => pid !== 1 });
    expect(JSON.parse(readFileSync(lock.lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });
});

describe('leftovers of a crashed process', () => {
  it('the new lock owner removes temp files of dead pids, keeps those of live ones and unrelated files', async () => {
    const dir = freshDir();
    const dead = await deadPid();
    const live = await livePid();
    const names = [
      `broker.lock.${dead}.0a1b2c.tmp`,
      `broker.lock.takeover.${dead}.ffee00.tmp`,
      `broker.lock.${live}.123456.tmp`,
      'broker.log',
      `other.${dead}.aa.tmp`,
    ];
    for (const n of names) writeFileSync(join(dir, n), '{}');
    const lock = await acquireDirLock(dir, { name: 'broker.lock' });
    expect(readdirSync(dir).sort()).toEqual(
      ['broker.lock', `broker.lock.${live}.123456.tmp`, 'broker.log', `other.${dead}.aa.tmp`].sort(),
    );
    await lock.release();
  });
});

describe('makeDirs', () => {
  it('creates missing levels and names the directory it cannot create, at once', () => {
    const base = freshDir();
    expect(makeDirs(join(base, 'a', 'b'))).toEqual([join(base, 'a'), join(base, 'a', 'b')]);
    expect(makeDirs(join(base, 'a', 'b'))).toEqual([]);
    writeFileSync(join(base, 'file'), 'x');
    expect(() => makeDirs(join(base, 'file', 'sub'))).toThrow(
      /cannot create data directory .*file\/sub: .*not a directory/,
    );
    expect(() => makeDirs('/proc/mqtt-harness-no/such')).toThrow(
      /cannot create data directory \/proc\/mqtt-harness-no\/such: ENOENT/,
    );
  });
});
