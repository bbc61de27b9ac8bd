/**
 * The fuzz loop: cases in parallel over fresh connections, a control connection after each
 * batch, findings confirmed and shrunk by replay. Bounded by a frame count and a time budget.
 */
import { scrubSecrets } from '../common/redact.ts';
import type { StatementRef } from '../spec/types.ts';
import { buildCase, PINGREQ, type FuzzCase } from './cases.ts';
import type { FuzzLevel } from './grammar.ts';
import { describeStatements, expectationOf, type FindingKind } from './oracle.ts';
import { gherkin, hexLines } from './render.ts';
import { controlCheck, runFrames, type CaseResult, type Target } from './run-case.ts';
import { shrinkAsync } from './shrink.ts';

export interface FuzzOptions {
  target: Target;
  seed: number;
  versions: FuzzLevel[];
  /** Stop after this many frames sent. */
  frames: number;
  budgetMs: number;
  concurrency?: number;
  batchCases?: number;
  /** Per-connection answer timeout. */
  timeoutMs?: number;
  maxFillers?: number;
  /** Findings shrunk in full (others of the same signature are counted). */
  maxShrunk?: number;
  maxShrinkAttempts?: number;
  /** Bring a crashed broker back (embedded runs); without it a crash ends the run. */
  restart?: () => Promise<void>;
  onProgress?: (p: FuzzProgress) => void;
}

export interface FuzzProgress {
  framesSent: number;
  cases: number;
  findings: number;
  elapsedMs: number;
  framesPerSecond: number;
}

export interface FuzzFinding {
  kind: FindingKind;
  signature: string;
  statements: string[];
  version: '3.1.1' | '5.0';
  seed: number;
  caseIndex: number;
  mutation: string;
  expected: string;
  observed: string;
  occurrences: number;
  /** Minimal frames as hex (passwords redacted), and the original frame count. */
  hex: string[];
  originalFrames: number;
  shrinkAttempts: number;
  gherkin: string;
}

export interface FuzzResult {
  seed: number;
  versions: string[];
  framesSent: number;
  cases: number;
  batches: number;
  controlChecks: number;
  elapsedMs: number;
  framesPerSecond: number;
  /** What was tried: cases per mutation name. */
  tried: Record<string, number>;
  outcomes: Record<string, number>;
  findings: FuzzFinding[];
  advisories: {
    signature: string;
    statements: string[];
    expected: string;
    observed: string;
    occurrences: number;
    example: { seed: number; caseIndex: number };
  }[];
  /** Set when the broker went down and the run could not go on. */
  stoppedBecause?: string;
}

const versionOf = (l: FuzzLevel): '3.1.1' | '5.0' => (l === 5 ? '5.0' : '3.1.1');
const ids = (s: readonly StatementRef[]): string[] => s.map((x) => x.id);

