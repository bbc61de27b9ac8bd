/** The audit's TLS checks against the reference broker with a TLS listener (throw-away CA). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger, startBroker, type RunningBroker } from '../../src/broker/index.ts';
import { runAudit, type AuditCheck } from '../../src/audit/index.ts';
import { handshake, tlsChecks } from '../../src/audit/tls-checks.ts';
import { NONE_OFFERABLE, offerable, weakCipherCheck } from '../../src/audit/weak-ciphers.ts';
import { makeTestCerts, type TestCerts } from '../transport/certs.ts';

let certs: TestCerts;
let b: RunningBroker;
beforeAll(async () => {
  certs = makeTestCerts();
  b = await startBroker({ port: 0, tlsPort: 0, cert: certs.cert, key: certs.key, logger: silentLogger });
});
afterAll(async () => {
  await b.close();
  certs.cleanup();
});

const byId = (cs: AuditCheck[]) => new Map(cs.map((c) => [c.id, c]));
const tlsPort = () => Number(new URL(b.urls.find((u) => u.startsWith('mqtts:'))!).port);

it('modern TLS only; the certificate verifies with its CA, not with the system CAs; plaintext credentials are a finding', async () => {
  const base = {
    endpoint: { host: '127.0.0.1', port: b.port },
    identity: { username: 'u', password: Buffer.from('pw-secret-1') },
  };
  const withCa = byId(await tlsChecks({ ...base, tlsEndpoint: { host: '127.0.0.1', port: tlsPort(), ca: certs.ca } }));
  expect(withCa.get('tls-old-versions')?.verdict).toBe('passed');
  // Passed when this runtime can offer weak ciphers (and the broker refuses them), else inconclusive.
  const weak = withCa.get('tls-weak-ciphers')!;
  if (offerable().length > 0) {
    expect(weak.verdict).toBe('passed');
    expect(weak.answer).toMatch(/NULL encryption: refused/);
  } else expect(weak).toMatchObject({ verdict: 'inconclusive', tried: NONE_OFFERABLE });
  expect(withCa.get('tls-certificate')?.verdict).toBe('passed');
  expect(withCa.get('plaintext-credentials')?.verdict).toBe('failed');
  const noCa = byId(await tlsChecks({ ...base, tlsEndpoint: { host: '127.0.0.1', port: tlsPort() } }));
  expect(noCa.get('tls-certificate')?.verdict).toBe('failed');
  expect(noCa.get('tls-certificate')?.answer).toMatch(/not verified/);
});

it('without a TLS listener the TLS checks are not applicable, and the report never holds the password', async () => {
  const r = await runAudit({
    endpoint: { host: '127.0.0.1', port: b.port },
    identity: { username: 'u', password: Buffer.from('pw-secret-2') },
    idleWaitMs: 500,
    subscriptionProbe: 200,
    queueProbe: 50,
    oversizeBytes: 1024 * 1024,
  });
  expect(byId(r.checks).get('tls-old-versions')?.verdict).toBe('not-applicable');
  expect(JSON.stringify(r)).not.toContain('pw-secret-2');
}, 60_000);

it('a TLS server that accepts TLS 1.0 / 1.1 is a high finding (positive control)', async () => {
  const tlsMod = await import('node:tls');
  const srv = tlsMod.createServer(
    { cert: certs.cert, key: certs.key, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' },
    (s) => s.end(),
  );
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  try {
    const r = byId(
      await tlsChecks({
        endpoint: { host: '127.0.0.1', port: b.port },
        identity: {},
        tlsEndpoint: { host: '127.0.0.1', port },
      }),
    );
    expect(r.get('tls-old-versions')).toMatchObject({ verdict: 'failed', severity: 'high' });
    expect(r.get('tls-old-versions')?.answer).toMatch(/TLSv1: accepted/);
  } finally {
    srv.close();
  }
});

it('a TLS server that accepts NULL and anonymous ciphers is a medium finding (negative control)', async () => {
  const tlsMod = await import('node:tls');
  const srv = tlsMod.createServer(
    {
      cert: certs.cert,
      key: certs.key,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.2',
      ciphers: 'eNULL:aNULL:DEFAULT:@SECLEVEL=0',
      dhparam: 'auto',
    },
    (s) => s.end(),
  );
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  try {
    const c = await weakCipherCheck({ host: '127.0.0.1', port, rejectUnauthorized: false }, handshake);
    if (offerable().length === 0) {
      // This runtime cannot offer any: the check must say so rather than pass.
      expect(c).toMatchObject({ verdict: 'inconclusive', tried: NONE_OFFERABLE });
      return;
    }
    expect(c).toMatchObject({ verdict: 'failed', severity: 'medium' });
    expect(c.answer).toMatch(/NULL encryption: accepted \(TLSv1\.2 [A-Z0-9-]*NULL/);
    expect(c.answer).toMatch(/anonymous \(no authentication\): accepted/);
  } finally {
    srv.close();
  }
});

it('when no weak family can be offered the check is inconclusive with that reason, never passed', async () => {
  let handshakes = 0;
  const c = await weakCipherCheck(
    { host: '127.0.0.1', port: 1 },
    async () => {
      handshakes++;
      return { ok: false, detail: 'refused' };
    },
    [{ name: 'not in any OpenSSL', list: 'NO-SUCH-CIPHER' }],
  );
  expect(c).toMatchObject({ verdict: 'inconclusive', tried: NONE_OFFERABLE });
  expect(handshakes).toBe(0);
});
