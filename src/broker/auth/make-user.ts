import { hashPassword, DEFAULT_SCRYPT, type ScryptParams } from './password-hash.ts';
import { deriveScramCredentials, formatScramCredentials } from './scram-crypto.ts';
import type { UserRecord } from './users.ts';

/** Builds a config user entry holding both an scrypt hash and SCRAM-SHA-256 credentials. */
export async function makeUserRecord(
  username: string,
  password: string,
  opts: { scrypt?: ScryptParams; scramIterations?: number } = {},
): Promise<UserRecord> {
  return {
    username,
    password: await hashPassword(password, opts.scrypt ?? DEFAULT_SCRYPT),
    scram: formatScramCredentials(deriveScramCredentials(password, { iterations: opts.scramIterations })),
  };
}