export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const t0 = performance.now();
  const conc = o.concurrency ?? 64;
  const batch = o.batchCases ?? 400;
  const timeoutMs = o.timeoutMs ?? 5000;
  const maxShrunk = o.maxShrunk ?? 10;
  const secrets = o.target.password ? [o.target.password.toString('utf8')] : [];
  const res: FuzzResult = {
    seed: o.seed,
    versions: o.versions.map(versionOf),
    framesSent: 0,
    cases: 0,
    batches: 0,
    controlChecks: 0,
    elapsedMs: 0,
    framesPerSecond: 0,
    tried: {},
    outcomes: {},
    findings: [],
    advisories: [],
  };
  const bySig = new Map<string, FuzzFinding>();
  const advBySig = new Map<string, FuzzResult['advisories'][number]>();
  const pending: { c: FuzzCase; r: CaseResult }[] = [];
  const elapsed = (): number => performance.now() - t0;
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
  const caseOpts = { maxFillers: o.maxFillers, username: o.target.username, password: o.target.password };
  let next = 0;

  const record = (c: FuzzCase, r: CaseResult): void => {
    res.cases++;
    res.framesSent += c.frames.length;
    res.tried[c.mutation] = (res.tried[c.mutation] ?? 0) + 1;
    res.outcomes[r.judgement.outcome] = (res.outcomes[r.judgement.outcome] ?? 0) + 1;
    const a = r.judgement.advisory;
    if (a) {
      const sig = `${describeStatements(a.statements)}|${a.expected.split(':')[0]}|${a.observed}`;
      const ex = advBySig.get(sig);
      if (ex) ex.occurrences++;
      else {
        const entry = {
          signature: sig,
          statements: ids(a.statements),
          expected: a.expected,
          observed: a.observed,
          occurrences: 1,
          example: { seed: o.seed, caseIndex: c.index },
        };
        advBySig.set(sig, entry);
        res.advisories.push(entry);
      }
    }
    if (r.judgement.finding) pending.push({ c, r });
  };

  let stop = false;
  while (!stop && res.framesSent < o.frames && elapsed() < o.budgetMs) {
    // One batch: `batch` cases, `conc` at a time.
    const first = next;
    const end = next + batch;
    const worker = async (): Promise<void> => {
      while (next < end && res.framesSent < o.frames && elapsed() < o.budgetMs) {
        const i = next++;
        const c = buildCase(o.seed, i, o.versions[i % o.versions.length], caseOpts);
        const r = await runFrames(o.target, c.frames, c.level, timeoutMs);
        record(c, r);
      }
    };
    await Promise.all(Array.from({ length: conc }, worker));
    res.batches++;
    progress();
    // Findings of this batch: confirm by replay (alone), then shrink.
    for (const { c, r } of pending.splice(0)) await handleFinding(c, r);
    res.controlChecks++;
    const alive = await aliveCheck();
    if (!alive) {
      await handleCrash(first, next);
      if (!o.restart) {
        res.stoppedBecause = 'the broker stopped answering the control connection';
        stop = true;
      }
    }
    if (bySig.size > 0 && [...bySig.values()].some((f) => f.kind === 'crash') && !o.restart) stop = true;
  }
  res.elapsedMs = elapsed();
  res.framesPerSecond = res.framesSent / Math.max(res.elapsedMs / 1000, 1e-3);
  progress();
  return res;

  async function aliveCheck(): Promise<boolean> {
    const lv = o.versions[res.batches % o.versions.length];
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await controlCheck(o.target, lv, `fz-control-${o.seed.toString(36)}`, 3000 * (attempt + 1));
      if (r.ok || r.refused) return true;
    }
    return false;
  }

  async function handleFinding(c: FuzzCase, r: CaseResult): Promise<void> {
    const f = r.judgement.finding!;
    const sig = `${f.kind}|${describeStatements(f.statements)}|${c.mutation.split(':')[0]}`;
    const seen = bySig.get(sig);
    if (seen) {
      seen.occurrences++;
      return;
    }
    const body = c.frames.slice(0, -1);
    const slow = f.kind === 'hang' || f.observed.startsWith('neither');
    const same = async (frames: Buffer[]): Promise<boolean> => {
      if (elapsed() > o.budgetMs) return false;
      const rr = await runFrames(o.target, [...frames, PINGREQ], c.level, Math.min(timeoutMs, 2000));
      const g = rr.judgement.finding;
      return g !== undefined && g.kind === f.kind && g.statements[0]?.id === f.statements[0]?.id;
    };
    // Confirm alone (a loaded broker may be slow: a hang must repeat with twice the timeout).
    const again = await runFrames(o.target, c.frames, c.level, f.kind === 'hang' ? timeoutMs * 2 : timeoutMs);
    if (!again.judgement.finding || again.judgement.finding.kind !== f.kind) {
      res.outcomes['not-reproduced'] = (res.outcomes['not-reproduced'] ?? 0) + 1;
      return;
    }
    let frames = body;
    let attempts = 0;
    if (bySig.size < maxShrunk) {
      const s = await shrinkAsync(body, same, Math.min(o.maxShrinkAttempts ?? 200, slow ? 40 : 200));
      frames = s.frames;
      attempts = s.attempts;
    }
    addFinding(sig, f.kind, f.statements, c, frames, attempts, f.expected, f.observed);
  }

  function addFinding(
    sig: string,
    kind: FindingKind,
    statements: readonly StatementRef[],
    c: FuzzCase,
    frames: Buffer[],
    attempts: number,
    expected: string,
    observed: string,
  ): void {
    const exp = expectationOf([...frames, PINGREQ], c.level);
    const scrub = (s: string): string => scrubSecrets(s, secrets);
    const finding: FuzzFinding = {
      kind,
      signature: sig,
      statements: ids(statements),
      version: versionOf(c.level),
      seed: o.seed,
      caseIndex: c.index,
      mutation: c.mutation,
      expected: scrub(expected),
      observed: scrub(observed),
      occurrences: 1,
      hex: hexLines(frames).map(scrub),
      originalFrames: c.frames.length - 1,
      shrinkAttempts: attempts,
      gherkin: scrub(
        gherkin({
          kind,
          level: c.level,
          frames,
          statements,
          expectation: exp,
          title: `fuzz ${kind} (seed ${o.seed}, case ${c.index}, ${c.mutation})`,
        }),
      ),
    };
    bySig.set(sig, finding);
    res.findings.push(finding);
  }

  async function handleCrash(from: number, to: number): Promise<void> {
    const stmt: StatementRef[] = [];
    if (!o.restart) {
      addFinding(
        'crash|batch',
        'crash',
        stmt,
        buildCase(o.seed, to - 1, o.versions[(to - 1) % o.versions.length], caseOpts),
        [],
        0,
        'the broker keeps answering',
        `the control connection failed after cases ${from}..${to - 1} (rebuild them with --seed ${o.seed}); no restart hook, so not shrunk`,
      );
      return;
    }
    await o.restart();
    // Replay the batch one case at a time until the broker goes down again, then shrink that case.
    for (let i = from; i < to; i++) {
      const c = buildCase(o.seed, i, o.versions[i % o.versions.length], caseOpts);
      await runFrames(o.target, c.frames, c.level, timeoutMs);
      if (await aliveCheck()) continue;
      await o.restart();
      const crashes = async (frames: Buffer[]): Promise<boolean> => {
        await runFrames(o.target, [...frames, PINGREQ], c.level, timeoutMs);
        if (await aliveCheck()) return false;
        await o.restart!();
        return true;
      };
      const s = await shrinkAsync(c.frames.slice(0, -1), crashes, o.maxShrinkAttempts ?? 200);
      addFinding(
        `crash|${c.mutation}`,
        'crash',
        stmt,
        c,
        s.frames,
        s.attempts,
        'the broker keeps answering',
        'the broker stopped answering the control connection',
      );
      return;
    }
    addFinding(
      'crash|unreproduced',
      'crash',
      stmt,
      buildCase(o.seed, from, o.versions[from % o.versions.length], caseOpts),
      [],
      0,
      'the broker keeps answering',
      `the broker went down during cases ${from}..${to - 1} but no single case brought it down again`,
    );
  }
}
