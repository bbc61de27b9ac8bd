/**
 * An exclusive, pid-stamped lock file guarding a directory against a second owner (pure fs).
 *
 * The lock is `<dir>/<name>` holding JSON `{"pid","startedAt","id"}`. It is published
 * atomically: the JSON is written to a fresh temp file opened with `wx`, then hard-linked to the
 * lock path (link() fails with EEXIST when the lock exists), so nobody ever sees a half-written
 * lock. An existing lock is stale when its content is unreadable/garbage, its pid is dead
 * (`process.kill(pid, 0)` fails with ESRCH, or /proc says zombie), or its pid is this very process while this process
 * holds no such lock (a restarted container reusing the old pid). A stale lock is removed only
 * under the takeover guard `<lock>.takeover` (itself created exclusively), after checking it is
 * still the lock that was judged stale; then the create is retried. A live owner gives a
 * DirLockedError. A guard left by a crash mid-takeover is cleared when its pid is dead or it is
 * older than 10 s.
 * `release()` deletes the lock only if it still holds our own content.
 * Limits: a live but unrelated process that reuses a dead owner's pid keeps the lock held (the
 * error names the pid so an operator can check and delete the file); no cross-host safety.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

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
  constructor(
    readonly dir: string,
    readonly lockPath: string,
    readonly pid: number,
    readonly startedAt: string | undefined,
  ) {
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
  const content: LockContent = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    id: randomBytes(8).toString('hex'),
  };
  const text = JSON.stringify(content) + '\n';
  ours.add(text);
  try {
    await takeLock(lockPath, text, dir, opts);
  } catch (e) {
    ours.delete(text);
    throw e;
  }
  await removeStaleTemps(dir, lockPath, opts.isAlive ?? pidAlive);
  let released = false;
  return {
    lockPath,
    content,
    release: async () => {
      if (released) return;
      released = true;
      ours.delete(text);
      const now = await readFile(lockPath, 'utf8').catch(() => null);
      if (now === text)
        await unlink(lockPath).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
    },
  };
}

/** How often a taker re-examines the lock while another one holds the takeover guard, and for how long. */
const RETRY_MS = 5;
const MAX_ATTEMPTS = 400;

async function takeLock(lockPath: string, text: string, dir: string, opts: AcquireOptions): Promise<void> {
  const isAlive = opts.isAlive ?? pidAlive;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await tryCreate(lockPath, text)) return;
    const existing = await readFile(lockPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null; // released meanwhile: just retry
      throw e;
    });
    if (existing === null) continue;
    const owner = parseLock(existing);
    const reason: StaleLockInfo['reason'] | undefined =
      owner === undefined
        ? 'garbage'
        : owner.pid === process.pid
          ? ours.has(existing)
            ? undefined
            : 'own-pid-reused'
          : isAlive(owner.pid)
            ? undefined
            : 'dead-pid';
    if (reason === undefined) throw new DirLockedError(dir, lockPath, owner!.pid, owner!.startedAt || undefined);
    const removed = await removeIfSame(lockPath, existing, text, isAlive);
    if (removed === 'removed') opts.onStale?.({ lockPath, reason, content: existing.slice(0, 200), pid: owner?.pid });
    else if (removed === 'busy') await new Promise((r) => setTimeout(r, RETRY_MS));
  }
  throw new Error(
    `cannot take over stale lock ${lockPath}: another process kept taking it over for ${(RETRY_MS * MAX_ATTEMPTS) / 1000} s`,
  );
}

/** A takeover guard older than this is left from a crash in the middle of a takeover. */
const GUARD_STALE_MS = 10_000;

/**
 * Removes the lock at `lockPath` only if it still holds `expected`. Every remover first takes the
 * guard `<lock>.takeover` (created exclusively), so the check and the unlink happen with no other
 * remover in between; creators need no guard, as link() only succeeds on an empty path.
 * 'busy' when another taker holds the guard, 'changed' when the lock is no longer `expected`.
 */
async function removeIfSame(
  lockPath: string,
  expected: string,
  text: string,
  isAlive: (pid: number) => boolean,
): Promise<'removed' | 'changed' | 'busy'> {
  const guard = `${lockPath}.takeover`;
  if (!(await tryCreate(guard, text))) {
    await clearDeadGuard(guard, isAlive);
    return 'busy';
  }
  try {
    const now = await readFile(lockPath, 'utf8').catch(() => null);
    if (now !== expected) return 'changed';
    await unlink(lockPath);
    return 'removed';
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/** A guard whose owner died (or that is older than GUARD_STALE_MS) is removed. */
async function clearDeadGuard(guard: string, isAlive: (pid: number) => boolean): Promise<void> {
  const [text, st] = await Promise.all([readFile(guard, 'utf8').catch(() => null), stat(guard).catch(() => null)]);
  if (text === null || st === null) return;
  const owner = parseLock(text);
  const dead =
    owner === undefined ? Date.now() - st.mtimeMs > GUARD_STALE_MS : owner.pid !== process.pid && !isAlive(owner.pid);
  if (dead || Date.now() - st.mtimeMs > GUARD_STALE_MS) await unlink(guard).catch(() => undefined);
}

/**
 * Temp files `<lock>.<pid>.<hex>.tmp` (and `<lock>.takeover.<pid>.<hex>.tmp`) left by a process
 * that died between writing and unlinking one (see tryCreate). Called by the lock's new owner,
 * so it removes those of dead pids only; returns how many it removed.
 */
export async function removeStaleTemps(
  dir: string,
  lockPath: string,
  isAlive: (pid: number) => boolean = pidAlive,
): Promise<number> {
  const base = basename(lockPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${base}(?:\\.takeover)?\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    await unlink(join(dir, name)).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
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
