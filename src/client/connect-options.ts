import type { ConnectPacket, Properties, ProtocolLevel, QoS } from '../codec/packet-types.ts';

export interface WillOptions {
  topic: string;
  payload?: string | Buffer;
  qos?: QoS;
  retain?: boolean;
  properties?: Properties;
}

export interface ConnectOptions {
  clientId?: string;
  /** 3 (3.1), 4 (3.1.1) or 5 (5.0); default 4. */
  level?: ProtocolLevel;
  /** Clean Session (3.1.1) / Clean Start (5.0); default true. */
  clean?: boolean;
  /** Seconds; default 60. */
  keepAlive?: number;
  will?: WillOptions;
  username?: string;
  password?: string | Buffer;
  properties?: Properties;
}

/** The CONNECT packet these options describe. */
export function buildConnect(o: ConnectOptions): ConnectPacket {
  const level = o.level ?? 4;
  const p: ConnectPacket = {
    type: 'connect',
    protocolName: level === 3 ? 'MQIsdp' : 'MQTT',
    protocolLevel: level,
    clean: o.clean ?? true,
    keepAlive: o.keepAlive ?? 60,
    clientId: o.clientId ?? '',
  };
  if (o.will) {
    p.will = {
      topic: o.will.topic,
      payload: typeof o.will.payload === 'string' ? Buffer.from(o.will.payload) : (o.will.payload ?? Buffer.alloc(0)),
      qos: o.will.qos ?? 0,
      retain: o.will.retain ?? false,
    };
    if (level === 5 && o.will.properties) p.will.properties = o.will.properties;
  }
  if (o.username !== undefined) p.username = o.username;
  if (o.password !== undefined) p.password = typeof o.password === 'string' ? Buffer.from(o.password) : o.password;
  if (level === 5 && o.properties) p.properties = o.properties;
  return p;
}

/** "3.1.1" / "5" / "5.0" / "3.1" → protocol level. */
export function levelOf(version: string): ProtocolLevel {
  switch (version.trim()) {
    case '3.1':
      return 3;
    case '3.1.1':
    case '4':
      return 4;
    case '5':
    case '5.0':
      return 5;
    default:
      throw new Error(`unknown MQTT version "${version}" (use 3.1.1 or 5)`);
  }
}
