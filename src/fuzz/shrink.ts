/**
 * Shrinking a failing frame sequence to a minimal one (pure). A generator proposes candidates;
 * the caller replays each against the broker and sends back whether it still fails the same
 * way. Phases: drop whole frames (chunks halving down to one), then drop byte ranges inside each
 * frame, then zero single bytes. Bounded by maxAttempts.
 */
export interface ShrinkResult {
  frames: Buffer[];
  attempts: number;
}

export function* shrinkFrames(start: readonly Buffer[], maxAttempts = 300): Generator<Buffer[], ShrinkResult, boolean> {
  let best: Buffer[] = start.map((b) => Buffer.from(b) as Buffer);
  let attempts = 0;
  const tryIt = function* (cand: Buffer[]): Generator<Buffer[], boolean, boolean> {
    if (attempts >= maxAttempts) return false;
    attempts++;
    const ok: boolean = yield cand;
    if (ok) best = cand;
    return ok;
  };
  // 1. Frames: remove chunks.
  for (let k = Math.max(1, best.length >> 1); k >= 1; k = k >> 1) {
    for (let i = 0; i + k <= best.length && best.length > 1;) {
      const cand = [...best.slice(0, i), ...best.slice(i + k)];
      if (cand.length === 0 || !(yield* tryIt(cand))) i += k;
      if (attempts >= maxAttempts) return { frames: best, attempts };
    }
    if (k === 1) break;
  }
  // 2. Bytes inside each frame: remove ranges, halving.
  for (let f = 0; f < best.length; f++) {
    for (let k = Math.max(1, best[f].length >> 1); k >= 1; k = k >> 1) {
      for (let i = 0; i + k <= best[f].length && best[f].length > 1;) {
        const fr = best[f];
        const cand = [...best];
        cand[f] = Buffer.concat([fr.subarray(0, i), fr.subarray(i + k)]);
        if (!(yield* tryIt(cand))) i += k;
        if (attempts >= maxAttempts) return { frames: best, attempts };
      }
      if (k === 1) break;
    }
  }
  // 3. Zero bytes (simpler values), past the first byte of each frame.
  for (let f = 0; f < best.length; f++) {
    for (let i = 1; i < best[f].length; i++) {
      if (best[f][i] === 0) continue;
      const cand = [...best];
      cand[f] = Buffer.from(best[f]);
      cand[f][i] = 0;
      yield* tryIt(cand);
      if (attempts >= maxAttempts) return { frames: best, attempts };
    }
  }
  return { frames: best, attempts };
}

/** Drive the shrinker with an async predicate ("still fails the same way"). */
export async function shrinkAsync(
  start: readonly Buffer[],
  stillFails: (frames: Buffer[]) => Promise<boolean>,
  maxAttempts = 300,
): Promise<ShrinkResult> {
  const gen = shrinkFrames(start, maxAttempts);
  let step = gen.next(false);
  while (!step.done) step = gen.next(await stillFails(step.value));
  return step.value;
}
