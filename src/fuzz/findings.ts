/**
 * What a fuzz run learns from each connection: the tally, advisories grouped by signature, and
 * findings — each new one confirmed by a replay alone and shrunk by replay; a crash is narrowed
 * to the case that brings the broker down again. The runner calls these with no other case in flight.
 */
import { scrubSecrets } from '../common/redact.ts';
import type { StatementRef } from '../spec/types.ts';
import { buildCase, PINGREQ, type FuzzCase } from './cases.ts';
import type { FuzzLevel } from './grammar.ts';
import { describeStatements, expectationOf, type FindingKind } from './oracle.ts';
import { gherkin, hexLines } from './render.ts';
import { controlCheck, runFrames, type CaseResult } from './run-case.ts';
import type { FuzzFinding, FuzzOptions, FuzzResult } from './run-types.ts';
import { shrinkAsync } from './shrink.ts';

export const versionOf = (l: FuzzLevel): '3.1.1' | '5.0' => (l === 5 ? '5.0' : '3.1.1');
const ids = (s: readonly StatementRef[]): string[] => s.map((x) => x.id);

export class FindingBook {
  private readonly bySig = new Map<string, FuzzFinding>();
  private readonly advBySig = new Map<string, FuzzResult['advisories'][number]>();
  private readonly secrets: string[];
  /** New finding signatures waiting to be confirmed and shrunk (the runner drains first). */
  readonly pending: { c: FuzzCase; r: CaseResult; sig: string }[] = [];

  constructor(
    private readonly o: FuzzOptions,
    private readonly res: FuzzResult,
    private readonly elapsed: () => number,
    private readonly caseAt: (i: number) => FuzzCase,
  ) {
    this.secrets = o.target.password ? [o.target.password.toString('utf8')] : [];
  }

  get timeoutMs(): number {
    return this.o.timeoutMs ?? 5000;
  }

  /** Tally one connection (`c` is its frames; `cases` the mutations it carried). */
  record(c: FuzzCase, r: CaseResult, mutations: readonly string[]): void {
    const res = this.res;
    res.cases += mutations.length;
    res.connections++;
    res.framesSent += c.frames.length;
    for (const m of mutations) res.tried[m] = (res.tried[m] ?? 0) + 1;
    res.outcomes[r.judgement.outcome] = (res.outcomes[r.judgement.outcome] ?? 0) + 1;
    const a = r.judgement.advisory;
    if (a) {
      const sig = `${describeStatements(a.statements)}|${a.expected.split(':')[0]}|${a.observed}`;
      const ex = this.advBySig.get(sig);
      if (ex) ex.occurrences++;
      else {
        const entry = {
          signature: sig,
          statements: ids(a.statements),
          expected: a.expected,
          observed: a.observed,
          occurrences: 1,
          example: { seed: this.o.seed, caseIndex: c.index },
        };
        this.advBySig.set(sig, entry);
        res.advisories.push(entry);
      }
    }
    const f = r.judgement.finding;
    if (!f) return;
    const sig = `${f.kind}|${describeStatements(f.statements)}|${c.mutation.split(':')[0]}`;
    const seen = this.bySig.get(sig);
    if (seen) seen.occurrences++;
    else this.pending.push({ c, r, sig });
  }

  /** Confirm and shrink the pending findings, one at a time. */
  async drain(): Promise<void> {
    for (const p of this.pending.splice(0)) await this.handleFinding(p.c, p.r, p.sig);
  }

