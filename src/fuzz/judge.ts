/**
 * The fuzz oracle's second half (pure): whether what came back on a connection is what the
 * expectation allows — a close, the answers valid packets need, DISCONNECT codes (5.0) — and
 * which departures are findings and which only advisory.
 */
import type { Packet, ProtocolViolation } from '../codec/index.ts';
import { formatRef, ref311, ref50, type StatementRef } from '../spec/types.ts';
import { statementOf } from '../spec/registry.ts';
import { UNKNOWN_LEVEL_ALLOWED, unknownLevelAnswer } from './connack-forms.ts';
import type { Expectation, ExpectedAnswer } from './expectation.ts';

export interface Observation {
  packets: Packet[];
  serverViolation?: ProtocolViolation;
  /** All bytes received (at most RAW_CAP), kept instead of packets when the expectation is levelUnknown. */
  raw?: Buffer;
  closed: boolean;
  timedOut: boolean;
}

/** Bytes kept of an answer to a CONNECT of unknown version (enough for any allowed CONNACK). */
export const RAW_CAP = 256;

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
    // The broken rule and the rule that makes the receiver close, once each (often both are 4.8.0-1).
    const statements =
      formatRef(e.statement!) === formatRef(e.closeStatement) ? [e.statement!] : [e.statement!, e.closeStatement];
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
    if (e.levelUnknown) {
      // The broker cannot know the version: only the answers connack-forms.ts lists may come.
      const a = unknownLevelAnswer(o.raw ?? Buffer.alloc(0));
      if (!a.ok) {
        const cited = [e.statement!, ref311('MQTT-3.1.2-2'), ref50('MQTT-3.1.2-2')];
        return {
          outcome: 'finding',
          finding: {
            kind: 'wrong-answer',
            statements: cited.filter((x, k) => cited.findIndex((y) => formatRef(y) === formatRef(x)) === k),
            expected: `${UNKNOWN_LEVEL_ALLOWED}: ${what}`,
            observed: a.what,
          },
        };
      }
      if (!o.closed) return notClosed(`${a.what}, then neither closed within the timeout`);
      return { outcome: o.raw && o.raw.length > 0 ? 'refused' : 'closed' };
    }
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
