import type * as messages from '@cucumber/messages';
import {
  commentsAbove,
  isMust,
  nodeLine,
  stronger,
  TagError,
  type ScenarioRecord,
  type StatementCheck,
} from '../../src/report/index.ts';
import { findStatement, type SpecVersion, type Statement } from '../../src/spec/index.ts';
import type { InconclusiveCause, Outcome } from '../../src/common/index.ts';

/**
 * Which statements each step of a scenario checks, and what each step concluded.
 *
 * Attribution rules (features/README.md, "Verdicts"):
 * - A step annotated with a comment directly above it, `# checks MQTT-3.3.4-1, MQTT-4.3.2-2`,
 *   checks exactly those of the scenario's tagged statements; `# checks if sent MQTT-…` only
 *   when the optional packet the step allows arrived; `# precondition` makes a Then step check
 *   nothing.
 * - Otherwise an outcome step (Then, and the And / But after it) checks the scenario's tagged
 *   statements that no annotation claims; Given and When steps (sending, setting up) check none.
 * - A step may declare its statements at run time (`world.checks(ids)`), e.g. an exploration.
 * - A failed checking step fails only its statements; a failure anywhere else makes the
 *   scenario inconclusive for its statements: it never reached its check.
 */
export interface StepPlan {
  id: string;
  text: string;
  line?: number;
  statements: Statement[];
  /**
   * Statements checked only when the packet the step allows but does not require arrived
   * (`# checks if sent MQTT-3.14.2-1`): a DISCONNECT "if the broker sends one". Without it
   * there was nothing to check, and they are not applicable for this scenario.
   */
  ifSent: Statement[];
}

const ANNOTATION = /^checks\s+(if sent\s+)?(.+)$/i;

export class ScenarioAccount {
  private readonly plans = new Map<string, StepPlan>();
  private current?: StepPlan;
  private readonly checks = new Map<string, StatementCheck>();
  private kind?: Outcome;
  private cause?: InconclusiveCause;
  private decidingStep?: StepPlan;
  private detail?: string;
  runFinding?: string;

  constructor(
    readonly version: SpecVersion,
    readonly tagged: readonly Statement[],
    /** Tagged @advisory: failures of its checks are advisory whatever the statements' level. */
    readonly advisory: boolean,
  ) {}

  /** Reads the step annotations of a pickle; a bad annotation throws TagError naming file and line. */
  static plan(
    pickle: messages.Pickle,
    doc: messages.GherkinDocument,
    version: SpecVersion,
    tagged: readonly Statement[],
    advisory: boolean,
  ): ScenarioAccount {
    const a = new ScenarioAccount(version, tagged, advisory);
    const problems: string[] = [];
    const explicit = new Map<string, Statement[] | 'none'>();
    const ifSent = new Map<string, Statement[]>();
    const claimed = new Set<Statement>();
    for (const ps of pickle.steps) {
      const line = nodeLine(doc, ps.astNodeIds[0]);
      if (line === undefined) continue;
      for (const c of commentsAbove(doc, line)) {
        if (/^precondition\b/i.test(c)) {
          explicit.set(ps.id, 'none');
          continue;
        }
        const m = ANNOTATION.exec(c);
        if (!m) continue;
        const list: Statement[] = [];
        for (const id of m[2].split(/[\s,]+/).filter(Boolean)) {
          // An annotation picks among the scenario's own tags (an outline's Examples may tag
          // different statements); an ID of no version at all is a typo.
          const s = tagged.find((t) => t.id === id);
          if (s) {
            list.push(s);
            claimed.add(s);
          } else if (!findStatement('3.1.1', id) && !findStatement('5.0', id)) {
            problems.push(`"# checks ${id}" (${pickle.uri}:${line - 1}) is not a statement of MQTT 3.1.1 or 5.0`);
          }
        }
        if (m[1]) ifSent.set(ps.id, [...(ifSent.get(ps.id) ?? []), ...list]);
        else
          explicit.set(ps.id, [
            ...(Array.isArray(explicit.get(ps.id)) ? (explicit.get(ps.id) as Statement[]) : []),
            ...list,
          ]);
      }
    }
    if (problems.length > 0)
      throw new TagError(`bad step annotations on ${pickle.uri} "${pickle.name}":\n  - ${problems.join('\n  - ')}`);
    const unclaimed = tagged.filter((s) => !claimed.has(s));
    for (const ps of pickle.steps) {
      const e = explicit.get(ps.id);
      const statements = e === 'none' ? [] : (e ?? (ps.type === 'Outcome' ? unclaimed : []));
      a.plans.set(ps.id, {
        id: ps.id,
        text: ps.text,
        line: nodeLine(doc, ps.astNodeIds[0]),
        statements,
        ifSent: ifSent.get(ps.id) ?? [],
      });
    }
    return a;
  }

