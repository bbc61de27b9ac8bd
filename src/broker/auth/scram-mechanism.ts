import { randomBytes } from 'node:crypto';
import type { Properties } from '../../codec/packet-types.ts';
import type { AuthMechanism, AuthSession, AuthStep, ClientInfo } from '../hooks.ts';
import {
  hmac,
  makeNonce,
  parseAttributes,
  safeEqual,
  SCRAM_METHOD,
  sha256,
  unescapeName,
  xor,
  DEFAULT_SCRAM_ITERATIONS,
  type ScramCredentials,
} from './scram-crypto.ts';

/** 5.0 reason codes used on failure. */
const BAD_CREDENTIALS = 0x86;
const NOT_AUTHORIZED = 0x87;

export type ScramLookup = (username: string) => ScramCredentials | undefined;

const fail = (reasonCode: number, reason: string): AuthStep => ({ kind: 'fail', reasonCode, reason });

/**
 * Server side of SCRAM-SHA-256 as an MQTT 5.0 enhanced authentication method (section 4.12):
 * CONNECT carries client-first, AUTH 0x18 carries server-first, AUTH 0x18 carries client-final,
 * CONNACK 0x00 carries server-final. Unknown users get a made-up salt so a client cannot tell
 * them from a wrong password until the final step.
 */
export function createScramMechanism(lookup: ScramLookup, opts: { secret?: Buffer } = {}): AuthMechanism {
  const secret = opts.secret ?? randomBytes(32);
  const fake = (user: string): ScramCredentials => ({
    iterations: DEFAULT_SCRAM_ITERATIONS,
    salt: hmac(secret, `salt:${user}`).subarray(0, 16),
    storedKey: hmac(secret, `stored:${user}`),
    serverKey: hmac(secret, `server:${user}`),
  });
  return {
    method: SCRAM_METHOD,
    createSession: (client: ClientInfo): AuthSession => new ScramSession(client, lookup, fake),
  };
}

class ScramSession implements AuthSession {
  private state: 'start' | 'final' | 'done' = 'start';
  private user = '';
  private known = false;
  private creds?: ScramCredentials;
  private gs2Header = '';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';

  constructor(
    private readonly client: ClientInfo,
    private readonly lookup: ScramLookup,
    private readonly fake: (u: string) => ScramCredentials,
  ) {}

  start(data: Buffer | undefined, _props: Properties): AuthStep {
    if (this.state !== 'start') return fail(NOT_AUTHORIZED, 'SCRAM exchange already started');
    this.state = 'done';
    if (data === undefined || data.length === 0)
      return fail(NOT_AUTHORIZED, 'SCRAM needs client-first-message in Authentication Data');
    const msg = data.toString('utf8');
    const m = /^([nyp])(=[^,]*)?,(a=[^,]*)?,(.*)$/.exec(msg);
    if (m === null) return fail(NOT_AUTHORIZED, 'malformed SCRAM client-first-message (GS2 header)');
    if (m[1] === 'p') return fail(NOT_AUTHORIZED, 'SCRAM channel binding is not supported');
    if (m[3] !== undefined) return fail(NOT_AUTHORIZED, 'SCRAM authorization identity (a=) is not supported');
    this.gs2Header = `${m[1]}${m[2] ?? ''},,`;
    this.clientFirstBare = m[4];
    let attrs: Map<string, string>;
    try {
      attrs = parseAttributes(this.clientFirstBare);
      if (attrs.has('m')) return fail(NOT_AUTHORIZED, 'SCRAM mandatory extensions are not supported');
      const n = attrs.get('n');
      const r = attrs.get('r');
      if (n === undefined || r === undefined || r === '')
        return fail(NOT_AUTHORIZED, 'SCRAM client-first-message lacks n= or r=');
      this.user = unescapeName(n);
      this.nonce = r + makeNonce();
    } catch (e) {
      return fail(NOT_AUTHORIZED, (e as Error).message);
    }
    if (this.client.username !== undefined && this.client.username !== this.user) {
      return fail(BAD_CREDENTIALS, 'SCRAM user name differs from the CONNECT User Name');
    }
    const found = this.lookup(this.user);
    this.known = found !== undefined;
    this.creds = found ?? this.fake(this.user);
    this.serverFirst = `r=${this.nonce},s=${this.creds.salt.toString('base64')},i=${this.creds.iterations}`;
    this.state = 'final';
    return { kind: 'continue', data: Buffer.from(this.serverFirst, 'utf8') };
  }

  next(data: Buffer | undefined): AuthStep {
    if (this.state !== 'final' || this.creds === undefined)
      return fail(NOT_AUTHORIZED, 'unexpected AUTH in SCRAM exchange');
    this.state = 'done';
    if (data === undefined) return fail(NOT_AUTHORIZED, 'SCRAM needs client-final-message in Authentication Data');
    const msg = data.toString('utf8');
    const at = msg.lastIndexOf(',p=');
    if (at < 0) return fail(NOT_AUTHORIZED, 'SCRAM client-final-message lacks the proof');
    const withoutProof = msg.slice(0, at);
    let attrs: Map<string, string>;
    try {
      attrs = parseAttributes(withoutProof);
    } catch (e) {
      return fail(NOT_AUTHORIZED, (e as Error).message);
    }
    if (attrs.get('c') !== Buffer.from(this.gs2Header).toString('base64'))
      return fail(NOT_AUTHORIZED, 'SCRAM channel binding data does not match the GS2 header');
    if (attrs.get('r') !== this.nonce) return fail(NOT_AUTHORIZED, 'SCRAM nonce does not match');
    const proof = Buffer.from(msg.slice(at + 3), 'base64');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.creds.storedKey, authMessage);
    if (proof.length !== clientSignature.length) return fail(BAD_CREDENTIALS, 'SCRAM proof has the wrong length');
    const clientKey = xor(proof, clientSignature);
    if (!this.known || !safeEqual(sha256(clientKey), this.creds.storedKey))
      return fail(BAD_CREDENTIALS, 'bad user name or password');
    const v = hmac(this.creds.serverKey, authMessage).toString('base64');
    return { kind: 'success', data: Buffer.from(`v=${v}`, 'utf8'), username: this.user };
  }
}
