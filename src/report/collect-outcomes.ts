import type * as messages from '@cucumber/messages';
import { interpretTags, TagError, type TagRef } from './scenario-tags.ts';
import { MEDIA_VERDICT, TRACE_HEADING, type VerdictAttachment } from './attachments.ts';
import type { ScenarioOutcome } from './verdicts.ts';

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
}

/** Where each tag of a gherkin document is written, by AST node id. */
function tagLines(doc: messages.GherkinDocument): Map<string, number> {
  const m = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { tags?: Array<{ id: string; location: { line: number } }> };
    for (const t of n.tags ?? []) m.set(t.id, t.location.line);
    for (const v of Object.values(node)) if (typeof v === 'object') visit(v);
  };
  visit(doc.feature);
  return m;
}

export function pickleTagRefs(pickle: messages.Pickle, doc: messages.GherkinDocument | undefined): TagRef[] {
  const lines = doc ? tagLines(doc) : new Map<string, number>();
  return pickle.tags.map((t) => ({ name: t.name, where: lines.has(t.astNodeId) ? `${pickle.uri}:${lines.get(t.astNodeId)}` : pickle.uri }));
}

/** The line of the scenario (or Examples row) a pickle comes from. */
function pickleLine(pickle: messages.Pickle, doc: messages.GherkinDocument): number | undefined {
  let line: number | undefined;
  const want = pickle.astNodeIds[pickle.astNodeIds.length - 1];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || line !== undefined) return;
    const n = node as { id?: string; location?: { line: number } };
    if (n.id === want && n.location) { line = n.location.line; return; }
    for (const v of Object.values(node)) if (typeof v === 'object') visit(v);
  };
  visit(doc.feature);
  return line;
}

const firstLines = (msg: string | undefined, n = 12): string =>
  (msg ?? '').split('\n').filter((l) => !/^\s+at /.test(l)).slice(0, n).join('\n').trim();

export function collectOutcomes(attempts: readonly AttemptLike[]): CollectedRun {
  const run: CollectedRun = { outcomes: [], tagErrors: [] };
  for (const a of attempts) {
    if (a.willBeRetried) continue;
    const where = `${a.pickle.uri}:${pickleLine(a.pickle, a.gherkinDocument) ?? '?'}`;
    const attachments = Object.values(a.stepAttachments).flat();
    let verdict: VerdictAttachment | undefined;
    let trace: string | undefined;
    for (const att of attachments) {
      const body = att.contentEncoding === 'BASE64' ? Buffer.from(att.body, 'base64').toString('utf8') : att.body;
      if (att.mediaType === MEDIA_VERDICT) verdict = JSON.parse(body) as VerdictAttachment;
      else if (att.mediaType === 'text/plain' && body.startsWith(TRACE_HEADING)) trace = body;
    }
    const outcome: ScenarioOutcome = { name: a.pickle.name, where, statementIds: [], kind: 'error' };
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
    const ms = r.duration ? r.duration.seconds * 1000 + r.duration.nanos / 1e6 : undefined;
    outcome.durationMs = ms;
    switch (r.status) {
      case 'PASSED':
        // A late violation in an all-SHOULD scenario is recorded without failing the steps.
        if (verdict?.kind === 'advisory-failure') { outcome.kind = 'advisory-failed'; outcome.detail = [verdict.evidence, trace].filter(Boolean).join('\n'); }
        else outcome.kind = 'passed';
        break;
      case 'FAILED':
        outcome.kind = outcome.version ? 'failed' : 'error';
        outcome.detail = [firstLines(r.message ?? r.exception?.message), trace].filter(Boolean).join('\n');
        break;
      case 'SKIPPED':
        if (verdict?.kind === 'not-applicable') { outcome.kind = 'not-applicable'; outcome.detail = verdict.reason; }
        else if (verdict?.kind === 'advisory-failure') { outcome.kind = 'advisory-failed'; outcome.detail = [verdict.evidence, trace].filter(Boolean).join('\n'); }
        else outcome.kind = 'skipped';
        break;
      default:
        outcome.kind = 'error';
        outcome.detail = `step ${r.status.toLowerCase()}${r.message ? `: ${firstLines(r.message, 3)}` : ''}`;
    }
    run.outcomes.push(outcome);
  }
  return run;
}
