/** The TLS certificate check for servers dialled by IP (wss://[::1] on Node 22) and by name. */
import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { checkServerAddress } from '../../src/transport/dial.ts';

const cert = (subjectaltname: string) => ({ subjectaltname, subject: { CN: 'test' } }) as unknown as PeerCertificate;
const sans = cert('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');

describe('checkServerAddress', () => {
  it('matches IP SANs as addresses, in any IPv6 spelling', () => {
    expect(checkServerAddress('::1', sans)).toBeUndefined();
    expect(checkServerAddress('0:0:0::1', sans)).toBeUndefined();
    expect(checkServerAddress('127.0.0.1', sans)).toBeUndefined();
  });
  it('refuses an address the certificate does not name, with the error Node gives', () => {
    const e = checkServerAddress('::2', sans);
    expect(e?.message).toMatch(/IP: ::2 is not in the cert's list/);
    expect((e as NodeJS.ErrnoException).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(checkServerAddress('127.0.0.2', sans)).toBeInstanceOf(Error);
    expect(checkServerAddress('::1', cert('DNS:localhost'))).toBeInstanceOf(Error);
  });
  it('leaves names to Node', () => {
    expect(checkServerAddress('localhost', sans)).toBeUndefined();
    expect(checkServerAddress('example.org', sans)).toBeInstanceOf(Error);
  });
});
