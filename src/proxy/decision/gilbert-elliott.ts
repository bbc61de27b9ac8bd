/**
 * Pure two-state Gilbert–Elliott channel: a Markov chain stepped at fixed intervals. In the
 * good state the link works; in the bad state it is out (see proxy-toxics `flaky`).
 */
import type { Rng } from '../../common/rng.ts';

export type GeState = 'good' | 'bad';

export interface GeParams {
  /** Per-step probability of going from good to bad. */
  p_good_to_bad: number;
  /** Per-step probability of going from bad to good. */
  p_bad_to_good: number;
}

export function geStep(state: GeState, p: GeParams, rng: Rng): GeState {
  if (state === 'good') return rng.chance(p.p_good_to_bad) ? 'bad' : 'good';
  return rng.chance(p.p_bad_to_good) ? 'good' : 'bad';
}

/** The first `steps` states after `start`, for tests and for printing a run's schedule. */
export function geTrace(start: GeState, p: GeParams, rng: Rng, steps: number): GeState[] {
  const out: GeState[] = [];
  let s = start;
  for (let i = 0; i < steps; i++) out.push((s = geStep(s, p, rng)));
  return out;
}

/** Long-run fraction of time in the bad state: p_gb / (p_gb + p_bg). */
export function geBadFraction(p: GeParams): number {
  const d = p.p_good_to_bad + p.p_bad_to_good;
  return d === 0 ? 0 : p.p_good_to_bad / d;
}
