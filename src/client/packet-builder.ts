import type { Packet, ProtocolLevel, QoS, Subscription } from '../codec/packet-types.ts';
import { buildConnect, type ConnectOptions } from './connect-options.ts';
import type { PacketPattern } from './pattern.ts';

/**
 * Turns a partial description into a whole packet to send, filling defaults:
 * PUBLISH qos 0, no retain/dup, empty payload, packet id 1 when qos > 0; SUBSCRIBE /
 * UNSUBSCRIBE packet id 1, subscription qos 0; CONNECT as `buildConnect` (clean, keep alive
 * 60, level = the connection's); acks need a packet id. Unknown fields are an error, so a
 * typo in a feature file cannot silently send something else.
 */
export function completePacket(spec: PacketPattern, level: ProtocolLevel): Packet {
  const s = { ...spec } as Record<string, unknown>;
  const need = (k: string): unknown => {
    if (s[k] === undefined || s[k] === null) throw new Error(`${String(spec.type).toUpperCase()} needs "${k}"`);
    return s[k];
  };
  let p: Packet;
  switch (spec.type) {
    case 'connect': {
      const o: ConnectOptions = {
        level: (s.protocolLevel as ProtocolLevel | undefined) ?? level,
        clientId: s.clientId as string | undefined,
        clean: s.clean as boolean | undefined,
        keepAlive: s.keepAlive as number | undefined,
        username: s.username as string | undefined,
        password: s.password as Buffer | undefined,
        properties: s.properties as ConnectOptions['properties'],
        will: s.will as ConnectOptions['will'],
      };
      p = buildConnect(o);
      if (typeof s.protocolName === 'string') p.protocolName = s.protocolName;
      break;
    }
    case 'publish': {
      const qos = ((s.qos as QoS | undefined) ?? 0) as QoS;
      p = {
        type: 'publish',
        topic: need('topic') as string,
        payload: (s.payload as Buffer | undefined) ?? Buffer.alloc(0),
        qos,
        retain: (s.retain as boolean | undefined) ?? false,
        dup: (s.dup as boolean | undefined) ?? false,
      };
      if (qos > 0 || s.packetId !== undefined) p.packetId = (s.packetId as number | undefined) ?? 1;
      break;
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      p = { type: spec.type, packetId: need('packetId') as number } as Packet;
      if (s.reasonCode !== undefined) (p as { reasonCode?: number }).reasonCode = s.reasonCode as number;
      break;
    case 'subscribe': {
      const subs = need('subscriptions') as Array<Partial<Subscription>>;
      p = {
        type: 'subscribe',
        packetId: (s.packetId as number | undefined) ?? 1,
        subscriptions: subs.map((x) => ({ ...x, topicFilter: x.topicFilter ?? '', qos: (x.qos ?? 0) as QoS })),
      };
      break;
    }
    case 'unsubscribe':
      p = {
        type: 'unsubscribe',
        packetId: (s.packetId as number | undefined) ?? 1,
        topicFilters: need('topicFilters') as string[],
      };
      break;
    case 'connack':
      p = {
        type: 'connack',
        sessionPresent: (s.sessionPresent as boolean | undefined) ?? false,
        reasonCode: (s.reasonCode as number | undefined) ?? 0,
      };
      break;
    case 'suback':
      p = {
        type: 'suback',
        packetId: (s.packetId as number | undefined) ?? 1,
        reasonCodes: need('reasonCodes') as number[],
      };
      break;
    case 'unsuback':
      p = { type: 'unsuback', packetId: (s.packetId as number | undefined) ?? 1 };
      if (s.reasonCodes !== undefined) p.reasonCodes = s.reasonCodes as number[];
      break;
    case 'pingreq':
    case 'pingresp':
      p = { type: spec.type };
      break;
    case 'disconnect':
    case 'auth':
      p = s.reasonCode !== undefined ? { type: spec.type, reasonCode: s.reasonCode as number } : { type: spec.type };
      break;
    default:
      throw new Error(`cannot build packet type "${String(spec.type)}"`);
  }
  const known = new Set([
    ...Object.keys(p),
    'type',
    'protocolLevel',
    'properties',
    'will',
    'password',
    'username',
    'packetId',
    'reasonCode',
    'reasonCodes',
  ]);
  for (const k of Object.keys(s)) {
    if (!known.has(k) && s[k] !== undefined) throw new Error(`${String(spec.type).toUpperCase()} has no field "${k}"`);
  }
  if (s.properties !== undefined && spec.type !== 'connect' && spec.type !== 'pingreq' && spec.type !== 'pingresp') {
    (p as { properties?: unknown }).properties = s.properties;
  }
  if (p.type !== 'connect' && level < 5 && (p as { properties?: unknown }).properties !== undefined) {
    throw new Error(`${p.type.toUpperCase()} properties need MQTT 5 (the connection is at protocol level ${level})`);
  }
  return p;
}