  /** CONNECT + PINGREQ on a control connection (two tries, the second with a longer timeout). */
  async aliveCheck(lv: FuzzLevel): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await controlCheck(this.o.target, lv, `fz-control-${this.o.seed.toString(36)}`, 3000 * (attempt + 1));
      if (r.ok || r.refused) return true;
    }
    return false;
  }

  private async handleFinding(c: FuzzCase, r: CaseResult, sig: string): Promise<void> {
    const f = r.judgement.finding!;
    const seen = this.bySig.get(sig);
    if (seen) {
      seen.occurrences++;
      return;
    }
    const o = this.o;
    const body = c.frames.slice(0, -1);
    const slow = f.kind === 'hang' || f.observed.startsWith('neither');
    const same = async (frames: Buffer[]): Promise<boolean> => {
      if (this.elapsed() > o.budgetMs) return false;
      const rr = await runFrames(o.target, [...frames, PINGREQ], c.level, Math.min(this.timeoutMs, 2000));
      const g = rr.judgement.finding;
      return g !== undefined && g.kind === f.kind && g.statements[0]?.id === f.statements[0]?.id;
    };
    // Confirm alone (a loaded broker may be slow: a hang must repeat with twice the timeout).
    const again = await runFrames(o.target, c.frames, c.level, f.kind === 'hang' ? this.timeoutMs * 2 : this.timeoutMs);
    if (!again.judgement.finding || again.judgement.finding.kind !== f.kind) {
      this.res.outcomes['not-reproduced'] = (this.res.outcomes['not-reproduced'] ?? 0) + 1;
      return;
    }
    let frames = body;
    let attempts = 0;
    if (this.bySig.size < (o.maxShrunk ?? 10)) {
      const s = await shrinkAsync(body, same, Math.min(o.maxShrinkAttempts ?? 200, slow ? 40 : 200));
      frames = s.frames;
      attempts = s.attempts;
    }
    this.add(sig, f.kind, f.statements, c, frames, attempts, f.expected, f.observed);
  }

  private add(
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
    const scrub = (s: string): string => scrubSecrets(s, this.secrets);
    const seed = this.o.seed;
    const finding: FuzzFinding = {
      kind,
      signature: sig,
      statements: ids(statements),
      version: versionOf(c.level),
      seed,
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
          title: `fuzz ${kind} (seed ${seed}, case ${c.index}, ${c.mutation})`,
        }),
      ),
    };
    this.bySig.set(sig, finding);
    this.res.findings.push(finding);
  }

  /** The broker went down while connections from..to-1 ran: narrow it to one connection and shrink. */
  async handleCrash(from: number, to: number): Promise<void> {
    const o = this.o;
    const keeps = 'the broker keeps answering';
    const lv = (c: FuzzCase): FuzzLevel => c.level;
    if (!o.restart) {
      const c = this.caseAt(Math.max(from, to - 1));
      this.add(
        'crash|batch',
        'crash',
        [],
        c,
        [],
        0,
        keeps,
        `the control connection failed after cases ${from}..${to - 1} (rebuild them with --seed ${o.seed}); no restart hook, so not shrunk`,
      );
      return;
    }
    await o.restart();
    // Replay the connections one at a time until the broker goes down again, then shrink that one.
    for (let i = from; i < to;) {
      const c = this.caseAt(i);
      i = c.index + Math.max(1, c.chained ?? 1);
      await runFrames(o.target, c.frames, c.level, this.timeoutMs);
      if (await this.aliveCheck(lv(c))) continue;
      await o.restart();
      const crashes = async (frames: Buffer[]): Promise<boolean> => {
        await runFrames(o.target, [...frames, PINGREQ], c.level, this.timeoutMs);
        if (await this.aliveCheck(lv(c))) return false;
        await o.restart!();
        return true;
      };
      const s = await shrinkAsync(c.frames.slice(0, -1), crashes, o.maxShrinkAttempts ?? 200);
      this.add(
        `crash|${c.mutation}`,
        'crash',
        [],
        c,
        s.frames,
        s.attempts,
        keeps,
        'the broker stopped answering the control connection',
      );
      return;
    }
    const c = this.caseAt(from);
    this.add(
      'crash|unreproduced',
      'crash',
      [],
      c,
      [],
      0,
      keeps,
      `the broker went down during cases ${from}..${to - 1} but no single case brought it down again`,
    );
  }
}

/** Rebuild case `i` of a run (the chain of cases that starts there). */
export const caseBuilder =
  (o: FuzzOptions, maxChain: number) =>
  (i: number): FuzzCase =>
    buildCase(o.seed, i, o.versions[i % o.versions.length], {
      maxFillers: o.maxFillers,
      username: o.target.username,
      password: o.target.password,
      maxChain,
    });
