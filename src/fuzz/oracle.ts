/**
 * The fuzz oracle (pure): what the spec says a broker must do with a case's frames, and whether
 * what came back is that. The codec's strict reader decides which frame is malformed and which
 * statement it breaks; a small state model adds the wrong-state rules (CONNECT first and once,
 * no server-only packets, no AUTH without an authentication method).
 */
import { PacketReader, type Packet, type ProtocolLevel, type ProtocolViolation } from '../codec/index.ts';
import { formatRef, ref311, ref50, type StatementRef } from '../spec/types.ts';
import { statementOf } from '../spec/registry.ts';

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
  /** PINGREQs the broker may answer before it must stop reading. */
  pings: number;
  answers: ExpectedAnswer[];
  message: string;
}

export interface Observation {
  packets: Packet[];
  serverViolation?: ProtocolViolation;
  closed: boolean;
  timedOut: boolean;
}

export type FindingKind = 'crash' | 'hang' | 'wrong-answer';
export interface Judgement {
  finding?: { kind: FindingKind; statements: StatementRef[]; expected: string; observed: string };
  advisory?: { statements: StatementRef[]; expected: string; observed: string };
  /** How the case ended, for the tally. */
  outcome: 'closed' | 'answered' | 'refused' | 'unjudged' | 'finding';
}

export const DISCONNECT_CODES = new Set([
  0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
  0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
]);

