import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** The primitives of SCRAM-SHA-256 (RFC 5802 section 3, RFC 7677). */
export const SCRAM_METHOD = 'SCRAM-SHA-256';
export const DEFAULT_SCRAM_ITERATIONS = 4096;

export const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest();
export const hmac = (key: Buffer, text: string | Buffer): Buffer => createHmac('sha256', key).update(text).digest();
export const xor = (a: Buffer, b: Buffer): Buffer => {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
};
export const safeEqual = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

/**
 * Prepares a password: Unicode NFKC normalisation, the mapping step of SASLprep (RFC 4013).
 * The prohibited-character checks of full SASLprep are not done; ASCII passwords are unchanged.
 */
export const normalizePassword = (pw: string): string => pw.normalize('NFKC');

/** SaltedPassword := Hi(Normalize(password), salt, i), Hi being PBKDF2 with HMAC-SHA-256. */
export const saltedPassword = (password: string, salt: Buffer, iterations: number): Buffer =>
  pbkdf2Sync(normalizePassword(password), salt, iterations, 32, 'sha256');

/** What the server stores per user: never the password itself. */
export interface ScramCredentials {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function deriveScramCredentials(
  password: string,
  opts: { salt?: Buffer; iterations?: number } = {},
): ScramCredentials {
  const salt = opts.salt ?? randomBytes(16);
  const iterations = opts.iterations ?? DEFAULT_SCRAM_ITERATIONS;
  const salted = saltedPassword(password, salt, iterations);
  return {
    iterations,
    salt,
    storedKey: sha256(hmac(salted, 'Client Key')),
    serverKey: hmac(salted, 'Server Key'),
  };
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64 parts), the form PostgreSQL also uses. */
export function formatScramCredentials(c: ScramCredentials): string {
  const b = (x: Buffer) => x.toString('base64');
  return `${SCRAM_METHOD}$${c.iterations}:${b(c.salt)}$${b(c.storedKey)}:${b(c.serverKey)}`;
}

export function parseScramCredentials(s: string): ScramCredentials {
  const m = /^SCRAM-SHA-256\$([1-9][0-9]*):([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})$/.exec(
    s,
  );
  if (m === null)
    throw new Error(
      'expected "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>" (make one with `mqtt-harness broker hash-password`)',
    );
  const storedKey = Buffer.from(m[3], 'base64');
  const serverKey = Buffer.from(m[4], 'base64');
  if (storedKey.length !== 32 || serverKey.length !== 32)
    throw new Error('SCRAM StoredKey and ServerKey must be 32 bytes each');
  return { iterations: Number(m[1]), salt: Buffer.from(m[2], 'base64'), storedKey, serverKey };
}

/** A printable nonce without ',' (RFC 5802 "printable"). */
export const makeNonce = (bytes = 18): string => randomBytes(bytes).toString('base64');

/** Parses "a=1,b=2" into a map; values may contain '='. Throws on a malformed attribute. */
export function parseAttributes(msg: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of msg.split(',')) {
    if (!/^[A-Za-z]=/.test(part)) throw new Error(`malformed SCRAM attribute "${part}"`);
    out.set(part[0], part.slice(2));
  }
  return out;
}

/** saslname escaping: ',' → =2C and '=' → =3D. */
export const escapeName = (n: string): string => n.replace(/=/g, '=3D').replace(/,/g, '=2C');
export function unescapeName(n: string): string {
  if (/=(?!2C|3D)/.test(n)) throw new Error('malformed SCRAM username escape');
  return n.replace(/=2C/g, ',').replace(/=3D/g, '=');
}
