import { PACKET_NAME_LIST, PROPERTY_BY_KEY, type PacketName } from '../codec/index.ts';
import { LAST_ID, PRESENT, type PacketPattern } from './pattern.ts';

/**
 * A one-line packet description for feature files, e.g.
 *   PUBLISH topic "t/1" qos 1 packet id 5 payload "x" retain true
 *   SUBACK packet id 1 reason codes [0x01]
 *   SUBSCRIBE packet id 3 topic filter "a/#" qos 2 no local true topic filter "b" qos 0
 *   CONNACK reason code 0x85 session present false
 * Grammar: a packet type, then `name value` pairs. A name is one or more words, joined to
 * camelCase ("packet id" → packetId). A value is a "JSON string", a number (decimal or
 * 0x hex), true / false, `absent` (the field must not be there), `present` (it must be
 * there, any value), `last` (packet id only: the id of the last packet this client received
 * that had one), or JSON [array] / {object}
 * (hex numbers allowed inside). Names of MQTT 5.0 properties go under `properties`;
 * `xxx hex "00 ff"` gives field xxx as bytes; on SUBSCRIBE each `topic filter` starts a new
 * subscription and later qos / no local / retain as published / retain handling apply to it;
 * on UNSUBSCRIBE each `topic filter` adds to topicFilters; on CONNECT `will topic`,
 * `will payload`, `will qos`, `will retain`, `will properties` and `will delay interval` fill the Will.
 */
export function parsePacketSpec(text: string): PacketPattern {
  const tokens = tokenize(text);
  const head = tokens.shift();
  if (!head || head.kind !== 'word') throw specError(text, 'it must start with a packet type such as PUBLISH');
  const type = head.text.toLowerCase() as PacketName;
  if (!PACKET_NAMES.includes(type))
    throw specError(text, `unknown packet type "${head.text}" (one of ${PACKET_NAMES.join(', ').toUpperCase()})`);
  const out: PacketPattern = { type };
  let words: string[] = [];
  const isValue = (t: Token | undefined): boolean =>
    t !== undefined && (t.kind !== 'word' || t.text === 'true' || t.text === 'false');
  for (const [i, t] of tokens.entries()) {
    // "present" / "absent" are values unless a value follows them ("session present false").
    const nameWord =
      t.kind === 'word' &&
      (!VALUE_WORDS.has(t.text) ||
        (words.length > 0 &&
          isValue(tokens[i + 1]) &&
          (t.text === 'present' || t.text === 'absent' || t.text === 'last')));
    if (nameWord) {
      if (t.text === 'and' && words.length === 0) continue;
      words.push(t.text);
      continue;
    }
    if (words.length === 0) throw specError(text, `value ${t.text} has no field name before it`);
    assign(out, fieldName(words), valueOf(t, text), text);
    words = [];
  }
  if (words.length > 0) throw specError(text, `field "${words.join(' ')}" has no value`);
  return out;
}

const PACKET_NAMES = PACKET_NAME_LIST;

/** Every 5.0 property name (Properties keys), from the codec's property table. */
export const PROPERTY_NAMES: ReadonlySet<string> = new Set<string>(PROPERTY_BY_KEY.keys());

const BUFFER_FIELDS = new Set(['payload', 'password', 'correlationData', 'authenticationData']);
const ALIASES: Record<string, string> = {
  id: 'packetId',
  reason: 'reasonCode',
  returnCode: 'reasonCode',
  rc: 'reasonCode',
  filter: 'topicFilter',
  maximumQos: 'maximumQoS',
  subscriptionIdentifier: 'subscriptionIdentifiers',
  willQos: 'willQoS',
  cleanStart: 'clean',
  cleanSession: 'clean',
  sessionExpiry: 'sessionExpiryInterval',
  keepalive: 'keepAlive',
  user: 'username',
  messageExpiry: 'messageExpiryInterval',
  willDelay: 'willDelayInterval',
};
const SUB_OPTIONS = new Set(['qos', 'noLocal', 'retainAsPublished', 'retainHandling']);
const VALUE_WORDS = new Set(['true', 'false', 'absent', 'null', 'present', 'last']);

