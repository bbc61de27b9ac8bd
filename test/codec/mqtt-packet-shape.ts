/**
 * Translation between our packet shape (src/codec/packet-types.ts) and mqtt-packet's, for the
 * differential tests. mqtt-packet is a test oracle only. Its shape differs in: `cmd` for
 * `type`, `messageId` for `packetId`, `protocolId`/`protocolVersion`/`keepalive` in CONNECT,
 * `returnCode` (3.1.1) in CONNACK, `granted` in SUBACK/UNSUBACK, `topic`/`nl`/`rap`/`rh` in
 * subscriptions, `unsubscriptions`, booleans for 0/1 byte properties,
 * `subscriptionIdentifier` (number or array) and `subscriptionIdentifiersAvailable`, and user
 * properties as an object from name to value or array of values.
 */
import mqttPacket from 'mqtt-packet';
import type { Packet, Properties, ProtocolLevel, UserProperty } from '../../src/codec/packet-types.ts';

type Obj = Record<string, unknown>;

const BOOL_PROPS = new Set([
  'payloadFormatIndicator',
  'requestResponseInformation',
  'requestProblemInformation',
  'retainAvailable',
  'wildcardSubscriptionAvailable',
  'subscriptionIdentifiersAvailable',
  'sharedSubscriptionAvailable',
]);

/**
 * User properties grouped by name, names sorted, values in their original order. mqtt-packet
 * keeps them in an object, which loses the order between different names (JavaScript even
 * puts integer-like keys first), so only the order of values under one name is comparable.
 */
export function groupUserProperties(list: UserProperty[]): UserProperty[] {
  const byName = new Map<string, string[]>();
  for (const [k, v] of list) {
    if (!byName.has(k)) byName.set(k, []);
    byName.get(k)!.push(v);
  }
  const names = [...byName.keys()].sort();
  return names.flatMap((k) => byName.get(k)!.map((v): UserProperty => [k, v]));
}

/** Does mqtt-packet's parser lose a user property here (first value '' of a repeated name)? */
export function hitsEmptyValueBug(p: Packet): boolean {
  const lists: (UserProperty[] | undefined)[] = [(p as { properties?: Properties }).properties?.userProperties];
  if (p.type === 'connect') lists.push(p.will?.properties?.userProperties);
  return lists.some((list) => {
    if (!list) return false;
    const first = new Map<string, string>();
    const count = new Map<string, number>();
    for (const [k, v] of list) {
      if (!first.has(k)) first.set(k, v);
      count.set(k, (count.get(k) ?? 0) + 1);
    }
    return [...first].some(([k, v]) => v === '' && count.get(k)! > 1);
  });
}

function propsToMp(p: Properties | undefined, single: boolean): Obj | undefined {
  if (!p) return undefined;
  const out: Obj = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'subscriptionIdentifiers') {
      const ids = v as number[];
      out.subscriptionIdentifier = single || ids.length === 1 ? ids[0] : ids;
    } else if (k === 'subscriptionIdentifierAvailable') out.subscriptionIdentifiersAvailable = v === 1;
    else if (k === 'userProperties') {
      const o: Record<string, string | string[]> = {};
      for (const [name, value] of v as UserProperty[]) {
        const cur = o[name];
        o[name] = cur === undefined ? value : Array.isArray(cur) ? [...cur, value] : [cur, value];
      }
      out.userProperties = o;
    } else if (BOOL_PROPS.has(k)) out[k] = v === 1;
    else out[k] = v;
  }
  return out;
}

