import type { Cursor } from './primitives.ts';
import { MALFORMED, PROTOCOL_ERROR } from './violations.ts';

export type From = 'client' | 'server' | undefined;

/**
 * Packet Identifier of PUBLISH (QoS > 0), SUBSCRIBE, UNSUBSCRIBE: must be non-zero.
 * Returns -1 on error.
 */
export function readNewPacketId(cur: Cursor, from: From): number {
  const at = cur.pos;
  const id = cur.u16('Packet Identifier');
  if (id === 0) {
    cur.fail(
      'MQTT-2.3.1-1',
      from === 'server' ? 'MQTT-2.2.1-4' : 'MQTT-2.2.1-3',
      `Packet Identifier at offset ${at} is 0`,
      PROTOCOL_ERROR,
      at,
    );
    return -1;
  }
  return id;
}

/** Packet Identifier of an acknowledgement: echoes a non-zero one, so 0 is an error. */
export function readAckPacketId(cur: Cursor): number {
  const at = cur.pos;
  const id = cur.u16('Packet Identifier');
  if (id === 0) {
    const sub = cur.type === 9 || cur.type === 11;
    cur.fail(
      sub ? 'MQTT-2.3.1-7' : 'MQTT-2.3.1-6',
      sub ? 'MQTT-2.2.1-6' : 'MQTT-2.2.1-5',
      `Packet Identifier at offset ${at} is 0`,
      PROTOCOL_ERROR,
      at,
    );
    return -1;
  }
  return id;
}

/** Fail with a "field missing" message when nothing is left where a field must be. */
export function requirePresent(
  cur: Cursor,
  what: string,
  id311: Parameters<Cursor['fail']>[0],
  id50: Parameters<Cursor['fail']>[1],
): boolean {
  if (cur.pos < cur.end) return true;
  cur.fail(id311, id50, `${what} is missing at offset ${cur.pos}`, MALFORMED);
  return false;
}

/** Index of the first '+' or '#' in a string, or -1. */
export function wildcardIndex(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b || c === 0x23) return i;
  }
  return -1;
}
