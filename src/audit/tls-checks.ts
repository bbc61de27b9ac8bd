/** TLS posture: old protocol versions, weak ciphers, an unverifiable certificate, credentials over plaintext. */
import net from 'node:net';
import type tls from 'node:tls';
import { dial, listenerUrl } from '../transport/index.ts';
import type { AuditCheck, AuditOptions } from './types.ts';
import { connected } from './probe-client.ts';
import { weakCipherCheck } from './weak-ciphers.ts';

/** One TLS handshake with options `o` (through src/transport): whether it completed, and what was agreed or why not. */
export async function handshake(o: tls.ConnectionOptions, ms = 3000): Promise<{ ok: boolean; detail: string }> {
  const { host, port, ...options } = o;
  if (host === undefined || port === undefined) return { ok: false, detail: 'no TLS endpoint (host and port) given' };
  let s: tls.TLSSocket;
  try {
    s = (await dial(listenerUrl('tls', host, port), { tls: options, timeoutMs: ms })).stream as tls.TLSSocket;
  } catch (e) {
    return { ok: false, detail: /timed out/.test((e as Error).message) ? 'timeout' : (e as Error).message };
  }
  const detail = `${s.getProtocol()} ${s.getCipher()?.name ?? ''}${s.authorized ? '' : ` (certificate: ${s.authorizationError})`}`;
  s.destroy();
  return { ok: true, detail };
}

const NA = (id: string, title: string, severity: AuditCheck['severity']): AuditCheck => ({
  id,
  title,
  severity,
  verdict: 'not-applicable',
  tried: 'nothing',
  answer: 'no TLS listener given (--tls-broker)',
});

export async function tlsChecks(o: AuditOptions): Promise<AuditCheck[]> {
  const t = o.tlsEndpoint;
  if (!t) {
    return [
      NA('tls-old-versions', 'TLS 1.0 / 1.1 accepted', 'high'),
      NA('tls-weak-ciphers', 'weak TLS ciphers accepted', 'medium'),
      NA('tls-certificate', 'server certificate not verifiable', 'medium'),
      NA('plaintext-credentials', 'credentials accepted over plaintext while TLS exists', 'high'),
    ];
  }
  const base = {
    host: t.host,
    port: t.port,
    ...(net.isIP(t.host) ? {} : { servername: t.host }),
    rejectUnauthorized: false,
  };
  const out: AuditCheck[] = [];
  const oldV = [];
  for (const v of ['TLSv1', 'TLSv1.1'] as const) {
    const r = await handshake({ ...base, minVersion: v, maxVersion: v, ciphers: 'DEFAULT:@SECLEVEL=0' });
    oldV.push(`${v}: ${r.ok ? `accepted (${r.detail})` : `refused (${r.detail})`}`);
  }
  out.push({
    id: 'tls-old-versions',
    title: 'TLS 1.0 / 1.1 accepted',
    severity: 'high',
    verdict: oldV.some((x) => x.includes('accepted')) ? 'failed' : 'passed',
    tried: 'TLS handshakes limited to TLS 1.0, then TLS 1.1',
    answer: oldV.join('; '),
  });
  out.push(await weakCipherCheck(base, handshake));
  const ver = await handshake({ ...base, rejectUnauthorized: true, ...(t.ca ? { ca: t.ca } : {}) });
  out.push({
    id: 'tls-certificate',
    title: 'server certificate not verifiable',
    severity: 'medium',
    verdict: ver.ok ? 'passed' : 'failed',
    tried: `verify the server certificate against ${t.ca ? 'the given CA' : 'the system CAs'} and the host name`,
    answer: ver.ok ? `verified (${ver.detail})` : `not verified: ${ver.detail}`,
  });
  if (o.identity.password === undefined) {
    out.push({
      id: 'plaintext-credentials',
      title: 'credentials accepted over plaintext while TLS exists',
      severity: 'high',
      verdict: 'not-applicable',
      tried: 'nothing',
      answer: 'no credentials given in the --broker URL',
    });
  } else {
    const r = await connected(o.endpoint, 4, `audit-plain-${Date.now().toString(36)}`, o.identity);
    r.client?.end();
    out.push({
      id: 'plaintext-credentials',
      title: 'credentials accepted over plaintext while TLS exists',
      severity: 'high',
      verdict: r.code === 0 ? 'failed' : 'passed',
      tried: 'CONNECT with the user name and password on the plaintext listener',
      answer: r.code === 0 ? 'accepted (CONNACK 0)' : `refused (${r.error ?? `CONNACK ${r.code}`})`,
    });
  }
  return out;
}
