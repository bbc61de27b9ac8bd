/**
 * The guarantee checkers over a whole fleet's history, in chunks of devices. Fleet devices
 * only ever talk to hubs (hub subscribers watch them; hub publishers send them config and
 * commands), never to each other, so a violation involves one device and hubs: each chunk holds
 * its devices' ops, the hubs' own ops, the hubs' receipts of its devices' messages and the
 * faults on its devices' links. Each (message, subscriber) pair is judged in exactly one chunk,
 * with the original op indices, so verdicts, counts and witnesses equal one pass over the
 * whole history, at a cost linear in the fleet instead of quadratic.
 */
import { CHECKERS, runChecker, type AllOptions, type CheckResult, type CheckerName, type History, type Op } from '../../checker/index.ts';

/** The process a message id belongs to ("<clientId>:<seq>" or "<clientId>:will:<n>"). */
const ownerOfMsg = (msgId: string | undefined): string | undefined => (msgId === undefined ? undefined : msgId.slice(0, msgId.indexOf(':') < 0 ? undefined : msgId.indexOf(':')));

export function chunkHistory(history: History, hubs: ReadonlySet<string>, chunkSize = 400): Op[][] {
  const devices = new Set<string>();
  for (const op of history) if (op.process !== 'nemesis' && !hubs.has(op.process)) devices.add(op.process);
  const chunkOf = new Map<string, number>();
  [...devices].sort().forEach((p, k) => chunkOf.set(p, Math.floor(k / chunkSize)));
  const n = Math.max(1, Math.ceil(devices.size / chunkSize));
  const shared: Op[] = [];
  const chunks: Op[][] = Array.from({ length: n }, () => []);
  for (const op of history) {
    let owner: string | undefined = op.process;
    if (op.process === 'nemesis') owner = op.value.clientId;
    else if (hubs.has(op.process)) owner = op.f === 'receive' ? ownerOfMsg(op.value.msgId) : undefined;
    const c = owner === undefined ? undefined : chunkOf.get(owner);
    if (c === undefined) shared.push(op);
    else chunks[c].push(op);
  }
  return chunks.map((c) => (shared.length === 0 ? c : [...shared, ...c].sort((a, b) => a.index - b.index)));
}

/** One result per checker, combined over the chunks exactly as one pass would count. */
export function checkFleet(history: History, names: readonly CheckerName[], hubs: ReadonlySet<string>, opts: AllOptions = {}, chunkSize = 400): CheckResult[] {
  const chunks = chunkHistory(history, hubs, chunkSize);
  return names.map((name) => combine(name, chunks.map((c) => runChecker(CHECKERS[name], c, opts))));
}

export function combine(name: CheckerName, rs: CheckResult[]): CheckResult {
  if (rs.length === 1) return rs[0];
  const spec = CHECKERS[name];
  const checked = rs.reduce((n, r) => n + r.checked, 0);
  const unknown = rs.reduce((n, r) => n + r.unknown, 0);
  const bad = rs.filter((r) => r.valid === false);
  const statements = rs[0].statements;
  if (bad.length > 0) {
    const violations = bad.flatMap((r) => r.violations ?? []);
    const count = bad.reduce((n, r) => n + Number(/: (\d+) violation/.exec(r.summary)?.[1] ?? r.violations?.length ?? 1), 0);
    const first = bad[0].summary.replace(/^.*?; first: /, '');
    return { ...bad[0], checked, unknown, violations: violations.slice(0, 20), summary: `${spec.name}: ${count} violation(s) among ${checked} ${spec.noun}; first: ${first}` };
  }
  const valid = unknown > 0 && unknown >= checked ? 'unknown' : true;
  const summary = valid === 'unknown'
    ? `${spec.name}: nothing decidable among ${checked} ${spec.noun}`
    : `${spec.name}: ${checked - unknown} ${spec.noun} hold, ${unknown} undecided`;
  return { valid, checker: spec.name, statements, checked, unknown, summary };
}
