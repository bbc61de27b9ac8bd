import { createHash } from 'node:crypto';
import type { AuthenticateResult, Authenticator, ClientInfo } from '../hooks.ts';
import { parsePasswordHash, verifyPassword, type ParsedPasswordHash } from './password-hash.ts';
import { parseScramCredentials, type ScramCredentials } from './scram-crypto.ts';

/** A configured user: `password` is an scrypt hash, `scram` SCRAM-SHA-256 credentials; either may be absent. */
export interface UserRecord {
  username: string;
  password?: string;
  scram?: string;
}

const BAD_CREDENTIALS = 0x86;
const NOT_AUTHORIZED = 0x87;

/** How many recently verified (user, password digest) pairs are remembered. */
const VERIFIED_CACHE = 1024;

export class UserStore {
  private readonly hashes = new Map<string, ParsedPasswordHash | undefined>();
  private readonly scram = new Map<string, ScramCredentials>();
  /**
   * scrypt is slow on purpose (tens of ms); test suites reconnect the same user many times.
   * Remembers SHA-256 digests of passwords that verified, keyed by user, oldest dropped first.
   * Only successes are cached, so a wrong password always pays the full scrypt cost.
   */
  private readonly verified = new Map<string, true>();

  /** Throws naming the user whose stored hash is malformed. */
  constructor(users: readonly UserRecord[]) {
    for (const u of users) {
      if (this.hashes.has(u.username)) throw new Error(`user "${u.username}" is listed twice`);
      try {
        this.hashes.set(u.username, u.password !== undefined ? parsePasswordHash(u.password) : undefined);
        if (u.scram !== undefined) this.scram.set(u.username, parseScramCredentials(u.scram));
      } catch (e) {
        throw new Error(`user "${u.username}": ${(e as Error).message}`, { cause: e });
      }
    }
  }

  get size(): number {
    return this.hashes.size;
  }

  has(username: string): boolean {
    return this.hashes.has(username);
  }

  scramCredentials(username: string): ScramCredentials | undefined {
    return this.scram.get(username);
  }

  async check(username: string, password: Buffer | undefined): Promise<boolean> {
    const h = this.hashes.get(username);
    if (h === undefined || password === undefined) return false;
    const key = `${username}\0${createHash('sha256').update(password).digest('base64')}`;
    if (this.verified.has(key)) return true;
    const ok = await verifyPassword(password, h);
    if (ok) {
      if (this.verified.size >= VERIFIED_CACHE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(key, true);
    }
    return ok;
  }
}

/**
 * Username/password check on CONNECT. With no user name the client is anonymous and passes
 * only when allowAnonymous is set. With a user name, the user must be configured and the
 * password must match its scrypt hash; when no users are configured at all, a user name is
 * only an identity and is treated like anonymous.
 */
export function createUserAuthenticator(store: UserStore, opts: { allowAnonymous: boolean }): Authenticator {
  return {
    async authenticate(client: ClientInfo, password: Buffer | undefined): Promise<AuthenticateResult> {
      const anonymous = client.username === undefined || store.size === 0;
      if (anonymous) {
        return opts.allowAnonymous
          ? { ok: true }
          : { ok: false, reasonCode: NOT_AUTHORIZED, reason: 'anonymous clients are not allowed' };
      }
      if (await store.check(client.username!, password)) return { ok: true };
      return { ok: false, reasonCode: BAD_CREDENTIALS, reason: 'bad user name or password' };
    },
  };
}
