/**
 * Seeded generators of VALID client-to-server packets (levels 4 and 5) for the fuzzer. Pure:
 * every choice comes from the injected Rng. Topics and filters live under a per-case prefix so
 * fuzz connections only ever publish to their own subscriptions (no fan-out between cases).
 */
import type { Rng } from '../common/rng.ts';
import type { Packet, Properties, ProtocolLevel, QoS, Subscription } from '../codec/packet-types.ts';

export type FuzzLevel = 4 | 5;

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)];

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function word(rng: Rng, max = 6): string {
  let s = '';
  const n = rng.int(1, max);
  for (let i = 0; i < n; i++) s += ALNUM[rng.int(0, ALNUM.length - 1)];
  return s;
}

/** A short UTF-8 text; sometimes beyond ASCII (2-, 3- and 4-byte sequences). */
export function text(rng: Rng, max = 8): string {
  if (!rng.chance(0.2)) return word(rng, max);
  return pick(rng, ['é', 'Ω', '€', '水', '😀', '\u{feff}x', 'a\u{7ff}']) + word(rng, 3);
}

export function bytes(rng: Rng, max = 32): Buffer {
  const b = Buffer.allocUnsafe(rng.int(0, max));
  for (let i = 0; i < b.length; i++) b[i] = rng.int(0, 255);
  return b;
}

export const qosOf = (rng: Rng): QoS => rng.int(0, 2) as QoS;
export const packetId = (rng: Rng): number =>
  rng.chance(0.3) ? pick(rng, [1, 2, 0xff, 0x100, 0xffff]) : rng.int(1, 0xffff);

export function topicUnder(rng: Rng, prefix: string): string {
  const n = rng.int(1, 3);
  const parts = [prefix];
  for (let i = 0; i < n; i++) parts.push(text(rng, 5));
  return parts.join('/');
}

export function filterUnder(rng: Rng, prefix: string): string {
  const n = rng.int(0, 3);
  const parts = [prefix];
  for (let i = 0; i < n; i++) parts.push(rng.chance(0.25) ? '+' : text(rng, 5));
  if (rng.chance(0.3) || n === 0) parts.push('#');
  return parts.join('/');
}

function userProps(rng: Rng): [string, string][] {
  return Array.from({ length: rng.int(1, 2) }, () => [text(rng, 4), text(rng, 4)] as [string, string]);
}

export function connectPacket(
  rng: Rng,
  level: FuzzLevel,
  clientId: string,
  o: { username?: string; password?: Buffer } = {},
): Packet {
  const p: Packet = {
    type: 'connect',
    protocolName: 'MQTT',
    protocolLevel: level as ProtocolLevel,
    clean: true,
    keepAlive: rng.int(30, 120),
    clientId,
  };
  if (o.username !== undefined) p.username = o.username;
  if (o.password !== undefined) p.password = o.password;
  if (level === 5) {
    const pr: Properties = {};
    if (rng.chance(0.3)) pr.receiveMaximum = rng.int(1, 100);
    if (rng.chance(0.3)) pr.topicAliasMaximum = rng.int(0, 10);
    if (rng.chance(0.2)) pr.userProperties = userProps(rng);
    if (rng.chance(0.2)) pr.requestProblemInformation = rng.int(0, 1);
    if (Object.keys(pr).length > 0) p.properties = pr;
  }
  return p;
}

export function publishPacket(
  rng: Rng,
  level: FuzzLevel,
  prefix: string,
  qos: QoS = rng.chance(0.7) ? 0 : qosOf(rng),
): Packet {
  const p: Packet = {
    type: 'publish',
    topic: topicUnder(rng, prefix),
    payload: bytes(rng, 48),
    qos,
    retain: false,
    dup: false,
  };
  if (qos > 0) p.packetId = packetId(rng);
  if (level === 5 && rng.chance(0.3)) {
    const pr: Properties = {};
    if (rng.chance(0.5)) pr.messageExpiryInterval = rng.int(1, 3600);
    if (rng.chance(0.3)) pr.contentType = text(rng);
    if (rng.chance(0.3)) pr.correlationData = bytes(rng, 8);
    if (rng.chance(0.3)) pr.userProperties = userProps(rng);
    if (Object.keys(pr).length > 0) p.properties = pr;
  }
  return p;
}

export function subscribePacket(rng: Rng, level: FuzzLevel, prefix: string): Packet {
  const subs: Subscription[] = Array.from({ length: rng.int(1, 4) }, () => {
    const s: Subscription = { topicFilter: filterUnder(rng, prefix), qos: qosOf(rng) };
    if (level === 5) {
      s.noLocal = rng.chance(0.3);
      s.retainAsPublished = rng.chance(0.3);
      s.retainHandling = rng.int(0, 2) as 0 | 1 | 2;
    }
    return s;
  });
  const p: Packet = { type: 'subscribe', packetId: packetId(rng), subscriptions: subs };
  if (level === 5 && rng.chance(0.2)) p.properties = { userProperties: userProps(rng) };
  return p;
}

export function unsubscribePacket(rng: Rng, level: FuzzLevel, prefix: string): Packet {
  const p: Packet = {
    type: 'unsubscribe',
    packetId: packetId(rng),
    topicFilters: Array.from({ length: rng.int(1, 3) }, () => filterUnder(rng, prefix)),
  };
  if (level === 5 && rng.chance(0.2)) p.properties = { userProperties: userProps(rng) };
  return p;
}

export function ackPacket(rng: Rng, level: FuzzLevel, type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'): Packet {
  const p: Extract<Packet, { type: typeof type }> = { type, packetId: packetId(rng) };
  if (level === 5 && rng.chance(0.3))
    p.reasonCode = type === 'pubrel' || type === 'pubcomp' ? pick(rng, [0, 0x92]) : pick(rng, [0, 0x10, 0x80]);
  return p;
}

/**
 * A valid packet a connected client may send that keeps the connection open on a broker with
 * every capability: mostly QoS 0 PUBLISHes (cheap), some QoS 1/2, SUBSCRIBE, UNSUBSCRIBE and PUBRELs.
 */
export function fillerPacket(rng: Rng, level: FuzzLevel, prefix: string): Packet {
  const r = rng.next();
  if (r < 0.7) return publishPacket(rng, level, prefix, 0);
  if (r < 0.8) return publishPacket(rng, level, prefix, rng.chance(0.5) ? 1 : 2);
  if (r < 0.88) return subscribePacket(rng, level, prefix);
  if (r < 0.94) return unsubscribePacket(rng, level, prefix);
  return ackPacket(rng, level, 'pubrel');
}

/** Any valid client packet after CONNECT, including ones that end the connection (DISCONNECT). */
export function anyClientPacket(rng: Rng, level: FuzzLevel, prefix: string): Packet {
  const r = rng.int(0, 9);
  switch (r) {
    case 0:
    case 1:
      return publishPacket(rng, level, prefix);
    case 2:
      return subscribePacket(rng, level, prefix);
    case 3:
      return unsubscribePacket(rng, level, prefix);
    case 4:
      return ackPacket(rng, level, pick(rng, ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const));
    case 5:
      return { type: 'pingreq' };
    case 6:
      return level === 5 ? { type: 'disconnect', reasonCode: pick(rng, [0, 4]) } : { type: 'disconnect' };
    default:
      return publishPacket(rng, level, prefix, qosOf(rng));
  }
}
