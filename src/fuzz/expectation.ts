/**
 * The fuzz oracle's first half (pure): what the spec says a broker must do with a case's frames.
 * The codec's strict reader decides which frame is malformed and which statement it breaks; a
 * small state model adds the wrong-state rules (CONNECT first and once, no server-only packets,
 * no AUTH without an authentication method).
 */
import { bodyOffset, peekConnectHeader, PacketReader, type ProtocolLevel } from '../codec/index.ts';
import { ref311, ref50, type StatementRef } from '../spec/types.ts';

export interface ExpectedAnswer {
  type: 'puback' | 'pubrec' | 'pubcomp' | 'suback' | 'unsuback';
  packetId: number;
  codes?: number;
  statement: StatementRef;
}

export interface Expectation {
  /** violation: the broker must close; valid: it must answer and may stay open; incomplete / ended: nothing to judge. */
  kind: 'violation' | 'valid' | 'incomplete' | 'ended';
  level: ProtocolLevel;
  /** Frame index of the first violation. */
  violationFrame?: number;
  statement?: StatementRef;
  /** The statement that obliges the broker to close (3.1.1 MQTT-4.8.0-1 / 5.0 MQTT-4.13.1-1). */
  closeStatement: StatementRef;
  /** 5.0 reason code a DISCONNECT (or CONNACK) should carry. */
  reasonCode?: number;
  /** The violation is in or before the CONNECT: no DISCONNECT may come (5.0 MQTT-3.14.0-1), no CONNACK 0. */
  beforeConnack: boolean;
  /**
   * The violation is a first CONNECT whose version the broker cannot know: too short to hold its
   * protocol level, an unknown protocol name, or an unsupported level. connack-forms.ts lists
   * what may come back.
   */
  levelUnknown?: boolean;
  /** PINGREQs the broker may answer before it must stop reading. */
  pings: number;
  answers: ExpectedAnswer[];
  message: string;
}

const SERVER_ONLY = new Set(['connack', 'suback', 'unsuback', 'pingresp']);

/**
 * Whether the bytes of a first CONNECT show a version the spec defines — protocol name "MQTT"
 * with level 4 or 5, or "MQIsdp" with level 3 — even when another defect (reserved fixed-header
 * flags, say) is what the strict reader reports first.
 */
function versionKnown(b: Buffer): boolean {
  const h = peekConnectHeader(b);
  if (h === undefined) return false;
  const i = bodyOffset(b);
  if (i < 0) return false;
  const len = (b[i] << 8) | b[i + 1];
  const name = b.subarray(i + 2, i + 2 + len).toString('latin1');
  return name === 'MQTT' ? h.level === 4 || h.level === 5 : name === 'MQIsdp' && h.level === 3;
}

