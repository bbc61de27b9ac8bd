/**
 * An exclusive, pid-stamped lock file guarding a directory against a second owner (pure fs).
 *
 * The lock is `<dir>/<name>` holding JSON `{"pid","startedAt","id"}`. It is published
 * atomically: the JSON is written to a fresh temp file opened with `wx`, then hard-linked to the
 * lock path (link() fails with EEXIST when the lock exists), so nobody ever sees a half-written
 * lock. An existing lock is stale when its content is unreadable/garbage, its pid is dead
 * (`process.kill(pid, 0)` fails with ESRCH, or /proc says zombie), or its pid is this very process while this process
 * holds no such lock (a restarted container reusing the old pid). A stale lock is moved aside
 * with rename() (only one racer wins the move), checked to be the same lock that was judged
 * stale, deleted, and the create is retried once; a live owner gives a DirLockedError.
 * `release()` deletes the lock only if it still holds our own content.
 * Limits: a live but unrelated process that reuses a dead owner's pid keeps the lock held (the
 * error names the pid so an operator can check and delete the file); no cross-host safety.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface LockContent {
  pid: number;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Random token telling this lock apart from another taken by the same pid. */
  id: string;
}

export interface StaleLockInfo {
  lockPath: string;
  /** Why the old lock was judged stale. */
  reason: 'dead-pid' | 'garbage' | 'own-pid-reused';
  /** The old lock's raw content (truncated to 200 characters). */
  content: string;
  pid?: number;
}

export interface AcquireOptions {
  /** Lock file name inside the directory; default "dir.lock". */
  name?: string;
  /** Told when a stale lock is taken over. */
  onStale?: (info: StaleLockInfo) => void;
  /** Liveness probe; default `process.kill(pid, 0)` (only ESRCH means dead). */
  isAlive?: (pid: number) => boolean;
}

export interface DirLock {
  readonly lockPath: string;
  readonly content: LockContent;
  /** Deletes the lock file if it still holds our content; safe to call twice. */
  release(): Promise<void>;
}

export class DirLockedError extends Error {
  constructor(readonly dir: string, readonly lockPath: string, readonly pid: number, readonly startedAt: string | undefined) {
    super(`directory ${dir} is locked by pid ${pid} (${lockPath})`);
    this.name = 'DirLockedError';
  }
}

/** Contents of the locks this process holds or is taking (tells "mine" from "my pid, reused"). */
const ours = new Set<string>();

/** `process.kill(pid, 0)` liveness (only ESRCH means dead); on Linux a zombie counts as dead. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, owned by someone else
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc: trust kill()
  }
}

/** Parses lock content; undefined when it is not a lock we understand. */
export function parseLock(text: string): LockContent | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockContent> | null;
    if (v === null || typeof v !== 'object' || !Number.isSafeInteger(v.pid) || (v.pid as number) <= 0) return undefined;
    return { pid: v.pid as number, startedAt: String(v.startedAt ?? ''), id: String(v.id ?? '') };
  } catch {
    return undefined;
  }
}

/** Takes the lock on `dir` (which must exist), or throws DirLockedError naming the live owner. */
export async function acquireDirLock(dir: string, opts: AcquireOptions = {}): Promise<DirLock> {
  const lockPath = resolve(join(dir, opts.name ?? 'dir.lock'));
  const content: LockContent = { pid: process.pid, startedAt: new Date().toISOString(), id: randomBytes(8).toString('hex') };
  const text = JSON.stringify(content) + '\n';
  ours.add(text);
  try {
    await takeLock(lockPath, text, dir, opts);
  } catch (e) {
    ours.delete(text);
    throw e;
  }
  let released = false;
  return {
    lockPath,
    content,
    release: async () => {
      if (released) return;
      released = true;
      ours.delete(text);
      const now = await readFile(lockPath, 'utf8').catch(() => null);
      if (now === text) await unlink(lockPath).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    },
  };
}

async function takeLock(lockPath: string, text: string, dir: string, opts: AcquireOptions): Promise<void> {
  const isAlive = opts.isAlive ?? pidAlive;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, text)) return;
    const existing = await readFile(lockPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null; // released meanwhile: just retry
      throw e;
    });
    if (existing !== null) {
      const owner = parseLock(existing);
      const reason: StaleLockInfo['reason'] | undefined =
        owner === undefined ? 'garbage' : owner.pid === process.pid ? (ours.has(existing) ? undefined : 'own-pid-reused') : isAlive(owner.pid) ? undefined : 'dead-pid';
      if (reason === undefined) throw new DirLockedError(dir, lockPath, owner!.pid, owner!.startedAt || undefined);
      if (attempt >= 1) throw new Error(`cannot take over stale lock ${lockPath}: it keeps reappearing`);
      if (await removeIfSame(lockPath, existing)) opts.onStale?.({ lockPath, reason, content: existing.slice(0, 200), pid: owner?.pid });
    } else if (attempt >= 1) {
      throw new Error(`cannot create lock ${lockPath}: it keeps disappearing and reappearing`);
    }
  }
}

/** Publishes `text` at `lockPath` unless something is there already; false on EEXIST. */
async function tryCreate(lockPath: string, text: string): Promise<boolean> {
  const tmp = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(text);
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, lockPath);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Removes the lock at `lockPath` only if it still holds `expected`: moves it aside (one racer
 * wins), and puts it back when it turned out to be a different (fresh) lock. True if removed.
 */
async function removeIfSame(lockPath: string, expected: string): Promise<boolean> {
  const aside = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // someone else moved it
    throw e;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== expected) {
    await link(aside, lockPath).catch(() => undefined); // not ours to remove: restore it
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside);
  return true;
}
