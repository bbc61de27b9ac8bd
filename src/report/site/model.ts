/**
 * The report site's view of one run's compliance.json, read defensively: the schema-2 fields
 * (run outcome, broker, deciding step, findings, scenario causes) are used where present, and
 * older files (schema 1: `advisory-failed`, `error`, `skipped` scenario kinds) are mapped onto
 * the five outcome words plus `untested`.
 */
export type CellVerdict = 'passed' | 'failed' | 'not-applicable' | 'advisory' | 'inconclusive' | 'untested';
export const CELL_VERDICTS: readonly CellVerdict[] = [
  'failed',
  'inconclusive',
  'advisory',
  'passed',
  'not-applicable',
  'untested',
];
export type ScenarioKind = Exclude<CellVerdict, 'untested'>;

export interface Deciding {
  scenario?: string;
  where?: string;
  step?: string;
  evidence?: string;
}

export interface RunStatement {
  version: string;
  id: string;
  level: string;
  section: string;
  summary: string;
  verdict: CellVerdict;
  deciding?: Deciding;
  scenarios: Array<{ name: string; where: string; outcome: ScenarioKind }>;
  details: string[];
}

export interface RunScenario {
  name: string;
  where: string;
  version?: string;
  statementIds: string[];
  kind: ScenarioKind;
  cause?: string;
  step?: { text: string; line?: number; statements?: string[] };
  detail?: string;
  trace?: string;
  durationMs?: number;
  /** Schema 2: what the scenario concluded about each statement, and the deciding step. */
  checks: Array<{ version?: string; id: string; outcome: ScenarioKind; step?: string }>;
}

export interface RunData {
  /** r1, r2, ... in the order given. */
  id: string;
  /** Where it was read from. */
  source: string;
  /** Column heading: broker name and version, else the target. */
  label: string;
  broker?: { name?: string; version?: string };
  target: string;
  generatedAt?: string;
  capabilities: string[];
  outcome?: string;
  exitCode?: number;
  inconclusive?: { cause?: string; message?: string };
  findings: Array<{ origin?: string; statementIds?: string[]; message: string }>;
  statements: RunStatement[];
  scenarios: RunScenario[];
}

export const statementKey = (version: string, id: string): string => `${version}|${id}`;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Scenario kinds of either schema → the five outcome words. */
export function scenarioKind(kind: unknown): ScenarioKind {
  switch (kind) {
    case 'passed':
    case 'failed':
    case 'not-applicable':
    case 'advisory':
    case 'inconclusive':
      return kind;
    case 'advisory-failed':
      return 'advisory';
    default:
      return 'inconclusive'; // error, skipped, anything unknown: nothing could be concluded
  }
}

export function statementVerdict(v: unknown): CellVerdict {
  return v === 'passed' || v === 'failed' || v === 'not-applicable' || v === 'advisory' || v === 'inconclusive'
    ? v
    : 'untested';
}

/** Capabilities as short "3.1.1: QoS 2, retain, wildcards" lines. */
function capabilityLines(caps: unknown): string[] {
  const out: string[] = [];
  for (const version of ['3.1.1', '5.0']) {
    const c = obj(obj(caps)[version]);
    if (Object.keys(c).length === 0) continue;
    if (c.supported === false) {
      out.push(`${version}: not supported`);
      continue;
    }
    const parts: string[] = [];
    if (typeof c.maximumQoS === 'number') parts.push(`QoS ${c.maximumQoS}`);
    for (const [k, word] of [
      ['retainAvailable', 'retain'],
      ['wildcardSubscriptions', 'wildcards'],
      ['sharedSubscriptions', 'shared'],
      ['subscriptionIdentifiers', 'sub ids'],
    ] as const) {
      if (c[k] === true) parts.push(word);
    }
    if (typeof c.topicAliasMaximum === 'number' && c.topicAliasMaximum > 0)
      parts.push(`aliases ${c.topicAliasMaximum}`);
    out.push(`${version}: ${parts.join(', ') || 'supported'}`);
  }
  return out;
}

