/**
 * The parts' histories merged into one and judged: streamed (merge-stream.ts; one chunk of
 * devices in memory at a time), or in memory when a part is out of time order. Either way the
 * merged history is written to DIR/history.jsonl and every checker runs on the whole.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fromJsonLines, toJsonLines, type CheckResult, type CheckerName, type Op } from '../../checker/index.ts';
import { checkChunks, checkFleet } from './check-chunked.ts';
import { streamHistories, UnorderedPart } from './merge-stream.ts';

/** All parts' histories as one, ordered by time (ties: part, then local order), renumbered in place. */
export function mergeHistories(dirs: readonly string[]): Op[] {
  const all: (Op & { _p?: number })[] = [];
  dirs.forEach((d, p) => {
    for (const op of fromJsonLines(readFileSync(join(d, 'history.jsonl'), 'utf8'))) {
      (op as Op & { _p?: number })._p = p;
      all.push(op);
    }
  });
  all.sort((a, b) => a.time - b.time || a._p! - b._p! || a.index - b.index);
  all.forEach((op, index) => {
    op.index = index;
    delete op._p;
  });
  return all;
}

/** Writes a history as JSON lines without building one huge string. */
export function writeHistory(file: string, ops: readonly Op[]): void {
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < ops.length; i += 5000) writeSync(fd, toJsonLines(ops.slice(i, i + 5000)));
  } finally {
    closeSync(fd);
  }
}

/**
 * Merges the histories (streamed: one chunk of devices in memory at a time; in memory when a
 * part is out of time order), writes the merged history and runs the checkers on the whole.
 */
export function judgeHistories(
  partDirs: readonly string[],
  hubs: ReadonlySet<string>,
  o: { checks: readonly CheckerName[]; version: '3.1.1' | '5.0'; out?: string },
  endTime: number,
): { results: CheckResult[]; ops: number; distinctReceived: number } {
  const historyFile = o.out ? join(o.out, 'history.jsonl') : undefined;
  const opts = { version: o.version, endTime };
  try {
    const h = streamHistories(partDirs, hubs, { historyFile, tmpDir: o.out });
    try {
      // The merged history is numbered 0..n-1 with no gaps.
      const results = checkChunks(h.chunks(), h.shared, o.checks, { ...opts, missingOps: 0 });
      return { results, ops: h.ops, distinctReceived: h.distinctReceived };
    } finally {
      h.dispose();
    }
  } catch (e) {
    if (!(e instanceof UnorderedPart)) throw e;
  }
  const history = mergeHistories(partDirs);
  if (historyFile) writeHistory(historyFile, history);
  const distinct = new Set<string>();
  for (const op of history)
    if (op.f === 'receive' && hubs.has(op.process) && op.value.msgId)
      distinct.add(`${op.process.replace(/-s\d+w\d+b\d+$/, '')}|${op.value.msgId}`);
  const results = checkFleet(history, o.checks, hubs, opts);
  return { results, ops: history.length, distinctReceived: distinct.size };
}
