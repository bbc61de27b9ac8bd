import { World, type IWorldOptions } from '@cucumber/cucumber';
import { PacketTrace } from '../../src/client/index.ts';
import type { ProtocolLevel } from '../../src/codec/index.ts';
import { MEDIA_VERDICT, type VerdictAttachment } from '../../src/report/index.ts';
import type { SpecVersion, Statement } from '../../src/spec/index.ts';
import type { InconclusiveCause } from '../../src/common/index.ts';
import { runState, targetAlive, type RunState } from './run-state.ts';
import { ScenarioAccount } from './scenario-account.ts';
import { classifyFailure } from './failure-classes.ts';

/**
 * The bottom layer of the conformance World (world.ts lists the layers): the scenario's version
 * and statements, the account of what each step checks (scenario-account.ts), scaled timeouts,
 * the packet trace, and how a scenario ends when it does not pass: failed, advisory,
 * inconclusive (with a cause) or not applicable, each attached for the report.
 */
export class WorldVerdicts extends World<Record<string, unknown>> {
  version: SpecVersion = '5.0';
  statements: Statement[] = [];
  /** Tagged @advisory, or every tagged statement is SHOULD / MAY: failures become advisory findings. */
  advisory = false;
  readonly trace = new PacketTrace();
  /** Which statements each step checks and what each concluded (scenario-account.ts). */
  account = new ScenarioAccount('5.0', [], false);
  /** "features/x.feature:12 name", for findings. */
  protected scenarioLabel = '';
  /** Set by the step wrapper when an advisory failure was recorded. */
  advisoryFailed = false;

  constructor(options: IWorldOptions<Record<string, unknown>>) {
    super(options);
  }

  get run(): RunState {
    return runState();
  }

  /** Protocol level of the scenario's version tag. */
  get level(): ProtocolLevel {
    return this.version === '5.0' ? 5 : 4;
  }

  /** Scales a duration by the configured time scale. */
  ms(n: number): number {
    return Math.max(1, Math.round(n * this.run.config.timeScale));
  }

  /** Default bound for a wait a step does not state: 2 s, scaled. */
  get waitMs(): number {
    return this.ms(2000);
  }

  /** Clients that sent a raw CONNECT without a user name (raw bytes cannot carry the target's credentials). */
  protected readonly rawConnects = new Set<string>();

  /**
   * A raw CONNECT without credentials refused for authentication by a target that requires
   * credentials: the harness could not say what the scenario meant to, so it is inconclusive.
   */
  protected refusedRawConnect(): string | undefined {
    if (this.run.config.username === undefined) return undefined;
    for (const e of this.trace.entries) {
      const p = e.packet;
      if (
        e.direction === 'received' &&
        p?.type === 'connack' &&
        this.rawConnects.has(e.client) &&
        [4, 5, 0x86, 0x87].includes(p.reasonCode)
      ) {
        return `${e.client}'s raw CONNECT carries no credentials, and the target refused it for authentication (CONNACK reason code 0x${p.reasonCode.toString(16).padStart(2, '0')}); the target requires the credentials the raw bytes cannot carry`;
      }
    }
    return undefined;
  }

  /** Declares the statements the running step checks (it then counts as a checking step). */
  checks(ids: readonly string[]): void {
    this.account.declare(ids);
  }

  /** Ends the scenario as inconclusive (reported to cucumber as skipped), with the cause. */
  inconclusive(cause: InconclusiveCause, message: string): 'skipped' {
    this.account.stepEnded('inconclusive', { cause, detail: message });
    this.attach(`Inconclusive (${cause}): ${message}`, 'text/plain');
    return 'skipped';
  }

  /**
   * Sorts a step's error (see failure-classes.ts): returns the error to rethrow for a failed
   * check, or 'skipped' when the scenario ends advisory or inconclusive.
   */
  async stepFailed(err: Error): Promise<Error | 'skipped'> {
    const run = this.run;
    const refused = this.refusedRawConnect();
    if (refused) return this.inconclusive('auth-refused', `${refused}\n${err.message}`);
    const c = await classifyFailure(err, {
      stepStatements: this.account.stepStatements,
      advisoryFor: (st) => this.account.advisoryFor(st),
      targetAlive: () => targetAlive(run),
    });
    const detail = err.message;
    if (c.outcome === 'failed') {
      this.account.stepEnded('failed', { statements: c.statements, detail });
      return err;
    }
    if (c.outcome === 'advisory') {
      this.account.stepEnded('advisory', { statements: c.statements, detail });
      this.advisoryFailed = true;
      return this.advisoryFailure(err);
    }
    if (c.cause === 'target-down' && !run.down) {
      run.down = { after: run.lastScenario ?? 'the start of the run' };
      this.account.runFinding = `the broker stopped answering after ${run.down.after} (first noticed in ${this.scenarioLabel})`;
    }
    return this.inconclusive(c.cause ?? 'harness-error', detail);
  }

  notApplicable(reason: string): 'skipped' {
    this.account.stepEnded('not-applicable', { detail: reason });
    const v: VerdictAttachment = { kind: 'not-applicable', reason };
    this.attach(JSON.stringify(v), MEDIA_VERDICT);
    this.attach(`Not applicable: ${reason}`, 'text/plain');
    return 'skipped';
  }

  /** Records a failure of an all-SHOULD/MAY scenario; the caller reports the step as skipped. */
  advisoryFailure(e: Error): 'skipped' {
    const v: VerdictAttachment = { kind: 'advisory-failure', evidence: e.message };
    this.attach(JSON.stringify(v), MEDIA_VERDICT);
    this.attach(
      `Advisory finding: this scenario checks a recommendation (SHOULD / MAY), so its failure is reported to cucumber ` +
        `as skipped and listed under advisoryFindings in compliance.json; it does not fail ${this.statements.map((s) => s.id).join(', ')}.\n${e.message}`,
      'text/plain',
    );
    return 'skipped';
  }
}