/** One run from a parsed compliance.json (already scrubbed of secrets). */
export function normalizeRun(data: unknown, id: string, source: string): RunData {
  const d = obj(data);
  if (d.tool !== 'mqtt-harness' || !Array.isArray(d.statements)) {
    throw new Error(`${source}: not an mqtt-harness compliance report (no "tool": "mqtt-harness" with statements)`);
  }
  const broker = d.broker ? { name: str(obj(d.broker).name), version: str(obj(d.broker).version) } : undefined;
  const target = str(d.target) ?? 'unknown target';
  const run = obj(d.run);
  const statements = arr(d.statements).map((x): RunStatement => {
    const s = obj(x);
    const dec = s.deciding ? obj(s.deciding) : undefined;
    return {
      version: str(s.version) ?? '?',
      id: str(s.id) ?? '?',
      level: str(s.level) ?? '?',
      section: str(s.section) ?? '',
      summary: str(s.summary) ?? '',
      verdict: statementVerdict(s.verdict),
      deciding: dec
        ? { scenario: str(dec.scenario), where: str(dec.where), step: str(dec.step), evidence: str(dec.evidence) }
        : undefined,
      scenarios: arr(s.scenarios).map((y) => {
        const sc = obj(y);
        return { name: str(sc.name) ?? '', where: str(sc.where) ?? '', outcome: scenarioKind(sc.outcome) };
      }),
      details: arr(s.details).filter((t): t is string => typeof t === 'string'),
    };
  });
  const scenarios = arr(d.scenarioResults).map((x): RunScenario => {
    const s = obj(x);
    const step = s.step ? obj(s.step) : undefined;
    return {
      name: str(s.name) ?? '',
      where: str(s.where) ?? '',
      version: str(s.version),
      statementIds: arr(s.statementIds).filter((t): t is string => typeof t === 'string'),
      kind: scenarioKind(s.kind),
      cause: str(s.cause) ?? (s.kind === 'error' ? 'harness-error' : undefined),
      step:
        step && str(step.text)
          ? {
              text: str(step.text)!,
              line: typeof step.line === 'number' ? step.line : undefined,
              statements: arr(step.statements).filter((t): t is string => typeof t === 'string'),
            }
          : undefined,
      detail: str(s.detail),
      trace: str(s.trace),
      durationMs: typeof s.durationMs === 'number' ? s.durationMs : undefined,
      checks: arr(s.checks)
        .map((y) => {
          const c = obj(y);
          return { version: str(c.version), id: str(c.id) ?? '', outcome: scenarioKind(c.outcome), step: str(c.step) };
        })
        .filter((c) => c.id),
    };
  });
  const findings = arr(d.findings).map((x) => {
    const f = obj(x);
    return {
      origin: str(f.origin),
      statementIds: arr(f.statementIds).filter((t): t is string => typeof t === 'string'),
      message: str(f.message) ?? '',
    };
  });
  // Schema 1 had harness errors as strings: they are findings of the run.
  for (const e of arr(d.harnessErrors))
    if (typeof e === 'string') findings.push({ origin: 'run', statementIds: [], message: `harness error: ${e}` });
  const label = broker?.name
    ? `${broker.name}${broker.version ? ` ${broker.version}` : ''}`
    : target.replace(/\s*\(.*\)$/, '');
  const inc = run.inconclusive ? obj(run.inconclusive) : undefined;
  return {
    id,
    source,
    label,
    broker,
    target,
    generatedAt: str(d.generatedAt),
    capabilities: capabilityLines(d.capabilities),
    outcome: str(run.outcome),
    exitCode: typeof run.exitCode === 'number' ? run.exitCode : undefined,
    inconclusive: inc ? { cause: str(inc.cause), message: str(inc.message) } : undefined,
    findings,
    statements,
    scenarios,
  };
}

/**
 * Same broker, for the diff page: the same column heading (broker name and version, or the
 * --label given; a report without either is headed by its target URL, port included).
 */
export function sameBroker(a: RunData, b: RunData): boolean {
  return a.label === b.label;
}
