import type { Id311, Id50 } from '../spec/types.ts';
import type { ProtocolLevel } from './packet-types.ts';
import type { ProtocolViolation } from './violation.ts';
import { PACKET_NAMES } from './primitives.ts';
import { MALFORMED, violation } from './violations.ts';

const bits = (n: number): string => n.toString(2).padStart(4, '0');

/** Statement naming the fixed-header flag rule per packet type: [3.1.1, 5.0]. */
const FLAG_RULE: Record<number, [Id311, Id50]> = {
  6: ['MQTT-3.6.1-1', 'MQTT-3.6.1-1'],
  8: ['MQTT-3.8.1-1', 'MQTT-3.8.1-1'],
  10: ['MQTT-3.10.1-1', 'MQTT-3.10.1-1'],
  14: ['MQTT-3.14.1-1', 'MQTT-3.14.1-1'],
  15: ['MQTT-2.2.2-1', 'MQTT-3.15.1-1'],
};

/**
 * Check the four flag bits of byte 1 (3.1.1 Table 2.2 / 5.0 Table 2-2): PUBLISH carries
 * DUP/QoS/RETAIN (QoS 3 and DUP on QoS 0 are errors), PUBREL/SUBSCRIBE/UNSUBSCRIBE must be
 * 0010, every other packet 0000. Packet type 0 (and 15 before 5.0) is reserved.
 */
export function checkFixedFlags(type: number, flags: number, level: ProtocolLevel): ProtocolViolation | null {
  if (type === 0 || (type === 15 && level < 5)) {
    return violation(
      level,
      null,
      null,
      `packet type ${type} is reserved at protocol level ${level}`,
      MALFORMED,
      type,
      0,
    );
  }
  if (type === 3) {
    const qos = (flags >> 1) & 3;
    if (qos === 3)
      return violation(
        level,
        'MQTT-3.3.1-4',
        'MQTT-3.3.1-4',
        'PUBLISH: QoS bits are both set (QoS 3)',
        MALFORMED,
        type,
        0,
      );
    if (qos === 0 && (flags & 8) !== 0)
      return violation(
        level,
        'MQTT-3.3.1-2',
        'MQTT-3.3.1-2',
        'PUBLISH: DUP flag set on a QoS 0 message',
        MALFORMED,
        type,
        0,
      );
    return null;
  }
  const expected = type === 6 || type === 8 || type === 10 ? 2 : 0;
  if (flags === expected) return null;
  const rule = FLAG_RULE[type] ?? ['MQTT-2.2.2-1', 'MQTT-2.1.3-1'];
  return violation(
    level,
    rule[0],
    rule[1],
    `${PACKET_NAMES[type]}: reserved fixed-header flags are ${bits(flags)}, must be ${bits(expected)}`,
    MALFORMED,
    type,
    0,
  );
}
