/** zod building blocks for toxic attributes (numbers in ms, or "300ms" / "2s" / "1.5m" strings). */
import { z } from 'zod';

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses 250, "250", "250ms", "2s", "1.5m", "1h" into milliseconds. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v);
  if (m === null) return undefined;
  return Number(m[1]) * unitMs[m[2] ?? 'ms'];
}

/** A non-negative duration in ms, given as a number or a string with a unit. */
export const duration = z.preprocess(
  (v) => parseDuration(v) ?? v,
  z.number({ error: 'expected a duration: milliseconds or a string like "300ms", "2s", "1m"' }).min(0),
);

export const nonNeg = z.number().min(0);
export const posInt = z.number().int().min(1);
export const prob = z.number().min(0).max(1);