/** Codes for a Malformed Packet or Protocol Error (4.13.1) and the more specific DISCONNECT codes for them. */
const ERROR_CODES = new Set([0x81, 0x82, 0x93, 0x94, 0x95, 0x97, 0x9a, 0x9b, 0x9e, 0xa1, 0xa2]);
const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const SERVER_ONLY = new Set(['connack', 'suback', 'unsuback', 'pingresp']);

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
  const bad = (i: number, statement: StatementRef, message: string, reasonCode: number): Expectation => ({
    kind: 'violation',
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
      if (!r.ok) return bad(i, r.violation.statement, r.violation.message, r.violation.reasonCode);
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
          if (authMethod)
            return {
              kind: 'ended',
              level: lv,
              closeStatement: close(lv),
              beforeConnack: false,
              pings,
              answers,
              message: 'enhanced authentication requested',
            };
          break;
        case 'disconnect':
          return {
            kind: 'ended',
            level: lv,
            closeStatement: close(lv),
            beforeConnack: false,
            pings,
            answers,
            message: 'DISCONNECT sent',
          };
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

const count = (ps: readonly Packet[], t: string): number => ps.reduce((n, p) => n + (p.type === t ? 1 : 0), 0);

/** True when the observation is complete enough to judge (the runner also judges at its timeout). */
export function settled(e: Expectation, o: Observation): boolean {
  if (o.closed || o.timedOut || o.serverViolation) return true;
  if (e.kind === 'incomplete' || e.kind === 'ended') return true;
  if (count(o.packets, 'pingresp') > e.pings) return e.kind === 'violation' || missing(e, o).length === 0;
  if (e.kind === 'valid' && count(o.packets, 'pingresp') >= e.pings) return missing(e, o).length === 0;
  return false;
}

/** Expected answers that have not arrived (matched by type and packet id, as a multiset). */
export function missing(e: Expectation, o: Observation): ExpectedAnswer[] {
  const got = new Map<string, number>();
  for (const p of o.packets)
    if ('packetId' in p && p.packetId !== undefined)
      got.set(`${p.type}:${p.packetId}`, (got.get(`${p.type}:${p.packetId}`) ?? 0) + 1);
  const out: ExpectedAnswer[] = [];
  for (const a of e.answers) {
    const k = `${a.type}:${a.packetId}`;
    const n = got.get(k) ?? 0;
    if (n > 0) got.set(k, n - 1);
    else out.push(a);
  }
  return out;
}

/** Judge one fuzz connection. `answered`: the PINGREQ probe got its PINGRESP (probe pings = e.pings). */
export function judge(e: Expectation, o: Observation): Judgement {
  const ps = o.packets;
  if (o.serverViolation) {
    return {
      outcome: 'finding',
      finding: {
        kind: 'wrong-answer',
        statements: [o.serverViolation.statement],
        expected: 'well-formed packets from the broker',
        observed: `malformed packet from the broker: ${o.serverViolation.message}`,
      },
    };
  }
  const connack = ps.find((p): p is Extract<Packet, { type: 'connack' }> => p.type === 'connack');
  const disc = ps.find((p): p is Extract<Packet, { type: 'disconnect' }> => p.type === 'disconnect');
  if (e.level === 5 && disc && !(connack && connack.reasonCode < 0x80)) {
    return {
      outcome: 'finding',
      finding: {
        kind: 'wrong-answer',
        statements: [ref50('MQTT-3.14.0-1')],
        expected: 'no DISCONNECT before a successful CONNACK',
        observed: `DISCONNECT ${hex2(disc.reasonCode ?? 0)} without a successful CONNACK`,
      },
    };
  }
  if (e.level === 5 && disc && !DISCONNECT_CODES.has(disc.reasonCode ?? 0)) {
    return {
      outcome: 'finding',
      finding: {
        kind: 'wrong-answer',
        statements: [ref50('MQTT-3.14.2-1')],
        expected: 'a DISCONNECT reason code',
        observed: `DISCONNECT reason code ${hex2(disc.reasonCode ?? 0)}`,
      },
    };
  }
  if (connack && connack.reasonCode !== 0 && !(e.kind === 'violation' && e.beforeConnack))
    return { outcome: 'refused' };
  const pongs = count(ps, 'pingresp');
  if (e.kind === 'incomplete' || e.kind === 'ended') return { outcome: 'unjudged' };
  if (e.kind === 'violation') {
    const statements = [e.statement!, e.closeStatement];
    const what = `${e.message} (frame ${e.violationFrame})`;
    // 3.1.1 (4.8.0-1) makes every protocol violation close the connection. 5.0 (4.13.1) leaves the
    // rigor of checks to the receiver: not detecting a sender's error is advisory there, unless the
    // broken rule binds the server itself (a second CONNECT, a server-only packet, ...).
    // (4.13.1-1 itself is the codec's citation when no more specific statement exists.)
    const must = e.level !== 5 || (statementOf(e.statement!).actor === 'server' && e.statement!.id !== 'MQTT-4.13.1-1');
    const notClosed = (observed: string): Judgement =>
      must
        ? {
            outcome: 'finding',
            finding: { kind: 'wrong-answer', statements, expected: `close the connection: ${what}`, observed },
          }
        : {
            outcome: 'unjudged',
            advisory: {
              statements,
              expected: `close the connection: ${what}`,
              observed: `${observed} (5.0 4.13.1 lets a receiver skip this check)`,
            },
          };
    if (e.beforeConnack && connack && connack.reasonCode === 0) return notClosed('CONNACK 0x00 (accepted)');
    if (pongs > e.pings) return notClosed('the broker kept reading and answered the PINGREQ after it');
    if (!o.closed)
      return notClosed('neither closed nor answered within the timeout (not detected, and waiting for more bytes?)');
    if (
      e.level === 5 &&
      disc &&
      e.reasonCode !== undefined &&
      disc.reasonCode !== e.reasonCode &&
      !ERROR_CODES.has(disc.reasonCode ?? 0)
    ) {
      return {
        outcome: 'closed',
        advisory: {
          statements,
          expected: `DISCONNECT ${hex2(e.reasonCode)}: ${what}`,
          observed: `DISCONNECT ${hex2(disc.reasonCode ?? 0)}`,
        },
      };
    }
    return { outcome: 'closed' };
  }
  // valid
  if (pongs >= e.pings && e.pings > 0) {
    const miss = missing(e, o);
    if (miss.length > 0 && !o.closed) {
      const a = miss[0];
      return {
        outcome: 'finding',
        finding: {
          kind: 'wrong-answer',
          statements: [a.statement],
          expected: `${a.type.toUpperCase()} packet id ${a.packetId}`,
          observed: `PINGRESP arrived, no ${a.type.toUpperCase()} ${a.packetId} within the grace period`,
        },
      };
    }
    // The k-th SUBSCRIBE with a packet id is answered by the k-th SUBACK with that id.
    const subacks = ps.filter((p): p is Extract<Packet, { type: 'suback' }> => p.type === 'suback');
    for (const a of e.answers) {
      if (a.type !== 'suback') continue;
      const at = subacks.findIndex((x) => x.packetId === a.packetId);
      const s = at >= 0 ? subacks.splice(at, 1)[0] : undefined;
      if (s && s.reasonCodes.length !== a.codes) {
        return {
          outcome: 'finding',
          finding: {
            kind: 'wrong-answer',
            statements: [a.statement],
            expected: `SUBACK ${a.packetId} with ${a.codes} codes`,
            observed: `${s.reasonCodes.length} codes`,
          },
        };
      }
    }
    return { outcome: 'answered' };
  }
  if (o.closed) return { outcome: 'closed' };
  return {
    outcome: 'finding',
    finding: {
      kind: 'hang',
      statements: [e.level === 5 ? ref50('MQTT-3.12.4-1') : ref311('MQTT-3.12.4-1')],
      expected: 'PINGRESP or a close',
      observed: 'neither within the timeout',
    },
  };
}

export const describeStatements = (s: readonly StatementRef[]): string => s.map(formatRef).join(', ');
