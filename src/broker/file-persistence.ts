/**
 * Durable persistence: an append-only log of JSON lines in `<dir>/broker.log`, replayed on
 * load into a MemoryState. `sync()` writes pending lines and fdatasyncs them (group commit:
 * callers arriving while a flush is queued share it). A torn last line (crash mid-write) is
 * ignored. When the log holds far more records than live state, it is rewritten as a
 * snapshot into a temp file, fsynced and renamed over the log.
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Properties } from '../codec/packet-types.ts';
import type { Message } from './message.ts';
import { MemoryState, type OutboundRecord, type PersistedState, type Persistence, type SessionRecord } from './persistence.ts';

type Rec =
  | { t: 's'; r: SessionRecord }
  | { t: 'sd'; c: string }
  | { t: 'o'; c: string; o: unknown }
  | { t: 'od'; c: string; s: number }
  | { t: 'i'; c: string; p: number }
  | { t: 'id'; c: string; p: number }
  | { t: 'r'; m: unknown }
  | { t: 'rd'; k: string };

export interface FilePersistenceOptions {
  /** Rewrite the log when it has more than this many records beyond twice the live count. */
  compactSlack?: number;
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
  private readonly slack: number;

  constructor(readonly dir: string, opts: FilePersistenceOptions = {}) {
    this.file = join(dir, 'broker.log');
    this.slack = opts.compactSlack ?? 10_000;
  }

  async load(): Promise<PersistedState> {
    mkdirSync(this.dir, { recursive: true });
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
        this.apply(rec);
        this.records++;
      }
    }
    await this.compact();
    return this.state.snapshot();
  }

  putSession(r: SessionRecord): void {
    this.state.putSession(r);
    this.append({ t: 's', r });
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
    if (this.waiting) return this.waiting;
    const p = this.tail.then(() => {
      this.waiting = null;
      return this.flush(true);
    });
    this.waiting = p;
    this.tail = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.sync();
    this.closed = true;
    await this.fh?.close();
    this.fh = null;
  }

  private append(rec: Rec): void {
    if (this.closed) return;
    this.pending.push(JSON.stringify(rec) + '\n');
    this.records++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.tail = this.tail.then(() => this.flush(false)).catch(() => undefined);
      });
    }
  }

  private async flush(fsync: boolean): Promise<void> {
    if (this.closed) return;
    const fh = (this.fh ??= await open(this.file, 'a'));
    if (this.pending.length > 0) {
      const data = this.pending.join('');
      this.pending = [];
      await fh.write(data);
    }
    if (fsync) await fh.datasync();
    if (this.records > 2 * this.state.liveCount() + this.slack) await this.compact();
  }

  /** Rewrite the log as a snapshot of the live state. */
  private async compact(): Promise<void> {
    const tmp = this.file + '.tmp';
    const out = await open(tmp, 'w');
    const lines: string[] = [];
    const snap = this.state.snapshot();
    for (const r of snap.sessions) lines.push(JSON.stringify({ t: 's', r }));
    for (const [c, list] of snap.outbound) for (const o of list) lines.push(JSON.stringify({ t: 'o', c, o: { ...o, msg: encodeMsg(o.msg) } }));
    for (const [c, ids] of snap.inbound) for (const p of ids) lines.push(JSON.stringify({ t: 'i', c, p }));
    for (const m of snap.retained) lines.push(JSON.stringify({ t: 'r', m: encodeMsg(m) }));
    await out.write(lines.length ? lines.join('\n') + '\n' : '');
    await out.sync();
    await out.close();
    await this.fh?.close();
    this.fh = null;
    await rename(tmp, this.file);
    this.records = lines.length;
  }

  private apply(rec: Rec): void {
    switch (rec.t) {
      case 's': return this.state.putSession(rec.r);
      case 'sd': return this.state.deleteSession(rec.c);
      case 'o': {
        const o = rec.o as OutboundRecord & { msg: EncodedMsg };
        return this.state.putOutbound(rec.c, { ...o, msg: decodeMsg(o.msg) });
      }
      case 'od': return this.state.removeOutbound(rec.c, rec.s);
      case 'i': return this.state.addInbound(rec.c, rec.p);
      case 'id': return this.state.removeInbound(rec.c, rec.p);
      case 'r': return this.state.setRetained(decodeMsg(rec.m as EncodedMsg));
      case 'rd': return this.state.clearRetained(rec.k);
    }
  }
}

interface EncodedMsg {
  topic: string;
  payload: string;
  qos: Message['qos'];
  retain: boolean;
  properties?: Record<string, unknown>;
  expiresAt?: number;
  publisher?: string;
}

function encodeMsg(m: Message): EncodedMsg {
  let properties: Record<string, unknown> | undefined;
  if (m.properties) {
    properties = { ...m.properties };
    if (m.properties.correlationData) properties.correlationData = { $b: m.properties.correlationData.toString('base64') };
  }
  return { topic: m.topic, payload: m.payload.toString('base64'), qos: m.qos, retain: m.retain, properties, expiresAt: m.expiresAt, publisher: m.publisher };
}

function decodeMsg(e: EncodedMsg): Message {
  let properties: Properties | undefined;
  if (e.properties) {
    const p = { ...e.properties } as Record<string, unknown>;
    const cd = p.correlationData as { $b: string } | undefined;
    if (cd) p.correlationData = Buffer.from(cd.$b, 'base64');
    properties = p as Properties;
  }
  const m: Message = { topic: e.topic, payload: Buffer.from(e.payload, 'base64'), qos: e.qos, retain: e.retain };
  if (properties) m.properties = properties;
  if (e.expiresAt !== undefined) m.expiresAt = e.expiresAt;
  if (e.publisher !== undefined) m.publisher = e.publisher;
  return m;
}
