/**
 * Seeded pseudo-random numbers (mulberry32). Every random choice in the harness
 * draws from one of these so that a run can be replayed from its seed.
 */
export interface Rng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A child generator whose seed is derived from this one and a label. */
  fork(label: string): Rng;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: seed >>> 0,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => p >= 1 || (p > 0 && next() < p),
    fork: (label) => createRng(hashString(label) ^ Math.floor(next() * 4294967296)),
  };
}

/** FNV-1a 32-bit hash, used to derive seeds from labels. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seed from the environment (MQTT_HARNESS_SEED) or a fresh random one. */
export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MQTT_HARNESS_SEED;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new RangeError(`MQTT_HARNESS_SEED must be an integer 0..4294967295, got "${raw}"`);
    }
    return n;
  }
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}