  startStep(pickleStepId: string): void {
    this.current = this.plans.get(pickleStepId);
  }

  /** A step declares at run time which statements it checks (it then is a checking step). */
  declare(ids: readonly string[]): void {
    if (!this.current) return;
    const list: Statement[] = [];
    for (const id of ids) {
      const s = findStatement(this.version, id);
      if (!s) throw new Error(`checks(): ${id} is not a statement of MQTT ${this.version}`);
      list.push(s);
    }
    this.current.statements = list;
  }

  /**
   * The running step says whether the optional packet it allows arrived: its `checks if sent`
   * statements are then checked like the others, or are not applicable (nothing was sent).
   */
  optionalPacket(sent: boolean, what: string): void {
    const cur = this.current;
    if (!cur || cur.ifSent.length === 0) return;
    if (sent) cur.statements = [...cur.statements, ...cur.ifSent];
    else
      for (const s of cur.ifSent)
        this.note(s, 'not-applicable', `the broker sent no ${what}, so there was nothing to check`);
    cur.ifSent = [];
  }

  /** The statements the running step checks (none outside a step or for an action). */
  get stepStatements(): readonly Statement[] {
    return this.current?.statements ?? [];
  }

  get stepText(): string | undefined {
    return this.current?.text;
  }

  private note(s: Statement, outcome: Outcome, why?: string): void {
    const k = `${s.version}|${s.id}`;
    const prev = this.checks.get(k);
    const at = this.current
      ? `${this.current.text}${this.current.line ? ` (line ${this.current.line})` : ''}`
      : undefined;
    const step = at && why ? `${at}: ${why}` : (at ?? why);
    if (!prev || stronger(prev.outcome, outcome) !== prev.outcome) {
      this.checks.set(k, { version: s.version, id: s.id, outcome, ...(step ? { step } : {}) });
    }
  }

  /** The running step held: its statements passed (unless an earlier step failed them). */
  stepPassed(): void {
    for (const s of this.stepStatements) this.note(s, 'passed');
  }

  /** Whether a failure of a check of these statements is advisory rather than failed. */
  advisoryFor(statements: readonly Statement[]): boolean {
    return this.advisory || (statements.length > 0 && statements.every((s) => !isMust(s.level)));
  }

  /**
   * The running step (or a hook) ended the scenario: failed / advisory for `statements`,
   * inconclusive or not applicable for the scenario.
   */
  stepEnded(
    outcome: Outcome,
    o: { statements?: readonly Statement[]; cause?: InconclusiveCause; detail: string },
  ): void {
    if (this.kind !== undefined && this.kind !== 'passed') return;
    this.kind = outcome;
    this.cause = o.cause;
    this.detail = o.detail;
    this.decidingStep = this.current;
    for (const s of o.statements ?? []) this.note(s, outcome);
  }

  /** Whether the scenario already has a non-passing outcome. */
  get ended(): boolean {
    return this.kind !== undefined && this.kind !== 'passed';
  }

  /**
   * The record attached for the report: statements not decided by a step get the scenario's
   * outcome when it did not pass (inconclusive for a failure elsewhere: they were never reached),
   * and `passed` when every step held.
   */
  finish(): ScenarioRecord {
    const kind = this.kind ?? 'passed';
    const rest: Outcome = kind === 'failed' || kind === 'advisory' ? 'inconclusive' : kind;
    const saved = this.current;
    this.current = undefined;
    const ifSent = new Set([...this.plans.values()].flatMap((p) => p.ifSent));
    for (const s of this.tagged) {
      if (this.checks.has(`${s.version}|${s.id}`)) continue;
      // A step that never ran cannot have found its optional packet: not reached, or vacuous.
      if (ifSent.has(s) && kind === 'passed') this.note(s, 'not-applicable', 'its checking step had nothing to check');
      else this.note(s, rest);
    }
    this.current = saved;
    const r: ScenarioRecord = { kind, checks: [...this.checks.values()] };
    if (kind === 'inconclusive') r.cause = this.cause ?? 'harness-error';
    if (this.detail) r.detail = this.detail;
    if (this.decidingStep)
      r.step = {
        text: this.decidingStep.text,
        line: this.decidingStep.line,
        statements: this.decidingStep.statements.map((s) => s.id),
      };
    if (this.runFinding) r.runFinding = this.runFinding;
    return r;
  }
}
