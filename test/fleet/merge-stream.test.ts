/**
 * The streamed merge (k-way by time, one chunk of devices in memory at a time) must equal the
 * in-memory merge: the same merged history, the same verdicts, counts, violation keys and
 * witnesses; a part out of time order is refused so the caller can merge in memory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toJsonLines, type Op } from '../../src/checker/index.ts';
import { checkChunks, checkFleet } from '../../src/fleet/results/check-chunked.ts';
import { mergeHistories } from '../../src/fleet/results/merge.ts';
import { streamHistories, UnorderedPart } from '../../src/fleet/results/merge-stream.ts';
import { HB } from '../checker/history-builder.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes the ops as parts: part k holds the processes whose number is k mod n (hubs in part 0), renumbered locally. */
function parts(ops: readonly Op[], n: number): string[] {
  const root = mkdtempSync(join(tmpdir(), 'merge-stream-'));
  dirs.push(root);
  const of = (op: Op) => {
    const owner = op.process === 'nemesis' ? (op.value.clientId ?? '') : op.process;
    const m = /(\d+)$/.exec(owner);
    return m ? Number(m[1]) % n : 0;
  };
  return Array.from({ length: n }, (_, k) => {
    const dir = join(root, `p${k}`);
    mkdirSync(dir);
    const mine = ops.filter((op) => of(op) === k).map((op, index) => ({ ...op, index }));
    writeFileSync(join(dir, 'history.jsonl'), toJsonLines(mine));
    return dir;
  });
}

function fleetHistory(): HB {
  const h = new HB().connect('hub', { clean: false, persistent: true }).subscribe('hub', 'f/+/t', 1);
  for (let d = 0; d < 9; d++) h.connect(`d${d}`, { clean: false, persistent: true });
  for (let k = 0; k < 4; k++)
    for (let d = 0; d < 9; d++) {
      h.publish(`d${d}`, `d${d}:${k}`, `f/d${d}/t`, 1);
      if (!(d === 4 && k === 2)) h.recv('hub', `d${d}:${k}`, `f/d${d}/t`, 1);
    }
  return h;
}

describe('streamed merge of fleet parts', () => {
  it('equals the in-memory merge: history, verdicts, counts, violations and witness', () => {
    const ds = parts(fleetHistory().ops, 3);
    const hubs = new Set(['hub']);
    const names = ['qos1-at-least-once', 'ordered-topics', 'session-resume'] as const;
    const out = join(dirs[0], 'history.jsonl');
    const s = streamHistories(ds, hubs, { historyFile: out, chunkSize: 2 });
    const streamed = checkChunks(s.chunks(), s.shared, names, { missingOps: 0 });
    s.dispose();
    const whole = mergeHistories(ds);
    const memory = checkFleet(whole, names, hubs, {}, 2);
    expect(readFileSync(out, 'utf8')).toBe(toJsonLines(whole));
    expect(s.ops).toBe(whole.length);
    expect(s.distinctReceived).toBe(35);
    const view = (rs: typeof memory) =>
      rs.map((r) => [
        r.checker,
        r.verdict,
        r.checked,
        r.unknown,
        r.violations?.map((v) => v.key),
        r.witness?.map((o) => o.index),
      ]);
    expect(view(streamed)).toEqual(view(memory));
    expect(streamed[0].verdict).toBe('invalid');
  });

  it('refuses a part out of time order (the caller then merges in memory)', () => {
    const ops = fleetHistory().ops;
    const [d] = parts(ops, 1);
    const shuffled = [...ops].reverse().map((op, index) => ({ ...op, index }));
    writeFileSync(join(d, 'history.jsonl'), toJsonLines(shuffled));
    expect(() => streamHistories([d], new Set(['hub']))).toThrow(UnorderedPart);
  });
});
