import {
  After, AfterAll, Before, BeforeAll, Status, setDefaultTimeout, setDefinitionFunctionWrapper, setWorldConstructor,
} from '@cucumber/cucumber';
import type { ITestCaseHookParameter } from '@cucumber/cucumber';
import { ConformanceWorld } from './world.ts';
import { setUpRun, tearDownRun } from './run-state.ts';

setWorldConstructor(ConformanceWorld);
// Every wait inside a step has its own (scaled) bound; this only catches a hung step.
setDefaultTimeout(30_000);

/**
 * Wraps every step and hook that runs with a ConformanceWorld:
 * - after the step, a packet from the broker that broke the codec's rules fails it;
 * - a NotApplicableError (the scenario needs a capability the target lacks, see
 *   capability-guard.ts) makes the step, and so the scenario, not applicable;
 * - in a scenario whose statements are all SHOULD / MAY, a failure becomes an advisory
 *   verdict (attachment) and the step reports 'skipped', so cucumber does not fail the run.
 *   Target and harness errors (unreachable broker, bad tags, bad step text) always fail.
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
      if (this.advisory && err.name === 'ExpectationError') {
        this.advisoryFailed = true;
        return this.advisoryFailure(err);
      }
      throw err;
    }
  };
});

BeforeAll({ timeout: 120_000 }, async function () {
  // Configuration errors (bad URL, no container engine) stop the run here, non-zero.
  await setUpRun(this.parameters as Record<string, unknown>);
});

AfterAll({ timeout: 30_000 }, async function () {
  await tearDownRun();
});

// Bad tags (TagError) fail the scenario with a message naming the file and line.
Before(raw(async function (this: ConformanceWorld, { pickle, gherkinDocument }: ITestCaseHookParameter) {
  return this.begin(pickle, gherkinDocument);
}));

After(raw(async function (this: ConformanceWorld, { result }: ITestCaseHookParameter) {
  const failed = result?.status === Status.FAILED;
  const v = failed ? undefined : this.violationError();
  if (v && this.advisory) {
    this.advisoryFailed = true;
    this.advisoryFailure(v);
  }
  await this.end(failed || v !== undefined);
  if (v && !this.advisory) throw v;
}));
