import { redactValue, scrubSecrets } from '../../common/redact.ts';
import { bodyOffset, peekVarint, varintSize, varintValue } from '../../codec/index.ts';

/**
 * Secrets never reach a report page, even when an input compliance.json carries them (a run
 * from an older harness, or a hand-edited file). Every string of the parsed report is cleaned:
 * - URL passwords (`mqtt://u:pw@h`) become `***`;
 * - `password=…`, `authenticationData=…` and JSON `"password": …` fields become `<redacted, N bytes>`;
 * - every secret found that way (and MQTT_PASSWORD / MQTT_PASSWORD2 of this process) is removed
 *   wherever else it occurs, as text or as hex (scrubSecrets);
 * - the password bytes of every CONNECT hex dump in a packet trace are replaced by `**`.
 */
const URL_PW = /\b([a-z][a-z0-9+.-]*:\/\/[^/@:\s"'<>]*):([^@/\s"'<>]+)@/gi;
const FIELD =
  /\b(password|authenticationData|authentication_data|auth_data)(=|":\s*)("([^"\\]*)"|<[0-9a-f]*>|(?!<redacted)[^\s,}\]]+)/gi;

/** Secrets visible in a text: URL passwords and password / authentication data fields. */
export function findSecrets(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(URL_PW)) if (m[2] !== '***') found.add(decodeURIComponentSafe(m[2]!));
  for (const m of text.matchAll(FIELD)) {
    const v = m[4] ?? m[3]!;
    if (v.startsWith('<redacted') || v === '***' || v === '""') continue;
    found.add(v.startsWith('<') && v.endsWith('>') ? Buffer.from(v.slice(1, -1), 'hex').toString('latin1') : v);
  }
  return found;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** One text with every known secret, URL password, secret field and CONNECT password bytes removed. */
export function scrubText(text: string, secrets: Iterable<string>): string {
  let out = text.replace(URL_PW, (_m, head: string) => `${head}:***@`);
  out = out.replace(FIELD, (m, key: string, sep: string, val: string, inner?: string) => {
    if (val.startsWith('<redacted')) return m;
    const raw = inner ?? (val.startsWith('<') ? Buffer.from(val.slice(1, -1), 'hex').toString('latin1') : val);
    return `${key}${sep}${redactValue(raw)}`;
  });
  out = scrubSecrets(out, secrets);
  return out.includes('CONNECT') ? redactConnectHex(out) : out;
}

/** Replaces the password bytes in the hex dump line that follows each "-> CONNECT" trace line. */
export function redactConnectHex(trace: string): string {
  const lines = trace.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!/->\s+CONNECT\b/.test(lines[i]!)) continue;
    const m = /^(\s*\[\d+ B\] )([0-9a-f]{2}(?: [0-9a-f]{2})*)(.*)$/.exec(lines[i + 1]!);
    if (!m) continue;
    const bytes = m[2]!.split(' ').map((h) => parseInt(h, 16));
    const at = connectPasswordOffset(bytes);
    if (at === undefined) continue;
    const hex = m[2]!.split(' ').map((h, j) => (j >= at ? '**' : h));
    lines[i + 1] = `${m[1]}${hex.join(' ')}${m[3]}`;
  }
  return lines.join('\n');
}

/**
 * Where the password field (its length prefix included) starts in a CONNECT packet, or undefined
 * when there is none. Works on a truncated dump: every byte from that offset on is hidden.
 */
export function connectPasswordOffset(b: readonly number[]): number | undefined {
  if (b[0]! >> 4 !== 1) return undefined;
  let i = bodyOffset(b);
  // An unreadable Remaining Length (longer than four bytes, as a fuzz case sends): where the fields
  // start is unknown, so everything after the type byte is hidden. Cut off inside it: no field is shown.
  if (i < 0) return b.length > 5 ? 1 : undefined;
  const str = (): void => {
    i += 2 + ((b[i]! << 8) | b[i + 1]!);
  };
  // -1 when the Property Length cannot be read: the caller then hides everything from it on.
  const varint = (): number => {
    const r = peekVarint(b, i);
    if (r < 0) return -1;
    i += varintSize(r);
    return varintValue(r);
  };
  str(); // protocol name
  const level = b[i++]!;
  const flags = b[i++]!;
  i += 2; // keep alive
  if ((flags & 0x40) === 0) return undefined; // no password
  if (level === 5) {
    const n = varint();
    if (n < 0) return i;
    i += n;
  }
  str(); // client id
  if (flags & 0x04) {
    if (level === 5) {
      const n = varint();
      if (n < 0) return i;
      i += n;
    }
    str();
    str(); // will topic, will payload
  }
  if (flags & 0x80) str(); // user name
  return i < b.length ? i : b.length;
}

/** A deep copy of a parsed report with every string scrubbed. */
export function scrubReport<T>(data: T, extraSecrets: Iterable<string | undefined> = []): T {
  const secrets = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const s of findSecrets(v)) if (s.length >= 3) secrets.add(s);
    } else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(data);
  for (const s of extraSecrets) if (s && s.length >= 3) secrets.add(s);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(data) as T;
}
