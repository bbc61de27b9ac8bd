/** $SYS/broker/... statistics, published as retained QoS 0 messages. Pure: builds the messages. */
import type { BrokerStats } from './context.ts';
import type { Message } from './message.ts';

export const SYS_PREFIX = '$SYS/broker/';

export function sysMessages(stats: BrokerStats, now: number): Message[] {
  const m = (t: string, v: number): Message => ({
    topic: SYS_PREFIX + t,
    payload: Buffer.from(String(v)),
    qos: 0,
    retain: true,
  });
  return [
    m('clients/connected', stats.clientsConnected),
    m('messages/received', stats.messagesReceived),
    m('messages/sent', stats.messagesSent),
    m('uptime', Math.floor((now - stats.startedAt) / 1000)),
  ];
}