/** What the broker must do with `frames` sent in order on one connection opened at `level`. */
export function expectationOf(frames: readonly Buffer[], level: ProtocolLevel): Expectation {
  // No packet can be longer than all the bytes sent: a larger declared size only means the broker
  // waits for more (incomplete). The cap keeps the reader from allocating the declared size
  // (an oversized Remaining Length declares up to 256 MiB).
  let sent = 0;
  for (const f of frames) sent += f.length;
  const reader = new PacketReader({ protocolLevel: level, from: 'client', maximumPacketSize: sent });
  let lv: ProtocolLevel = level;
  let connected = false;
  let authMethod = false;
  let pings = 0;
  const answers: ExpectedAnswer[] = [];
  const close = (l: ProtocolLevel): StatementRef => (l === 5 ? ref50('MQTT-4.13.1-1') : ref311('MQTT-4.8.0-1'));
  // The connection's level is its first CONNECT's; a later (second, broken) CONNECT does not change it.
  let connLevel: ProtocolLevel | undefined;
  const bad = (
    i: number,
    statement: StatementRef,
    message: string,
    reasonCode: number,
    unsupported = false,
  ): Expectation => ({
    kind: 'violation',
    // Before a CONNECT was accepted the broken packet is the stream's first: it starts at byte 0.
    ...(!connected && frames[0][0] >> 4 === 1 && (unsupported || !versionKnown(Buffer.concat(frames.slice(0, i + 1))))
      ? { levelUnknown: true }
      : {}),
    level: connLevel ?? lv,
    violationFrame: i,
    statement,
    closeStatement: close(lv),
    reasonCode,
    beforeConnack: !connected,
    pings,
    answers,
    message,
  });
  /** The client itself ended the exchange (a DISCONNECT, or an authentication the fuzzer does not carry on). */
  const ended = (message: string): Expectation => ({
    kind: 'ended',
    level: lv,
    closeStatement: close(lv),
    beforeConnack: false,
    pings,
    answers,
    message,
  });
  let probeAlone = false;
  for (let i = 0; i < frames.length; i++) {
    const results = reader.push(frames[i]);
    if (connLevel !== undefined) reader.protocolLevel = connLevel;
    // The last frame is the PINGREQ probe: it is judged only when it decodes as a packet of its own.
    if (i === frames.length - 1)
      probeAlone =
        results.length === 1 && frames[i].length === 2 && results[0].ok && results[0].packet.type === 'pingreq';
    lv = connLevel ?? reader.protocolLevel;
    for (const r of results) {
      if (!r.ok && r.violation.message.endsWith(`Maximum Packet Size of ${sent}`))
        return unfinished('a packet declares more bytes than were sent');
      if (!r.ok)
        return bad(
          i,
          r.violation.statement,
          r.violation.message,
          r.violation.reasonCode,
          r.violation.unsupportedProtocol === true,
        );
      const p = r.packet;
      const both = (a: Parameters<typeof ref311>[0], b: Parameters<typeof ref50>[0]): StatementRef =>
        lv === 5 ? ref50(b) : ref311(a);
      if (!connected && p.type !== 'connect')
        return bad(i, both('MQTT-3.1.0-1', 'MQTT-3.1.0-1'), `${p.type.toUpperCase()} before CONNECT`, 0x82);
      switch (p.type) {
        case 'connect':
          if (connected) return bad(i, both('MQTT-3.1.0-2', 'MQTT-3.1.0-2'), 'second CONNECT', 0x82);
          connected = true;
          connLevel = p.protocolLevel;
          authMethod = p.properties?.authenticationMethod !== undefined;
          if (authMethod) return ended('enhanced authentication requested');
          break;
        case 'disconnect':
          return ended('DISCONNECT sent');
        case 'auth':
          if (!authMethod)
            return bad(i, ref50('MQTT-4.12.0-7'), 'AUTH without an Authentication Method in CONNECT', 0x82);
          break;
        case 'pingreq':
          pings++;
          break;
        case 'publish':
          if (p.qos > 0)
            answers.push({
              type: p.qos === 1 ? 'puback' : 'pubrec',
              packetId: p.packetId!,
              statement: both('MQTT-3.3.4-1', 'MQTT-3.3.4-1'),
            });
          break;
        case 'pubrel':
          answers.push({ type: 'pubcomp', packetId: p.packetId, statement: both('MQTT-4.3.3-2', 'MQTT-4.3.3-11') });
          break;
        case 'subscribe':
          answers.push({
            type: 'suback',
            packetId: p.packetId,
            codes: p.subscriptions.length,
            statement: both('MQTT-3.8.4-5', 'MQTT-3.8.4-6'),
          });
          break;
        case 'unsubscribe':
          answers.push({ type: 'unsuback', packetId: p.packetId, statement: both('MQTT-3.10.4-4', 'MQTT-3.10.4-4') });
          break;
        default:
          if (SERVER_ONLY.has(p.type))
            return bad(i, close(lv), `${p.type.toUpperCase()} is a server-to-client packet`, 0x82);
      }
    }
  }
  return unfinished(reader.buffered > 0 || !probeAlone ? 'the probe was read as part of an earlier packet' : undefined);

  function unfinished(why: string | undefined): Expectation {
    const kind = why !== undefined ? 'incomplete' : 'valid';
    return {
      kind,
      level: connLevel ?? lv,
      closeStatement: close(lv),
      beforeConnack: !connected,
      pings,
      answers,
      message: why ?? 'all packets valid',
    };
  }
}
