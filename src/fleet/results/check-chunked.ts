/**
 * The guarantee checkers over a whole fleet's history, in chunks of devices. Fleet devices
 * only ever talk to hubs (hub subscribers watch them; hub publishers send them config and
 * commands), never to each other, so a violation involves one device and hubs: each chunk holds
 * its devices' ops, the hubs' own ops, the hubs' receipts of its devices' messages and the
 * faults on its devices' links. Each (message, subscriber) pair is judged in exactly one chunk,
 * with the original op indices, so verdicts, counts and witnesses equal one pass over the
 * whole history, at a cost linear in the fleet instead of quadratic.
 */
import {
  CHECKERS,
  countMissingOps,
  decideVerdict,
  legacyValidity,
  mergeUndecided,
  runChecker,
  verdictSummary,
  type AllOptions,
  type CheckResult,
  type CheckerName,
  type History,
  type Op,
} from '../../checker/index.ts';

/** The process a message id belongs to ("<clientId>:<seq>" or "<clientId>:will:<n>"). */
const ownerOfMsg = (msgId: string | undefined): string | undefined =>
  msgId === undefined ? undefined : msgId.slice(0, msgId.indexOf(':') < 0 ? undefined : msgId.indexOf(':'));

/**
 * The device an op belongs to: its own, the device named by a fault, or the publisher of a
 * message a hub received. Undefined: the op is the hubs' own and every chunk shares it.
 */
export function ownerOf(op: Op, hubs: ReadonlySet<string>): string | undefined {
  let owner: string | undefined = op.process;
  if (op.process === 'nemesis') owner = op.value.clientId;
  else if (hubs.has(op.process)) owner = op.f === 'receive' ? ownerOfMsg(op.value.msgId) : undefined;
  return owner === undefined || owner === 'nemesis' || hubs.has(owner) ? undefined : owner;
}

/** The chunks, and the ops every chunk shares (the hubs' own), whose items each chunk judges again. */
export function chunkHistory(history: History, hubs: ReadonlySet<string>, chunkSize = 400): Op[][] {
  const { chunks, shared } = split(history, hubs, chunkSize);
  return chunks.map((c) => withShared(shared, c));
}

function split(history: History, hubs: ReadonlySet<string>, chunkSize: number): { chunks: Op[][]; shared: Op[] } {
  const devices = new Set<string>();
  for (const op of history) if (op.process !== 'nemesis' && !hubs.has(op.process)) devices.add(op.process);
  const chunkOf = new Map<string, number>();
  [...devices].sort().forEach((p, k) => chunkOf.set(p, Math.floor(k / chunkSize)));
  const n = Math.max(1, Math.ceil(devices.size / chunkSize));
  const shared: Op[] = [];
  const chunks: Op[][] = Array.from({ length: n }, () => []);
  for (const op of history) {
    const owner = ownerOf(op, hubs);
    const c = owner === undefined ? undefined : chunkOf.get(owner);
    if (c === undefined) shared.push(op);
    else chunks[c].push(op);
  }
  return { chunks, shared };
}

/** A chunk's ops with the shared ones, in history order (both are in index order already). */
export function withShared(shared: readonly Op[], chunk: readonly Op[]): Op[] {
  if (shared.length === 0) return chunk as Op[];
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < shared.length || j < chunk.length)
    out.push(j >= chunk.length || (i < shared.length && shared[i].index < chunk[j].index) ? shared[i++] : chunk[j++]);
  return out;
}

/** One result per checker, combined over the chunks exactly as one pass would count. */
export function checkFleet(
  history: History,
  names: readonly CheckerName[],
  hubs: ReadonlySet<string>,
  opts: AllOptions = {},
  chunkSize = 400,
): CheckResult[] {
  const { chunks, shared } = split(history, hubs, chunkSize);
  // The chunks are slices of one complete history: tell the checkers how complete the whole is.
  return checkChunks(chunks, shared, names, { ...opts, missingOps: countMissingOps(history) });
}

/**
 * Judges chunk after chunk (each is read once and can be dropped after), every checker per
 * chunk, then combines. `chunks` may be lazy (read from files) so only one is held at a time.
 * `opts.missingOps` must describe the whole history.
 */
export function checkChunks(
  chunks: Iterable<readonly Op[]>,
  shared: readonly Op[],
  names: readonly CheckerName[],
  opts: AllOptions,
): CheckResult[] {
  const per = names.map((): CheckResult[] => []);
  let n = 0;
  for (const c of chunks) {
    const ops = withShared(shared, c);
    names.forEach((name, k) =>
      per[k].push(runChecker(CHECKERS[name], ops, { ...opts, maxViolations: Number.MAX_SAFE_INTEGER })),
    );
    n++;
  }
  if (n === 0)
    names.forEach((name, k) =>
      per[k].push(runChecker(CHECKERS[name], [...shared], { ...opts, maxViolations: Number.MAX_SAFE_INTEGER })),
    );
  return names.map((name, k) => {
    const hubOnly =
      per[k].length > 1 && shared.length > 0
        ? runChecker(CHECKERS[name], [...shared], { ...opts, shrink: false })
        : undefined;
    return combine(name, per[k], hubOnly, opts.maxViolations ?? 20);
  });
}

/**
 * One result from the chunks' results. Items among the hubs alone (`hubOnly`, judged on the
 * shared ops) were judged in every chunk; they are counted once, and violations are
 * de-duplicated by key. The verdict follows the checkers' own rule (decideVerdict).
 */
export function combine(name: CheckerName, rs: CheckResult[], hubOnly?: CheckResult, maxViolations = 20): CheckResult {
  if (rs.length === 1) return { ...rs[0], violations: rs[0].violations?.slice(0, maxViolations) };
  const spec = CHECKERS[name];
  const extra = hubOnly === undefined ? 0 : rs.length - 1;
  const checked = rs.reduce((n, r) => n + r.checked, 0) - extra * (hubOnly?.checked ?? 0);
  const unknown = rs.reduce((n, r) => n + r.unknown, 0) - extra * (hubOnly?.unknown ?? 0);
  const seen = new Set<string>();
  const violations = rs
    .flatMap((r) => r.violations ?? [])
    .filter((v) => (seen.has(v.key) ? false : (seen.add(v.key), true)));
  const undecided = mergeUndecided(rs.map((r) => r.undecided))
    .map((u) => ({
      ...u,
      count: u.count - extra * (hubOnly?.undecided.find((h) => h.reason === u.reason)?.count ?? 0),
    }))
    .filter((u) => u.count > 0);
  const either = mergeUndecided(rs.map((r) => r.either ?? []))
    .map((u) => ({
      ...u,
      count: u.count - extra * (hubOnly?.either?.find((h) => h.reason === u.reason)?.count ?? 0),
    }))
    .filter((u) => u.count > 0);
  const counts = { violations: violations.length, checked, unknown };
  const verdict = decideVerdict(counts);
  const first = rs.find((r) => r.verdict === 'invalid');
  return {
    verdict,
    valid: legacyValidity(verdict),
    checker: spec.name,
    statements: rs[0].statements,
    checked,
    unknown,
    undecided,
    summary: verdictSummary(spec, counts, undecided, violations[0]?.message, either),
    ...(either.length > 0 ? { either } : {}),
    ...(first?.witness ? { witness: first.witness } : {}),
    ...(violations.length > 0 ? { violations: violations.slice(0, maxViolations) } : {}),
  };
}
