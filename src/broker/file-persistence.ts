/**
 * Durable persistence: an append-only log of JSON lines in `<dir>/broker.log`, replayed on
 * load into a MemoryState. What it guarantees:
 * - `sync()` resolves only after every mutation recorded before it is written and fdatasynced
 *   (group commit: callers arriving while a flush is queued share it). The hot path is one
 *   write + one fdatasync per group; it never syncs the directory.
 * - A torn last line (crash mid-write) is ignored on load; a corrupt line elsewhere fails load.
 * - Compaction (on load, and when the log holds far more records than live state) writes a
 *   snapshot into `broker.log.tmp`, fsyncs it, renames it over the log and then fsyncs the
 *   directory, so a power loss cannot lose the rename or the new file's directory entry. The
 *   log is first created by that same path (rename + directory fsync); directories created by
 *   `load()` are fsynced into their parents.
 * - Any I/O error (write, fdatasync, compaction, directory fsync) is sticky: that `sync()` and
 *   every later one reject with it, so nothing is acknowledged as durable after a failure
 *   (restart the broker to recover from the last good log).
 * - `load()` takes an exclusive lock `<dir>/broker.lock` (see file-lock.ts): a second adapter
 *   or broker on the same directory fails with an error naming the directory and the owner's
 *   pid; a stale lock (dead pid, garbage content) is taken over and reported to `onWarning`.
 *   `close()` releases the lock if it is still ours.
 */
import { readFileSync, existsSync } from 'node:fs';
import { makeDirs, syncDirectory } from './fs-dirs.ts';

export { makeDirs, syncDirectory } from './fs-dirs.ts';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { acquireDirLock, DirLockedError, type DirLock, type StaleLockInfo } from './file-lock.ts';
import type { Message } from './message.ts';
import {
  MemoryState,
  type OutboundRecord,
  type PersistedState,
  type Persistence,
  type SessionRecord,
} from './persistence.ts';
import { applyRecord, encodeMsg, type Rec } from './file-log-records.ts';

export interface FilePersistenceOptions {
  /** Rewrite the log when it has more than this many records beyond twice the live count. */
  compactSlack?: number;
  /** fsyncs a directory (after creating the log or a directory, and after compaction's rename). */
  syncDir?: (dir: string) => Promise<void>;
  /** Told about recoverable oddities, e.g. a stale lock taken over. */
  onWarning?: (msg: string, fields: Record<string, unknown>) => void;
}

export class FilePersistence implements Persistence {
  readonly durable = true;
  private readonly state = new MemoryState();
  private readonly file: string;
  private fh: FileHandle | null = null;
  private pending: string[] = [];
  private records = 0;
  private tail: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | null = null;
  private scheduled = false;
  private closed = false;
  private loaded = false;
  private lock: DirLock | null = null;
  /** The first I/O error; sticky: every later sync() rejects with it. */
  private failure: Error | null = null;
  private readonly slack: number;
  private readonly syncDir: (dir: string) => Promise<void>;
  private readonly onWarning: FilePersistenceOptions['onWarning'];

  constructor(
    readonly dir: string,
    opts: FilePersistenceOptions = {},
  ) {
    this.file = join(dir, 'broker.log');
    this.slack = opts.compactSlack ?? 10_000;
    this.syncDir = opts.syncDir ?? syncDirectory;
    this.onWarning = opts.onWarning;
  }

  async load(): Promise<PersistedState> {
    if (this.loaded) return this.state.snapshot();
    if (this.closed) throw new Error(`FilePersistence: load() after close() (${this.dir})`);
    await this.makeDir();
    this.lock = await acquireDirLock(this.dir, { name: 'broker.lock', onStale: (i) => this.staleLock(i) }).catch(
      (e: unknown) => {
        if (e instanceof DirLockedError) {
          throw new Error(
            `FilePersistence: data directory ${this.dir} is locked by pid ${e.pid} (${e.lockPath}); another broker is using it`,
            { cause: e },
          );
        }
        throw new Error(`FilePersistence: cannot lock data directory ${this.dir}: ${(e as Error).message}`, {
          cause: e,
        });
      },
    );
    try {
      this.replay();
      await this.compact();
    } catch (e) {
      await this.lock.release().catch(() => undefined);
      this.lock = null;
      throw e;
    }
    this.loaded = true;
    return this.state.snapshot();
  }

  private staleLock(i: StaleLockInfo): void {
    this.onWarning?.('FilePersistence: took over a stale lock on the data directory', { dir: this.dir, ...i });
  }

  /** mkdir -p, then fsync the parent of every directory it created (deepest last). */
  private async makeDir(): Promise<void> {
    const created = makeDirs(this.dir);
    for (const d of created) await this.syncDir(dirname(d));
  }

