import type { Packet, ProtocolLevel } from './packet-types.ts';
import { encodePublish } from './encode-publish.ts';
import { encodeConnack, encodeConnect } from './encode-connect.ts';
import {
  encodeAck,
  encodeDisconnectOrAuth,
  encodeSuback,
  encodeSubscribe,
  encodeUnsubscribe,
} from './encode-others.ts';
import { allocPacket, EncodeError } from './encode-common.ts';
import { varintLength } from './primitives.ts';
import { propertiesLength } from './properties.ts';

/**
 * Encode one packet for a connection at `protocolLevel`. Throws EncodeError (naming the
 * field) only for input that cannot be represented; representable but non-conformant
 * values (packet id 0, wildcards in a topic...) are encoded as given, for negative tests.
 */
export function encodePacket(packet: Packet, protocolLevel: ProtocolLevel): Buffer {
  switch (packet.type) {
    case 'publish':
      return encodePublish(packet, protocolLevel);
    case 'connect':
      return encodeConnect(packet, protocolLevel);
    case 'connack':
      return encodeConnack(packet, protocolLevel);
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return encodeAck(packet, protocolLevel);
    case 'subscribe':
      return encodeSubscribe(packet, protocolLevel);
    case 'suback':
    case 'unsuback':
      return encodeSuback(packet, protocolLevel);
    case 'unsubscribe':
      return encodeUnsubscribe(packet, protocolLevel);
    case 'pingreq':
      return allocPacket(0xc0, 0, 'PINGREQ').buf;
    case 'pingresp':
      return allocPacket(0xd0, 0, 'PINGRESP').buf;
    case 'disconnect':
    case 'auth':
      return encodeDisconnectOrAuth(packet, protocolLevel);
    default:
      throw new EncodeError('type', `unknown packet type ${JSON.stringify((packet as { type?: unknown }).type)}`);
  }
}

/** Size in bytes of the encoded packet (fixed header included), e.g. for Maximum Packet Size checks. */
export function encodedLength(packet: Packet, protocolLevel: ProtocolLevel): number {
  if (packet.type === 'publish') {
    let rl = 2 + Buffer.byteLength(packet.topic) + packet.payload.length + (packet.qos > 0 ? 2 : 0);
    if (protocolLevel === 5) {
      const plen = propertiesLength(packet.properties);
      rl += varintLength(plen) + plen;
    }
    return 1 + varintLength(rl) + rl;
  }
  return encodePacket(packet, protocolLevel).length;
}
