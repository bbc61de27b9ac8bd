import {
  After,
  AfterAll,
  AfterStep,
  Before,
  BeforeAll,
  BeforeStep,
  Status,
  defineParameterType,
  setDefaultTimeout,
  setDefinitionFunctionWrapper,
  setWorldConstructor,
} from '@cucumber/cucumber';
import type { ITestCaseHookParameter, ITestStepHookParameter } from '@cucumber/cucumber';
import { ConformanceWorld } from './world.ts';
import { setUpRun, tearDownRun } from './run-state.ts';
import { PARAMETER_TYPES } from './parameter-types.ts';

setWorldConstructor(ConformanceWorld);
for (const t of PARAMETER_TYPES) defineParameterType(t);
// Every wait inside a step has its own (scaled) bound; this only catches a hung step.
setDefaultTimeout(30_000);

/**
 * Wraps every step and hook that runs with a ConformanceWorld:
 * - after the step, a packet from the broker that broke the codec's rules fails the check of
 *   the statement it breaks;
 * - a NotApplicableError (the scenario needs a capability the target lacks, see
 *   capability-guard.ts) makes the scenario not applicable;
 * - any other error is sorted by failure-classes.ts: a failed checking step fails its
 *   statements (cucumber sees the step fail); an advisory or inconclusive ending is reported
 *   to cucumber as skipped, with the reason attached, so it never counts against the target.
 */
const RAW = Symbol('raw hook');
type Fn = ((...a: never[]) => unknown) & { [RAW]?: true };
/** Marks a hook the wrapper must leave alone. */
const raw = <F extends Fn>(f: F): F => Object.assign(f, { [RAW]: true as const });

setDefinitionFunctionWrapper((fn: Fn, options?: { raw?: boolean }) => {
  // A hook is left unwrapped when marked with raw(), or defined with { wrapperOptions: { raw: true } }.
  if (fn[RAW] || options?.raw) return fn;
  return async function (this: unknown, ...args: unknown[]) {
    const f = fn as (...a: unknown[]) => unknown;
    if (!(this instanceof ConformanceWorld)) return f.apply(this, args);
    try {
      const r = await f.apply(this, args);
      const v = this.violationError();
      if (v) throw v;
      return r;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      // The scenario needs a capability the target lacks (capability-guard.ts): not applicable.
      if (err.name === 'NotApplicableError') return this.notApplicable(err.message);
      const r = await this.stepFailed(err);
      if (r === 'skipped') return r;
      throw r;
    }
  };
});

BeforeAll({ timeout: 120_000 }, async function () {
  // Bad settings were refused once, in the main process (src/report/preflight.ts); this starts
  // the embedded broker or dials the target and probes its capabilities.
  await setUpRun(this.parameters as Record<string, unknown>);
});

AfterAll({ timeout: 30_000 }, async function () {
  await tearDownRun();
});

// Bad tags (TagError) end the scenario inconclusive with a message naming the file and line.
Before(
  raw(async function (this: ConformanceWorld, { pickle, gherkinDocument }: ITestCaseHookParameter) {
    try {
      return await this.begin(pickle, gherkinDocument);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return this.inconclusive('harness-error', err.message);
    }
  }),
);

BeforeStep(
  raw(function (this: ConformanceWorld, { pickleStep }: ITestStepHookParameter) {
    this.account.startStep(pickleStep.id);
  }),
);

AfterStep(
  raw(function (this: ConformanceWorld, { result }: ITestStepHookParameter) {
    if (result.status === Status.PASSED) this.account.stepPassed();
    // A step that failed without passing through the wrapper (it timed out, or is undefined): the harness's trouble.
    else if (result.status !== Status.SKIPPED && !this.account.ended) {
      this.account.stepEnded('inconclusive', {
        cause: 'harness-error',
        detail: `step ${result.status.toLowerCase()}: ${result.message?.split('\n')[0] ?? ''}`,
      });
    }
  }),
);

After(
  raw(async function (this: ConformanceWorld, { result }: ITestCaseHookParameter) {
    const failed = result?.status === Status.FAILED;
    const v = failed || this.account.ended ? undefined : this.violationError();
    let late: Error | 'skipped' | undefined;
    if (v) late = await this.stepFailed(v);
    await this.end(failed || late !== undefined);
    if (late instanceof Error) throw late;
  }),
);