  private replay(): void {
    if (existsSync(this.file)) {
      const lines = readFileSync(this.file, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line === '') continue;
        let rec: Rec;
        try {
          rec = JSON.parse(line) as Rec;
        } catch {
          if (i >= lines.length - 2) break; // torn final write
          throw new Error(`FilePersistence: corrupt record at ${this.file}:${i + 1}`);
        }
        applyRecord(this.state, rec);
        this.records++;
      }
    }
  }

  putSession(r: SessionRecord): void {
    this.state.putSession(r);
    this.append({
      t: 's',
      r: r.will ? { ...r, will: { ...r.will, msg: encodeMsg(r.will.msg) as unknown as Message } } : r,
    });
  }
  deleteSession(c: string): void {
    this.state.deleteSession(c);
    this.append({ t: 'sd', c });
  }
  putOutbound(c: string, o: OutboundRecord): void {
    this.state.putOutbound(c, o);
    this.append({ t: 'o', c, o: { ...o, msg: encodeMsg(o.msg) } });
  }
  removeOutbound(c: string, s: number): void {
    this.state.removeOutbound(c, s);
    this.append({ t: 'od', c, s });
  }
  addInbound(c: string, p: number): void {
    this.state.addInbound(c, p);
    this.append({ t: 'i', c, p });
  }
  removeInbound(c: string, p: number): void {
    this.state.removeInbound(c, p);
    this.append({ t: 'id', c, p });
  }
  setRetained(m: Message): void {
    this.state.setRetained(m);
    this.append({ t: 'r', m: encodeMsg(m) });
  }
  clearRetained(k: string): void {
    this.state.clearRetained(k);
    this.append({ t: 'rd', k });
  }

  /** Write everything recorded so far and fdatasync it. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.loaded) return Promise.reject(new Error(`FilePersistence: sync() before load() succeeded (${this.dir})`));
    if (this.waiting) return this.waiting;
    const p = this.tail.then(() => {
      this.waiting = null;
      return this.flush(true);
    });
    this.waiting = p;
    this.tail = p.catch(() => undefined);
    return p;
  }

  /** Flushes and fdatasyncs, closes the log and releases the lock; rejects if the flush failed. */
  async close(): Promise<void> {
    if (this.closed) return;
    let err: unknown = null;
    if (this.loaded) await this.sync().catch((e: unknown) => (err = e));
    this.closed = true;
    await this.tail;
    try {
      await this.fh?.close();
    } catch (e) {
      err ??= e;
    }
    this.fh = null;
    try {
      await this.lock?.release();
    } catch (e) {
      err ??= e;
    }
    this.lock = null;
    if (err !== null) throw err;
  }

  private append(rec: Rec): void {
    if (this.closed || !this.loaded) return;
    this.pending.push(JSON.stringify(rec) + '\n');
    this.records++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.tail = this.tail.then(() => this.flush(false)).catch(() => undefined); // kept in this.failure
      });
    }
  }

  private async flush(fsync: boolean): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.closed) return;
    try {
      // The log exists from load()'s compaction (created by rename + directory fsync), so this
      // open never creates a directory entry that would need its own directory fsync.
      const fh = (this.fh ??= await open(this.file, 'a'));
      if (this.pending.length > 0) {
        const data = this.pending.join('');
        this.pending = [];
        await fh.write(data);
      }
      if (fsync) await fh.datasync();
      if (this.records > 2 * this.state.liveCount() + this.slack) await this.compact();
    } catch (e) {
      this.failure ??= new Error(`FilePersistence: writing ${this.file} failed: ${(e as Error).message}`, { cause: e });
      throw this.failure;
    }
  }

  /** Rewrite the log as a snapshot of the live state. */
  private async compact(): Promise<void> {
    const tmp = this.file + '.tmp';
    const out = await open(tmp, 'w');
    const lines: string[] = [];
    const snap = this.state.snapshot();
    for (const r of snap.sessions) lines.push(JSON.stringify({ t: 's', r }));
    for (const [c, list] of snap.outbound)
      for (const o of list) lines.push(JSON.stringify({ t: 'o', c, o: { ...o, msg: encodeMsg(o.msg) } }));
    for (const [c, ids] of snap.inbound) for (const p of ids) lines.push(JSON.stringify({ t: 'i', c, p }));
    for (const m of snap.retained) lines.push(JSON.stringify({ t: 'r', m: encodeMsg(m) }));
    await out.write(lines.length ? lines.join('\n') + '\n' : '');
    await out.sync();
    await out.close();
    await this.fh?.close();
    this.fh = null;
    await rename(tmp, this.file);
    this.records = lines.length;
    await this.syncDir(this.dir); // makes the rename (and a first log's entry) durable
  }
}
