/** Device options, and the CONNECT a device sends for its n-th connection (pure). */
import type { ConnectPacket, QoS } from '../codec/index.ts';
import type { Clock, Rng } from '../common/index.ts';
import type { HistoryRecorder, OpValue } from '../checker/index.ts';

export interface DeviceOptions {
  clientId: string;
  /** Broker or proxy URL (mqtt://host:port). */
  url: string;
  recorder: HistoryRecorder;
  level?: 4 | 5;
  /** Keep the session across connections (3.1.1 CleanSession 0; 5.0 Clean Start 0 + expiry). */
  persistent?: boolean;
  /** 5.0 only: Clean Start on the very first connection, to wipe what earlier runs left (default true). */
  cleanFirst?: boolean;
  /** 5.0 Session Expiry Interval (s) for persistent sessions; default 600. */
  sessionExpiry?: number;
  /** Keep alive (s); default 5. */
  keepAlive?: number;
  will?: { topic: string; qos: QoS; retain?: boolean };
  /** Reconnect backoff: initial and max delay (ms), and an attempt bound. */
  backoff?: { initialMs?: number; maxMs?: number; maxAttempts?: number };
  /** Drop and reconnect when a QoS 1/2 flight stays unacknowledged this long (default 3000 ms). */
  ackTimeoutMs?: number;
  connectTimeoutMs?: number;
  maxInflight?: number;
  maxQueued?: number;
  rng?: Rng;
  clock?: Clock;
  /** Credentials sent in CONNECT. */
  username?: string;
  password?: string;
}

export interface ConnectPlan {
  clean: boolean;
  persistent: boolean;
  /** The connect op's value for the history. */
  value: OpValue;
  packet: ConnectPacket;
}

/**
 * 3.1.1 ends a CleanSession 1 session with its connection, so a persistent 3.1.1 device always
 * connects with CleanSession 0 (run-unique client ids keep old state away); a 5.0 device may
 * start clean once and keep the session through its expiry interval. Each connection's will
 * carries its own message id ("<clientId>:will:<n>") so a will can be traced to its connection.
 */
export function connectPlan(o: DeviceOptions & { keepAlive: number }, level: 4 | 5, n: number): ConnectPlan {
  const persistent = o.persistent === true;
  const clean = !persistent || (n === 0 && level === 5 && o.cleanFirst !== false);
  const expiry = persistent ? (o.sessionExpiry ?? 600) : 0;
  const willMsgId = `${o.clientId}:will:${n}`;
  const value: OpValue = {
    clientId: o.clientId,
    cleanStart: clean,
    persistent,
    keepAlive: o.keepAlive,
    protocolLevel: level,
    ...(level === 5 ? { sessionExpiry: expiry } : {}),
    ...(o.will
      ? { will: { topic: o.will.topic, qos: o.will.qos, retain: o.will.retain === true, msgId: willMsgId } }
      : {}),
  };
  const packet: ConnectPacket = {
    type: 'connect',
    protocolName: 'MQTT',
    protocolLevel: level,
    clean,
    keepAlive: o.keepAlive,
    clientId: o.clientId,
  };
  if (level === 5) packet.properties = { sessionExpiryInterval: expiry };
  if (o.username !== undefined) packet.username = o.username;
  if (o.password !== undefined) packet.password = Buffer.from(o.password);
  if (o.will)
    packet.will = {
      topic: o.will.topic,
      payload: Buffer.from(willMsgId),
      qos: o.will.qos,
      retain: o.will.retain === true,
    };
  return { clean, persistent, value, packet };
}
