/**
 * The weak-cipher check: TLS 1.0–1.2 handshakes offering one family of weak cipher suites at a
 * time (OpenSSL names, `@SECLEVEL=0` so that OpenSSL lets them be offered; TLS 1.3 has none).
 * Only families this runtime's OpenSSL can offer are tried: a refusal of a cipher never offered
 * proves nothing, so with none offerable the check is inconclusive.
 */
import tls from 'node:tls';
import type { AuditCheck } from './types.ts';

export interface WeakFamily {
  name: string;
  /** OpenSSL cipher-list expression. */
  list: string;
}

/** NULL encryption, no authentication, RC4, single DES, 3DES, export grade. */
export const WEAK_FAMILIES: readonly WeakFamily[] = [
  { name: 'NULL encryption', list: 'eNULL' },
  { name: 'anonymous (no authentication)', list: 'aNULL' },
  { name: 'RC4', list: 'RC4' },
  { name: 'DES', list: 'DES' },
  { name: '3DES', list: '3DES' },
  { name: 'export grade', list: 'EXP' },
];

export const cipherString = (f: WeakFamily): string => `${f.list}:!kPSK:!kRSAPSK:!kDHEPSK:!kECDHEPSK:@SECLEVEL=0`;

/** The families this Node/OpenSSL build can put in a ClientHello. */
export function offerable(families: readonly WeakFamily[] = WEAK_FAMILIES): WeakFamily[] {
  return families.filter((f) => {
    try {
      tls.createSecureContext({ ciphers: cipherString(f), minVersion: 'TLSv1', maxVersion: 'TLSv1.2' });
      return true;
    } catch {
      return false;
    }
  });
}

export const NONE_OFFERABLE =
  'nothing: this Node/OpenSSL cannot offer NULL, anonymous, RC4, DES, 3DES or export ciphers, even at @SECLEVEL=0';

/** "…:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:…" -> "sslv3 alert handshake failure". */
const shortError = (m: string): string =>
  /SSL routines:[^:]*:([^:]+)/.exec(m)?.[1].trim() ?? m.replace(/\s+/g, ' ').trim();

type Handshake = (o: tls.ConnectionOptions) => Promise<{ ok: boolean; detail: string }>;

export async function weakCipherCheck(
  base: tls.ConnectionOptions,
  handshake: Handshake,
  families: readonly WeakFamily[] = WEAK_FAMILIES,
): Promise<AuditCheck> {
  const check = { id: 'tls-weak-ciphers', title: 'weak TLS ciphers accepted', severity: 'medium' as const };
  const offer = offerable(families);
  const cannot = families.filter((f) => !offer.includes(f)).map((f) => f.name);
  if (offer.length === 0)
    return {
      ...check,
      verdict: 'inconclusive',
      tried: NONE_OFFERABLE,
      answer: 'inconclusive (harness): check with `openssl s_client -cipher` from a build that has them',
    };
  const answers: string[] = [];
  let accepted = false;
  for (const f of offer) {
    const r = await handshake({ ...base, minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: cipherString(f) });
    accepted ||= r.ok;
    answers.push(`${f.name}: ${r.ok ? `accepted (${r.detail})` : `refused (${shortError(r.detail)})`}`);
  }
  return {
    ...check,
    verdict: accepted ? 'failed' : 'passed',
    tried: `TLS 1.0–1.2 handshakes offering only ${offer.map((f) => f.name).join(', then only ')}${cannot.length > 0 ? ` (not offerable by this runtime: ${cannot.join(', ')})` : ''}`,
    answer: answers.join('; '),
  };
}
