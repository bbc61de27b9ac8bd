/**
 * Merges the parts' histories without holding them: each part's history.jsonl is already in
 * time order, so a k-way merge by (time, part) gives the same order as sorting everything
 * (ties: part, then local order). Each op is renumbered, written to the merged history.jsonl
 * and routed to its device chunk (a temporary file of JSON lines) or, when it is the hubs' own,
 * kept in memory as shared. The checkers then read one chunk at a time (check-chunked.ts).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fromJsonLines, type Op } from '../../checker/index.ts';
import { ownerOf } from './check-chunked.ts';

/** A part whose history is not in time order: the caller merges in memory instead. */
export class UnorderedPart extends Error {}

export interface StreamedHistory {
  ops: number;
  /** Distinct (hub, message) receipts: hub names without their slice suffix. */
  distinctReceived: number;
  shared: Op[];
  /** The device chunks, read one at a time. */
  chunks(): Iterable<Op[]>;
  dispose(): void;
}

/** The lines of a file, read in 1 MB blocks. */
function* lines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const dec = new StringDecoder('utf8');
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      const text = rest + (n > 0 ? dec.write(buf.subarray(0, n)) : dec.end());
      const parts = text.split('\n');
      rest = n > 0 ? parts.pop()! : '';
      for (const l of parts) if (l.trim() !== '') yield l;
      if (n === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

function parse(line: string, file: string, k: number): Op {
  try {
    return fromJsonLines(line)[0];
  } catch (e) {
    throw new Error(`${file}: op ${k + 1}: ${(e as Error).message.replace(/^history line 1: /, '')}`, { cause: e });
  }
}

export function streamHistories(
  partDirs: readonly string[],
  hubs: ReadonlySet<string>,
  o: { historyFile?: string; chunkSize?: number; tmpDir?: string } = {},
): StreamedHistory {
  const chunkSize = o.chunkSize ?? 400;
  const tmp = mkdtempSync(join(o.tmpDir ?? tmpdir(), '.fleet-merge-'));
  const out = o.historyFile === undefined ? undefined : openSync(o.historyFile, 'w');
  const chunkOf = new Map<string, number>();
  const bufs: string[] = [];
  const fds: number[] = [];
  const shared: Op[] = [];
  const distinct = new Set<string>();
  let outBuf = '';
  let n = 0;
  const flush = (c: number) => {
    if (fds[c] === undefined) fds[c] = openSync(join(tmp, `c${c}.jsonl`), 'w');
    writeSync(fds[c], bufs[c]);
    bufs[c] = '';
  };
  try {
    const files = partDirs.map((d) => join(d, 'history.jsonl'));
    const its = files.map((f) => lines(f));
    const counts = files.map(() => 0);
    const heads: (Op | undefined)[] = its.map((it, p) => {
      const r = it.next();
      return r.done ? undefined : parse(r.value, files[p], counts[p]++);
    });
    for (;;) {
      let p = -1;
      for (let q = 0; q < heads.length; q++)
        if (heads[q] !== undefined && (p < 0 || heads[q]!.time < heads[p]!.time)) p = q;
      if (p < 0) break;
      const op = heads[p]!;
      const r = its[p].next();
      heads[p] = r.done ? undefined : parse(r.value, files[p], counts[p]++);
      if (heads[p] !== undefined && heads[p]!.time < op.time)
        throw new UnorderedPart(`${files[p]} is not in time order at op ${counts[p]}`);
      op.index = n++;
      const line = JSON.stringify(op) + '\n';
      if (out !== undefined) {
        outBuf += line;
        if (outBuf.length >= 1 << 18) {
          writeSync(out, outBuf);
          outBuf = '';
        }
      }
      if (op.f === 'receive' && hubs.has(op.process) && op.value.msgId)
        distinct.add(`${op.process.replace(/-s\d+w\d+b\d+$/, '')}|${op.value.msgId}`);
      const owner = ownerOf(op, hubs);
      if (owner === undefined) {
        shared.push(op);
        continue;
      }
      let c = chunkOf.get(owner);
      if (c === undefined) chunkOf.set(owner, (c = Math.floor(chunkOf.size / chunkSize)));
      bufs[c] = (bufs[c] ?? '') + line;
      if (bufs[c].length >= 1 << 16) flush(c);
    }
    if (out !== undefined && outBuf !== '') writeSync(out, outBuf);
    for (let c = 0; c < bufs.length; c++) if (bufs[c]) flush(c);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    if (out !== undefined) closeSync(out);
    for (const fd of fds) if (fd !== undefined) closeSync(fd);
  }
  const count = fds.length;
  return {
    ops: n,
    distinctReceived: distinct.size,
    shared,
    *chunks() {
      for (let c = 0; c < count; c++) yield fromJsonLines(readFileSync(join(tmp, `c${c}.jsonl`), 'utf8'));
    },
    dispose: () => rmSync(tmp, { recursive: true, force: true }),
  };
}