function propsFromMp(p: unknown): Properties | undefined {
  if (!p || typeof p !== 'object' || Object.keys(p).length === 0) return undefined;
  const out: Obj = {};
  for (const [k, v] of Object.entries(p as Obj)) {
    if (k === 'subscriptionIdentifier') out.subscriptionIdentifiers = Array.isArray(v) ? v : [v];
    else if (k === 'subscriptionIdentifiersAvailable') out.subscriptionIdentifierAvailable = v ? 1 : 0;
    else if (k === 'userProperties') {
      out.userProperties = Object.entries(v as Record<string, string | string[]>).flatMap(([name, val]) =>
        (Array.isArray(val) ? val : [val]).map((x): UserProperty => [name, x]),
      );
    } else if (BOOL_PROPS.has(k)) out[k] = v ? 1 : 0;
    else out[k] = v;
  }
  return out as Properties;
}

const put = (o: Obj, k: string, v: unknown): void => {
  if (v !== undefined) o[k] = v;
};

/** Our packet as an mqtt-packet object, ready for `generate`. */
export function toMqttPacket(p: Packet, level: ProtocolLevel): Obj {
  const o: Obj = { cmd: p.type };
  switch (p.type) {
    case 'connect':
      Object.assign(o, {
        protocolId: p.protocolName,
        protocolVersion: p.protocolLevel,
        clean: p.clean,
        keepalive: p.keepAlive,
        clientId: p.clientId,
      });
      put(o, 'username', p.username);
      put(o, 'password', p.password);
      if (p.will) {
        const w: Obj = { topic: p.will.topic, payload: p.will.payload, qos: p.will.qos, retain: p.will.retain };
        put(w, 'properties', propsToMp(p.will.properties, false));
        o.will = w;
      }
      break;
    case 'connack':
      o.sessionPresent = p.sessionPresent;
      o[level === 5 ? 'reasonCode' : 'returnCode'] = p.reasonCode;
      break;
    case 'publish':
      Object.assign(o, { topic: p.topic, payload: p.payload, qos: p.qos, retain: p.retain, dup: p.dup });
      put(o, 'messageId', p.packetId);
      break;
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      o.messageId = p.packetId;
      put(o, 'reasonCode', level === 5 ? (p.reasonCode ?? 0) : undefined);
      break;
    case 'subscribe':
      o.messageId = p.packetId;
      o.subscriptions = p.subscriptions.map((s) =>
        level === 5
          ? {
              topic: s.topicFilter,
              qos: s.qos,
              nl: s.noLocal ?? false,
              rap: s.retainAsPublished ?? false,
              rh: s.retainHandling ?? 0,
            }
          : { topic: s.topicFilter, qos: s.qos },
      );
      break;
    case 'suback':
      Object.assign(o, { messageId: p.packetId, granted: p.reasonCodes });
      break;
    case 'unsubscribe':
      Object.assign(o, { messageId: p.packetId, unsubscriptions: p.topicFilters });
      break;
    case 'unsuback':
      o.messageId = p.packetId;
      put(o, 'granted', p.reasonCodes);
      break;
    case 'disconnect':
    case 'auth':
      put(o, 'reasonCode', level === 5 ? (p.reasonCode ?? 0) : undefined);
      break;
    default:
      break;
  }
  if ('properties' in p) put(o, 'properties', propsToMp(p.properties, p.type === 'subscribe'));
  return o;
}

