/**
 * The @explore feature: a short, seeded, time-boxed exploration against the run's target.
 * Findings fail the scenario with their statements, the shrunk Gherkin and the trace.
 */
import { Then } from '@cucumber/cucumber';
import { ExpectationError } from '../src/client/index.ts';
import { explore, formatFinding } from '../src/explore/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { re } from './support/parse.ts';
import { DURATION, type Duration } from './support/parameter-types.ts';

Then(
  re(
    `a seeded exploration of (\\d+) programs \\(seed (\\d+)\\) within ${DURATION} finds no deviation from the spec model`,
  ),
  { timeout: 60_000 },
  async function (this: W, runs: string, seed: string, budget: Duration) {
    const run = this.run;
    const prefix = `${(this as unknown as { idPrefix: string }).idPrefix}e`;
    const k = this.capabilitiesAt(this.level);
    const caps = k
      ? {
          maximumQoS: k.maximumQoS,
          retainAvailable: k.retainAvailable,
          wildcardSubscriptionAvailable: k.wildcardSubscriptions,
          sharedSubscriptionAvailable: k.sharedSubscriptions,
          subscriptionIdentifiersAvailable: k.subscriptionIdentifiers,
        }
      : undefined;
    const r = await explore({
      target: {
        url: run.url,
        username: run.config.username,
        password: run.config.password,
        caFile: run.config.caFile,
        insecure: run.config.insecure,
      },
      version: this.version,
      seed: Number(seed),
      runs: Number(runs),
      budgetMs: budget.ms,
      maxClients: 3,
      prefix,
      caps,
      stepTimeoutMs: this.ms(1000),
      settleMs: this.ms(600),
    });
    this.attach(
      JSON.stringify({
        origin: 'explored',
        version: r.version,
        seed: r.seed,
        programs: r.programs,
        findings: r.findings,
        harnessTrouble: r.harnessTrouble,
      }),
      'application/json',
    );
    if (r.findings.length === 0 && r.programs > 0 && r.harnessTrouble.length === r.programs) {
      throw new Error(`the explorer could not run any program against the target: ${r.harnessTrouble[0]}`);
    }
    if (r.findings.length === 0) return;
    const ids = [...new Set(r.findings.flatMap((f) => f.statements))];
    // The step checks exactly the statements the findings break (scenario-account.ts): those fail.
    this.checks(ids);
    throw new ExpectationError(
      `explored finding(s) against ${ids.join(', ')}:\n${r.findings.map((f) => formatFinding(f, 40)).join('\n\n')}`,
    );
  },
);
