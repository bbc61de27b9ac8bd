import { describe, expect, it } from 'vitest';
import {
  createScramMechanism,
  deriveScramCredentials,
  formatScramCredentials,
  parseScramCredentials,
  ScramClient,
} from '../../../src/broker/auth/index.ts';
import type { AuthStep, ClientInfo } from '../../../src/broker/hooks.ts';

// RFC 7677 section 3: user "user", password "pencil", 4096 iterations.
const V = {
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

const client: ClientInfo = { clientId: 'c1', protocolLevel: 5, transport: 'tcp' };

function expectKind<K extends AuthStep['kind']>(s: AuthStep, kind: K): Extract<AuthStep, { kind: K }> {
  expect(s.kind, JSON.stringify(s)).toBe(kind);
  return s as Extract<AuthStep, { kind: K }>;
}

describe('SCRAM-SHA-256', () => {
  it('client reproduces the RFC 7677 test vector', () => {
    const c = new ScramClient('user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    expect(c.firstMessage().toString()).toBe(V.clientFirst);
    expect(c.finalMessage(V.serverFirst).toString()).toBe(V.clientFinal);
    expect(() => c.verifyServerFinal(V.serverFinal)).not.toThrow();
    expect(() => c.verifyServerFinal('v=AAAA' + V.serverFinal.slice(6))).toThrow(/signature/);
  });

  it('server verifies the RFC 7677 client proof and answers the RFC server-final', () => {
    const creds = deriveScramCredentials('pencil', {
      salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
      iterations: 4096,
    });
    const mech = createScramMechanism((u) => (u === 'user' ? creds : undefined));
    const s = mech.createSession(client);
    const first = expectKind(s.start(Buffer.from(V.clientFirst), {}) as AuthStep, 'continue');
    const sf = first.data!.toString();
    expect(sf).toMatch(/^r=rOprNGfwEbeRWgbNEkqO[^,]+,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096$/);
    // Our server nonce is random, so run the real client against it and check the whole exchange.
    const c = new ScramClient('user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    c.firstMessage();
    const done = expectKind(s.next(c.finalMessage(sf)) as AuthStep, 'success');
    expect(done.username).toBe('user');
    expect(() => c.verifyServerFinal(done.data!)).not.toThrow();
  });

  it('rejects a wrong password and an unknown user alike, at the final step', () => {
    const creds = deriveScramCredentials('right');
    const mech = createScramMechanism((u) => (u === 'alice' ? creds : undefined));
    for (const [user, pw] of [
      ['alice', 'wrong'],
      ['mallory', 'right'],
    ]) {
      const s = mech.createSession(client);
      const c = new ScramClient(user, pw);
      const first = expectKind(s.start(c.firstMessage(), {}) as AuthStep, 'continue');
      const f = expectKind(s.next(c.finalMessage(first.data!)) as AuthStep, 'fail');
      expect(f.reasonCode).toBe(0x86);
    }
  });

  it('rejects malformed and unsupported client messages with a reason', () => {
    const mech = createScramMechanism(() => deriveScramCredentials('x'));
    const bad = ['', 'garbage', 'p=tls-server-end-point,,n=a,r=b', 'n,a=other,n=a,r=b', 'n,,n=a', 'n,,n=a,r=b,m=ext'];
    for (const m of bad) {
      const f = expectKind(mech.createSession(client).start(Buffer.from(m), {}) as AuthStep, 'fail');
      expect(f.reason).toBeTruthy();
    }
    const s = mech.createSession(client);
    const c = new ScramClient('a', 'x');
    const first = expectKind(s.start(c.firstMessage(), {}) as AuthStep, 'continue');
    const tampered = c
      .finalMessage(first.data!)
      .toString()
      .replace(/r=[^,]+/, 'r=other');
    expect(expectKind(s.next(Buffer.from(tampered)) as AuthStep, 'fail').reason).toMatch(/nonce/);
  });

  it('stored credentials round-trip through their text form and reject bad text', () => {
    const c = deriveScramCredentials('pw', { iterations: 1000 });
    const back = parseScramCredentials(formatScramCredentials(c));
    expect(back.storedKey.equals(c.storedKey)).toBe(true);
    expect(back.iterations).toBe(1000);
    expect(() => parseScramCredentials('SCRAM-SHA-256$x:y$z')).toThrow(/expected/);
  });

  it('refuses a CONNECT user name that differs from the SCRAM name', () => {
    const mech = createScramMechanism(() => deriveScramCredentials('x'));
    const f = expectKind(
      mech
        .createSession({ ...client, username: 'bob' })
        .start(new ScramClient('alice', 'x').firstMessage(), {}) as AuthStep,
      'fail',
    );
    expect(f.reasonCode).toBe(0x86);
  });
});