/** An mqtt-packet object as our packet, in the form our decoder returns. */
export function fromMqttPacket(m: Obj, level: ProtocolLevel): Packet {
  const props = propsFromMp(m.properties);
  const withProps = <P extends Packet>(p: P): P => (props ? { ...p, properties: props } : p);
  const id = m.messageId as number;
  switch (m.cmd) {
    case 'connect': {
      const p: Obj = {
        type: 'connect',
        protocolName: m.protocolId,
        protocolLevel: m.protocolVersion,
        clean: m.clean,
        keepAlive: m.keepalive,
        clientId: m.clientId,
      };
      const w = m.will as Obj | undefined;
      if (w) {
        const wp = propsFromMp(w.properties);
        p.will = {
          topic: w.topic,
          payload: Buffer.from(w.payload as Buffer),
          qos: w.qos,
          retain: w.retain,
          ...(wp ? { properties: wp } : {}),
        };
      }
      put(p, 'username', m.username);
      if (m.password !== undefined) p.password = Buffer.from(m.password as Buffer);
      return withProps(p as unknown as Packet);
    }
    case 'connack':
      return withProps({
        type: 'connack',
        sessionPresent: m.sessionPresent as boolean,
        reasonCode: (level === 5 ? m.reasonCode : m.returnCode) as number,
      });
    case 'publish': {
      const p: Obj = {
        type: 'publish',
        topic: m.topic,
        payload: Buffer.from(m.payload as Buffer),
        qos: m.qos,
        retain: m.retain,
        dup: m.dup,
      };
      if ((m.qos as number) > 0) p.packetId = id;
      return withProps(p as unknown as Packet);
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': {
      const type = m.cmd;
      return withProps(
        level === 5 ? { type, packetId: id, reasonCode: (m.reasonCode as number) ?? 0 } : { type, packetId: id },
      );
    }
    case 'subscribe':
      return withProps({
        type: 'subscribe',
        packetId: id,
        subscriptions: (m.subscriptions as Obj[]).map((s) =>
          level === 5
            ? {
                topicFilter: s.topic as string,
                qos: s.qos as 0,
                noLocal: !!s.nl,
                retainAsPublished: !!s.rap,
                retainHandling: (s.rh ?? 0) as 0,
              }
            : { topicFilter: s.topic as string, qos: s.qos as 0 },
        ),
      });
    case 'suback':
      return withProps({ type: 'suback', packetId: id, reasonCodes: m.granted as number[] });
    case 'unsubscribe':
      return withProps({ type: 'unsubscribe', packetId: id, topicFilters: m.unsubscriptions as string[] });
    case 'unsuback':
      return withProps(
        level === 5
          ? { type: 'unsuback', packetId: id, reasonCodes: (m.granted ?? []) as number[] }
          : { type: 'unsuback', packetId: id },
      );
    case 'pingreq':
      return { type: 'pingreq' };
    case 'pingresp':
      return { type: 'pingresp' };
    case 'disconnect':
      return withProps(
        level === 5 ? { type: 'disconnect', reasonCode: (m.reasonCode as number) ?? 0 } : { type: 'disconnect' },
      );
    case 'auth':
      return withProps({ type: 'auth', reasonCode: (m.reasonCode as number) ?? 0 });
    default:
      throw new Error(`mqtt-packet returned unknown cmd ${String(m.cmd)}`);
  }
}

/** Our packet with user properties grouped by name: the part both libraries agree on. */
export function logical(p: Packet): Packet {
  const fix = (pr: Properties | undefined): Properties | undefined =>
    pr?.userProperties ? { ...pr, userProperties: groupUserProperties(pr.userProperties) } : pr;
  const q = { ...p } as Packet & { properties?: Properties; will?: { properties?: Properties } };
  if (q.properties) q.properties = fix(q.properties);
  if (q.type === 'connect' && q.will?.properties) q.will = { ...q.will, properties: fix(q.will.properties) };
  return q;
}

/** Parse one buffer with mqtt-packet: the packets it emitted and the errors it raised. */
export function mqttPacketParse(buf: Buffer, level: ProtocolLevel): { packets: Obj[]; errors: string[] } {
  const parser = mqttPacket.parser({ protocolVersion: level });
  const packets: Obj[] = [];
  const errors: string[] = [];
  parser.on('packet', (x) => packets.push(x as unknown as Obj));
  parser.on('error', (e: Error) => errors.push(e.message));
  parser.parse(buf);
  return { packets, errors };
}

/** mqtt-packet's encoding of an object (throws what mqtt-packet throws). */
export function mqttPacketGenerate(o: Obj, level: ProtocolLevel): Buffer {
  return mqttPacket.generate(o as unknown as mqttPacket.Packet, { protocolVersion: level });
}
