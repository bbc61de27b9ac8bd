/** Edit distance between two short strings; a swap of two adjacent letters counts as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `word` (case-insensitive; a prefix or a shared stem counts), or
 * undefined when none is close enough to be a likely typo. For "did you mean ...?".
 */
export function closeMatch(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const l = c.toLowerCase();
    // A prefix counts as close, but less than a real typo of the same word.
    const score = l.startsWith(w) || w.startsWith(l) ? Math.min(1.5, editDistance(w, l)) : editDistance(w, l);
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = Math.max(2, Math.floor(w.length / 3));
  return best !== undefined && bestScore <= limit ? best : undefined;
}

/** " (did you mean `x`?)" or "". */
export const didYouMean = (word: string, candidates: Iterable<string>): string => {
  const m = closeMatch(word, candidates);
  return m ? ` (did you mean \`${m}\`?)` : '';
};
