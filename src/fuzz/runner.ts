/**
 * The fuzz loop: `concurrency` connections in flight at all times (a pool, no barrier between
 * batches); a control connection checks the broker every `batchCases` cases alongside them. A new
 * finding or a failed control check pauses the pool: once nothing is in flight, findings are
 * confirmed and shrunk alone, and a crash is narrowed to the connection that causes it.
 * Bounded by a frame count and a time budget.
 */
import { caseBuilder, FindingBook, versionOf } from './findings.ts';
import { runFrames } from './run-case.ts';
import type { FuzzOptions, FuzzResult } from './run-types.ts';

export type { FuzzOptions, FuzzResult, FuzzFinding, FuzzProgress } from './run-types.ts';

export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const t0 = performance.now();
  const conc = o.concurrency ?? 64;
  const batch = o.batchCases ?? 400;
  const timeoutMs = o.timeoutMs ?? 5000;
  const res: FuzzResult = {
    seed: o.seed,
    versions: o.versions.map(versionOf),
    framesSent: 0,
    cases: 0,
    connections: 0,
    batches: 0,
    controlChecks: 0,
    elapsedMs: 0,
    framesPerSecond: 0,
    tried: {},
    outcomes: {},
    findings: [],
    advisories: [],
  };
  const elapsed = (): number => performance.now() - t0;
  const caseAt = caseBuilder(o, o.maxChain ?? 8);
  const book = new FindingBook(o, res, elapsed, caseAt);
  const progress = (): void => {
    const ms = elapsed();
    o.onProgress?.({
      framesSent: res.framesSent,
      cases: res.cases,
      findings: res.findings.length,
      elapsedMs: ms,
      framesPerSecond: res.framesSent / Math.max(ms / 1000, 1e-3),
    });
  };
  const more = (): boolean => res.framesSent < o.frames && elapsed() < o.budgetMs;
  const levelAt = (i: number) => o.versions[i % o.versions.length];

  let next = 0;
  /** Start indices of the connections in flight. */
  const inFlight = new Set<number>();
  /** Every connection that started before this index had finished when the last good control check began. */
  let clearedBefore = 0;
  let nextCheckAt = batch;
  let checking: Promise<void> | undefined;
  let controlFailed = false;
  let paused = false;

  const control = (): void => {
    const startedAt = inFlight.size > 0 ? Math.min(...inFlight) : next;
    res.controlChecks++;
    res.batches++;
    progress();
    checking = book.aliveCheck(levelAt(res.batches)).then((ok) => {
      checking = undefined;
      if (ok) clearedBefore = Math.max(clearedBefore, startedAt);
      else controlFailed = paused = true;
    });
  };
  const worker = async (): Promise<void> => {
    while (!paused && more()) {
      const c = caseAt(next);
      const i = next;
      next += c.chained ?? 1;
      inFlight.add(i);
      const r = await runFrames(o.target, c.frames, c.level, timeoutMs);
      inFlight.delete(i);
      book.record(c, r, c.mutations ?? [c.mutation]);
      if (book.pending.length > 0) paused = true;
      if (next >= nextCheckAt && checking === undefined) {
        nextCheckAt = next + batch;
        control();
      }
    }
  };

  for (let round = 0; more(); round++) {
    paused = false;
    await Promise.all(Array.from({ length: conc }, worker));
    if (checking) await checking;
    // Nothing in flight: findings of this stretch are confirmed and shrunk alone.
    await book.drain();
    if (!controlFailed && more()) continue;
    // A control check failed (or the run is over): check again, now with nothing else running.
    if (!controlFailed) break;
    controlFailed = false;
    res.controlChecks++;
    if (await book.aliveCheck(levelAt(round))) continue;
    await book.handleCrash(clearedBefore, next);
    clearedBefore = next;
    if (!o.restart) {
      res.stoppedBecause = 'the broker stopped answering the control connection';
      break;
    }
  }
  // The last control check, after the last case.
  if (!res.stoppedBecause) {
    res.controlChecks++;
    res.batches++;
    if (!(await book.aliveCheck(levelAt(res.batches)))) {
      await book.handleCrash(clearedBefore, next);
      if (!o.restart) res.stoppedBecause = 'the broker stopped answering the control connection';
    }
  }
  res.elapsedMs = elapsed();
  res.framesPerSecond = res.framesSent / Math.max(res.elapsedMs / 1000, 1e-3);
  progress();
  return res;
}
