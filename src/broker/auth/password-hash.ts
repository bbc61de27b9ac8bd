import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes for the config file's users, as `scrypt$N$r$p$<salt base64>$<hash base64>`.
 * Cleartext passwords are never stored; `mqtt-harness broker hash-password` makes these.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1 };
const KEY_LEN = 32;

export interface ParsedPasswordHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

function scryptAsync(pw: Buffer, salt: Buffer, len: number, prm: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pw, salt, len, { N: prm.N, r: prm.r, p: prm.p, maxmem: 256 * prm.N * prm.r + 1024 * 1024 }, (e, k) =>
      e ? reject(e) : resolve(k),
    ),
  );
}

const b64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses a stored hash; throws an Error saying which part is wrong. */
export function parsePasswordHash(stored: string): ParsedPasswordHash {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    throw new Error('expected "scrypt$N$r$p$salt$hash" (make one with `mqtt-harness broker hash-password`)');
  }
  const [, n, r, p, salt, hash] = parts;
  const int = (s: string, name: string) => {
    if (!/^[1-9][0-9]*$/.test(s)) throw new Error(`scrypt ${name} must be a positive integer, got "${s}"`);
    return Number(s);
  };
  const N = int(n, 'N');
  if ((N & (N - 1)) !== 0 || N < 2) throw new Error(`scrypt N must be a power of two above 1, got ${N}`);
  if (!b64.test(salt)) throw new Error('scrypt salt is not base64');
  if (!b64.test(hash)) throw new Error('scrypt hash is not base64');
  return { N, r: int(r, 'r'), p: int(p, 'p'), salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function hashPassword(password: string | Buffer, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(Buffer.from(password), salt, KEY_LEN, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time check of a password against a stored hash (string or already parsed). */
export async function verifyPassword(password: string | Buffer, stored: string | ParsedPasswordHash): Promise<boolean> {
  const h = typeof stored === 'string' ? parsePasswordHash(stored) : stored;
  const key = await scryptAsync(Buffer.from(password), h.salt, h.hash.length, h);
  return key.length === h.hash.length && timingSafeEqual(key, h.hash);
}