type Token = { kind: 'word' | 'string' | 'number' | 'json'; text: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s|,/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw specError(text, `unterminated string starting at column ${i + 1}`);
      out.push({ kind: 'string', text: text.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '[' || c === '{') {
      let depth = 0;
      let j = i;
      let inStr = false;
      for (; j < text.length; j++) {
        const d = text[j];
        if (inStr) {
          if (d === '\\') j++;
          else if (d === '"') inStr = false;
          continue;
        }
        if (d === '"') inStr = true;
        else if (d === '[' || d === '{') depth++;
        else if (d === ']' || d === '}') {
          depth--;
          if (depth === 0) break;
        }
      }
      if (depth !== 0) throw specError(text, `unbalanced ${c} starting at column ${i + 1}`);
      out.push({ kind: 'json', text: text.slice(i, j + 1) });
      i = j + 1;
    } else {
      const m = /^[^\s,"[{]+/.exec(text.slice(i))!;
      const w = m[0];
      out.push({ kind: /^-?(\d+|0x[0-9a-f]+)$/i.test(w) ? 'number' : 'word', text: w });
      i += w.length;
    }
  }
  return out;
}

function fieldName(words: string[]): string {
  const camel = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
  return ALIASES[camel] ?? camel;
}

function valueOf(t: Token, text: string): unknown {
  switch (t.kind) {
    case 'number':
      return t.text.startsWith('-') ? -Number(t.text.slice(1)) : Number(t.text);
    case 'string':
      try {
        return JSON.parse(t.text);
      } catch {
        throw specError(text, `bad string ${t.text}`);
      }
    case 'json':
      try {
        return JSON.parse(t.text.replace(/(?<=[\s,[:]|^)0x([0-9a-f]+)/gi, (_m, h: string) => String(parseInt(h, 16))));
      } catch (e) {
        throw specError(text, `bad JSON ${t.text}: ${(e as Error).message}`);
      }
    case 'word':
      return t.text === 'true'
        ? true
        : t.text === 'false'
          ? false
          : t.text === 'present'
            ? PRESENT
            : t.text === 'last'
              ? LAST_ID
              : null;
  }
}

function toBuffer(v: unknown, name: string, text: string, hex: boolean): Buffer | null {
  if (v === null) return null;
  if (typeof v !== 'string') throw specError(text, `${name} needs a string`);
  if (!hex) return Buffer.from(v, 'utf8');
  const clean = v.replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw specError(text, `${name} hex "${v}" is not whole bytes of hex`);
  return Buffer.from(clean, 'hex');
}

function assign(out: PacketPattern, rawName: string, value: unknown, text: string): void {
  let name = rawName;
  let v = value;
  if (name.endsWith('Hex') && name.length > 3) {
    name = name.slice(0, -3);
    v = toBuffer(v, name, text, true);
  } else if (BUFFER_FIELDS.has(name) && typeof v === 'string') v = toBuffer(v, name, text, false);
  if (name === 'subscriptionIdentifiers' && typeof v === 'number') v = [v];

  if (out.type === 'subscribe' && (name === 'topicFilter' || SUB_OPTIONS.has(name))) {
    const subs = (out.subscriptions ??= []) as Record<string, unknown>[];
    if (name === 'topicFilter') subs.push({ topicFilter: v });
    else if (subs.length === 0) throw specError(text, `"${rawName}" before any topic filter`);
    else subs[subs.length - 1][name] = v;
    return;
  }
  if (out.type === 'unsubscribe' && name === 'topicFilter') {
    ((out.topicFilters ??= []) as unknown[]).push(v);
    return;
  }
  if (out.type === 'connect' && name.startsWith('will') && name !== 'will') {
    const will = (out.will ??= {}) as Record<string, unknown>;
    if (name === 'willDelayInterval') {
      ((will.properties ??= {}) as Record<string, unknown>).willDelayInterval = v;
      return;
    }
    const key = name === 'willQoS' ? 'qos' : name[4].toLowerCase() + name.slice(5);
    will[key] = key === 'payload' && typeof v === 'string' ? Buffer.from(v) : v;
    return;
  }
  if (PROPERTY_NAMES.has(name)) {
    ((out.properties ??= {}) as Record<string, unknown>)[name] = v;
    return;
  }
  out[name] = v;
}

function specError(text: string, why: string): Error {
  return new Error(`cannot read packet description "${text}": ${why}`);
}
