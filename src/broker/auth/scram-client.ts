import {
  escapeName,
  hmac,
  makeNonce,
  parseAttributes,
  safeEqual,
  saltedPassword,
  sha256,
  xor,
} from './scram-crypto.ts';

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 / RFC 7677), without channel binding ("n,,").
 * Use: firstMessage() → CONNECT Authentication Data; finalMessage(server-first) → AUTH 0x18 data;
 * verifyServerFinal(server-final) on the CONNACK's Authentication Data. Each step throws an Error
 * that says what was wrong with the server's message.
 */
export class ScramClient {
  private readonly gs2Header = 'n,,';
  private readonly clientFirstBare: string;
  private expectedServerSignature?: Buffer;

  constructor(
    readonly username: string,
    private readonly password: string,
    readonly nonce: string = makeNonce(),
  ) {
    if (nonce.includes(',')) throw new Error('SCRAM nonce must not contain ","');
    this.clientFirstBare = `n=${escapeName(username)},r=${nonce}`;
  }

  firstMessage(): Buffer {
    return Buffer.from(this.gs2Header + this.clientFirstBare, 'utf8');
  }

  finalMessage(serverFirst: Buffer | string): Buffer {
    const sf = serverFirst.toString();
    const a = parseAttributes(sf);
    if (a.has('m')) throw new Error('server-first-message has a mandatory extension we do not support');
    const r = a.get('r');
    const s = a.get('s');
    const i = a.get('i');
    if (r === undefined || s === undefined || i === undefined)
      throw new Error(`server-first-message lacks r, s or i: "${sf}"`);
    if (!r.startsWith(this.nonce) || r.length === this.nonce.length)
      throw new Error('server nonce does not extend the client nonce');
    if (!/^[1-9][0-9]*$/.test(i)) throw new Error(`server iteration count is not a positive integer: "${i}"`);
    const salted = saltedPassword(this.password, Buffer.from(s, 'base64'), Number(i));
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = sha256(clientKey);
    const withoutProof = `c=${Buffer.from(this.gs2Header).toString('base64')},r=${r}`;
    const authMessage = `${this.clientFirstBare},${sf},${withoutProof}`;
    const proof = xor(clientKey, hmac(storedKey, authMessage));
    this.expectedServerSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
  }

  /** Throws unless the server proved it knows the password's ServerKey. */
  verifyServerFinal(serverFinal: Buffer | string): void {
    if (this.expectedServerSignature === undefined) throw new Error('verifyServerFinal called before finalMessage');
    const a = parseAttributes(serverFinal.toString());
    const e = a.get('e');
    if (e !== undefined) throw new Error(`server reported SCRAM error "${e}"`);
    const v = a.get('v');
    if (v === undefined) throw new Error('server-final-message lacks v=');
    if (!safeEqual(Buffer.from(v, 'base64'), this.expectedServerSignature))
      throw new Error('server signature does not match');
  }
}
