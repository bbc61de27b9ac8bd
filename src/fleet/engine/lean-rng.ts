/**
 * The fleet's seeded generator: the same mulberry32 sequence as createRng (src/common/rng.ts),
 * as a class, so a device's generator is one small object with its methods on the prototype
 * instead of four closures and their context (tens of thousands of devices per process).
 */
import { hashString, type Rng } from '../../common/index.ts';

export class LeanRng implements Rng {
  readonly seed: number;
  private a: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.a = this.seed;
  }

  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return p >= 1 || (p > 0 && this.next() < p);
  }

  fork(label: string): Rng {
    return new LeanRng(hashString(label) ^ Math.floor(this.next() * 4294967296));
  }
}
