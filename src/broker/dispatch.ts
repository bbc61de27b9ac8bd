/** Per-packet dispatch by connection state, and the answer to a codec violation (4.8.0-1 / 4.13). */
import { encodePacket, type Packet, type ProtocolLevel, type ProtocolViolation } from '../codec/index.ts';
import { formatRef, ref311, ref50 } from '../spec/types.ts';
import { ConnState, genericErrorCode, type Conn } from './conn-api.ts';
import { onConnect, onAuth } from './connect-flow.ts';
import { onPublish, onPuback, onPubrec, onPubrel, onPubcomp } from './publish-flow.ts';
import { onSubscribe, onUnsubscribe } from './subscribe-flow.ts';
import { onDisconnect } from './disconnect-flow.ts';

const PINGRESP = Buffer.from([0xd0, 0x00]);
/** DISCONNECT reason codes for errors (5.0 3.14.2.1). */
const DISCONNECT_ERRORS = new Set([
  0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a,
  0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
]);

export function routePacket(c: Conn, p: Packet): Promise<void> | void {
  if (c.state === ConnState.New) {
    if (p.type !== 'connect') {
      return c.protocolError(
        `first packet was ${p.type.toUpperCase()}, not CONNECT`,
        ref311('MQTT-3.1.0-1'),
        ref50('MQTT-3.1.0-1'),
      );
    }
    return onConnect(c, p);
  }
  if (c.state === ConnState.Authenticating) {
    if (p.type === 'auth') return onAuth(c, p);
    if (p.type === 'disconnect') return c.close();
    return c.protocolError(
      `${p.type.toUpperCase()} during authentication`,
      ref311('MQTT-3.1.0-1'),
      ref50('MQTT-3.1.2-30'),
    );
  }
  // A connection whose session a newer connection has taken over is finished: its late
  // acknowledgements must not touch the session, whose in-flight messages the new connection
  // resends and counts against its own Receive Maximum (4.9); the client acknowledges them again there.
  if (
    c.session &&
    c.session.conn !== c &&
    (p.type === 'puback' || p.type === 'pubrec' || p.type === 'pubcomp' || p.type === 'pubrel')
  )
    return;
  switch (p.type) {
    case 'publish':
      return onPublish(c, p);
    case 'puback':
      return onPuback(c, p);
    case 'pubrec':
      return onPubrec(c, p);
    case 'pubrel':
      return onPubrel(c, p);
    case 'pubcomp':
      return onPubcomp(c, p);
    case 'subscribe':
      return onSubscribe(c, p);
    case 'unsubscribe':
      return onUnsubscribe(c, p);
    case 'pingreq':
      return c.write(PINGRESP);
    case 'disconnect':
      return onDisconnect(c, p);
    case 'auth':
      return onAuth(c, p);
    case 'connect':
      return c.protocolError('second CONNECT on one connection', ref311('MQTT-3.1.0-2'), ref50('MQTT-3.1.0-2'));
    default:
      return c.protocolError(
        `${(p as Packet).type.toUpperCase()} is not sent by clients`,
        ref311('MQTT-4.8.0-1'),
        ref50('MQTT-4.13.1-1'),
      );
  }
}

/** `level`: the protocol level the reader saw in the CONNECT (before the connection is accepted). */
export function handleViolation(c: Conn, v: ProtocolViolation, level: ProtocolLevel): void {
  c.ctx.stats.protocolViolations++;
  c.ctx.logger.warn(`protocol violation: ${v.message}`, {
    statement: formatRef(v.statement),
    clientId: c.clientId,
    reasonCode: v.reasonCode,
  });
  if (c.state === ConnState.New) {
    if (v.unsupportedProtocol && v.statement.id === 'MQTT-3.1.2-2') {
      // The client's level is unknown: answer in the 3.1.1 form, return code 0x01 (3.1.1 MQTT-3.1.2-2).
      c.write(encodePacket({ type: 'connack', sessionPresent: false, reasonCode: 0x01 }, 4));
    } else if (!v.unsupportedProtocol && level === 5 && v.packetType === 1 && !c.ctx.variant.refuseWithoutConnack) {
      // 4.13.1: on an error in a 5.0 CONNECT the CONNACK is a MAY (variant refuseWithoutConnack: only close).
      c.write(
        encodePacket({ type: 'connack', sessionPresent: false, reasonCode: genericErrorCode(c, v.reasonCode) }, 5),
      );
    }
    return c.close();
  }
  // 3.3.2.3.4: a Topic Alias of 0 is answered with 0x94 (Topic Alias invalid). A code that is not a
  // DISCONNECT code (0x84 from a second CONNECT's bad protocol version) becomes 0x82 (5.0 MQTT-3.14.2-1).
  const rc = v.statement.id === 'MQTT-3.3.2-8' ? 0x94 : genericErrorCode(c, v.reasonCode);
  c.disconnect(DISCONNECT_ERRORS.has(rc) ? rc : 0x82);
}
