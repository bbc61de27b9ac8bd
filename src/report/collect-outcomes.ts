import type * as messages from '@cucumber/messages';
import { interpretTags, TagError } from './scenario-tags.ts';
import {
  MEDIA_SCENARIO,
  MEDIA_VERDICT,
  TRACE_HEADING,
  type Finding,
  type ScenarioRecord,
  type VerdictAttachment,
} from './attachments.ts';
import type { ScenarioOutcome } from './verdicts.ts';
import { pickleLine, pickleTagRefs } from './gherkin-locations.ts';

export { pickleTagRefs };

/** The parts of cucumber's ITestCaseAttempt this module reads. */
export interface AttemptLike {
  willBeRetried: boolean;
  gherkinDocument: messages.GherkinDocument;
  pickle: messages.Pickle;
  stepAttachments: Record<string, messages.Attachment[]>;
  worstTestStepResult: messages.TestStepResult;
}

export interface CollectedRun {
  outcomes: ScenarioOutcome[];
  tagErrors: string[];
  /** Findings about the run (the target stopped answering after a scenario). */
  findings: Finding[];
}

const firstLines = (msg: string | undefined, n = 12): string =>
  (msg ?? '')
    .split('\n')
    .filter((l) => !/^\s+at /.test(l))
    .slice(0, n)
    .join('\n')
    .trim();

interface Read {
  record?: ScenarioRecord;
  verdict?: VerdictAttachment;
  trace?: string;
}

function readAttachments(a: AttemptLike): Read {
  const r: Read = {};
  for (const att of Object.values(a.stepAttachments).flat()) {
    const body = att.contentEncoding === 'BASE64' ? Buffer.from(att.body, 'base64').toString('utf8') : att.body;
    if (att.mediaType === MEDIA_SCENARIO) r.record = JSON.parse(body) as ScenarioRecord;
    else if (att.mediaType === MEDIA_VERDICT) r.verdict = JSON.parse(body) as VerdictAttachment;
    else if (att.mediaType === 'text/plain' && body.startsWith(TRACE_HEADING)) r.trace = body;
  }
  return r;
}

/**
 * One outcome per scenario from cucumber's test case attempts. The World's scenario record
 * (MEDIA_SCENARIO) says what each checking step concluded; without one (a tag error, an
 * undefined step, a hook that broke, a step that timed out) the scenario is inconclusive: the
 * harness's own trouble is never the target's failure. A scenario that failed and was retried
 * (a timer-based check re-run at three times the time scale) and then held is advisory.
 */
export function collectOutcomes(attempts: readonly AttemptLike[]): CollectedRun {
  const run: CollectedRun = { outcomes: [], tagErrors: [], findings: [] };
  const retried = new Map<string, string>();
  for (const a of attempts) {
    if (a.willBeRetried) {
      retried.set(a.pickle.id, firstLines(readAttachments(a).record?.detail ?? a.worstTestStepResult.message, 6));
      continue;
    }
    const where = `${a.pickle.uri}:${pickleLine(a.pickle, a.gherkinDocument) ?? '?'}`;
    const { record, verdict, trace } = readAttachments(a);
    const outcome: ScenarioOutcome = { name: a.pickle.name, where, statementIds: [], kind: 'inconclusive', checks: [] };
    try {
      const t = interpretTags(pickleTagRefs(a.pickle, a.gherkinDocument), `${where} "${a.pickle.name}"`);
      outcome.version = t.version;
      outcome.statementIds = t.statements.map((s) => s.id);
      if (t.negativeControl) outcome.negativeControl = true;
    } catch (e) {
      if (!(e instanceof TagError)) throw e;
      run.tagErrors.push(e.message);
    }
    const r = a.worstTestStepResult;
    outcome.durationMs = r.duration ? r.duration.seconds * 1000 + r.duration.nanos / 1e6 : undefined;
    const status = r.status;
    const withTrace = (d: string | undefined): string | undefined => [d, trace].filter(Boolean).join('\n') || undefined;
    if (record && (status !== 'FAILED' || record.kind === 'failed')) {
      Object.assign(outcome, { kind: record.kind, checks: record.checks });
      if (record.cause) outcome.cause = record.cause;
      if (record.step) outcome.step = record.step;
      const detail =
        record.kind === 'passed'
          ? undefined
          : (record.detail ?? (status === 'FAILED' ? firstLines(r.message) : undefined));
      if (detail || (record.kind !== 'passed' && trace))
        outcome.detail = record.kind === 'not-applicable' ? detail : withTrace(detail);
      if (record.runFinding) run.findings.push({ origin: 'run', message: record.runFinding, version: outcome.version });
    } else if (status === 'SKIPPED' && verdict?.kind === 'not-applicable') {
      Object.assign(outcome, { kind: 'not-applicable', detail: verdict.reason });
    } else if (status === 'PASSED' && !record) {
      outcome.kind = 'passed';
    } else {
      // No account from the World, or cucumber failed something the World did not classify.
      outcome.cause = 'harness-error';
      outcome.detail = withTrace(
        `${status === 'FAILED' ? 'the harness failed' : `step ${status.toLowerCase()}`}: ${firstLines(r.message ?? r.exception?.message, 6) || 'no message'}`,
      );
      outcome.checks = outcome.version
        ? outcome.statementIds.map((id) => ({ version: outcome.version!, id, outcome: 'inconclusive' as const }))
        : [];
    }
    const first = retried.get(a.pickle.id);
    if (first !== undefined && outcome.kind === 'passed') {
      outcome.kind = 'advisory';
      outcome.timingSensitive = true;
      outcome.detail = `timing-sensitive: failed at the configured time scale, held when re-checked at three times it. First failure: ${first}`;
      outcome.checks = outcome.checks.map((c) => ({ ...c, outcome: c.outcome === 'passed' ? 'advisory' : c.outcome }));
    }
    run.outcomes.push(outcome);
  }
  return run;
}
