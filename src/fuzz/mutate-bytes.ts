/** Byte-level mutation (zzuf / AFL style): bit flips, interesting bytes, inserts, deletes, splices. Pure. */
import type { Rng } from '../common/rng.ts';
import { pick } from './grammar.ts';

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x40, 0x20, 0x10, 0xc0, 0xef, 0x2b, 0x23];

/** 1..4 random byte-level edits of `frame`; never returns an empty buffer. */
export function mutateBytes(rng: Rng, frame: Buffer): { bytes: Buffer; mutation: string } {
  let b = Buffer.from(frame);
  const n = rng.int(1, 4);
  const names: string[] = [];
  for (let k = 0; k < n; k++) {
    const op = rng.int(0, 5);
    const at = rng.int(0, Math.max(0, b.length - 1));
    switch (op) {
      case 0:
        b[at] ^= 1 << rng.int(0, 7);
        names.push('bitflip');
        break;
      case 1:
        b[at] = pick(rng, INTERESTING);
        names.push('interesting');
        break;
      case 2:
        b[at] = rng.int(0, 255);
        names.push('random');
        break;
      case 3: {
        const ins = Buffer.from(Array.from({ length: rng.int(1, 8) }, () => rng.int(0, 255)));
        b = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
        names.push('insert');
        break;
      }
      case 4:
        if (b.length > 1) {
          const len = rng.int(1, Math.min(8, b.length - 1));
          b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + len))]);
          names.push('delete');
        }
        break;
      default:
        if (b.length > 2) {
          b = b.subarray(0, rng.int(1, b.length - 1));
          names.push('truncate');
        }
    }
  }
  if (b.length === 0) b = Buffer.from([frame[0] ?? 0]);
  return { bytes: b, mutation: `bytes:${[...new Set(names)].sort().join('+') || 'none'}` };
}
