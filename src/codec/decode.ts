import type { Packet, ProtocolLevel } from './packet-types.ts';
import type { DecodeOptions, DecodeResult } from './decode-types.ts';
import {
  Cursor,
  PACKET_NAMES,
  peekVarint,
  VARINT_INCOMPLETE,
  VARINT_TOO_LONG,
  varintIsMinimal,
  varintSize,
  varintValue,
} from './primitives.ts';
import { MALFORMED, PACKET_TOO_LARGE, violation } from './violations.ts';
import type { ProtocolViolation } from './violation.ts';
import { decodePublish } from './decode-publish.ts';
import { decodeConnect, peekConnectLevel } from './decode-connect.ts';
import { decodeAck, decodeAuth, decodeConnack, decodeDisconnect, decodeEmpty } from './decode-acks.ts';
import { decodeSuback, decodeSubscribe, decodeUnsuback, decodeUnsubscribe } from './decode-subscribe.ts';
import { checkFixedFlags } from './fixed-header.ts';

import type { From } from './decode-common.ts';

/**
 * Read the Remaining Length that starts at `at`: { value, size } when complete, null when
 * more bytes are needed, or a violation (longer than 4 bytes; not minimal at level 5).
 */
export function readRemainingLength(
  buf: Buffer,
  at: number,
  end: number,
  level: ProtocolLevel,
  type: number,
): { value: number; size: number } | ProtocolViolation | null {
  const r = peekVarint(buf, at, end);
  if (r === VARINT_INCOMPLETE) return null;
  if (r === VARINT_TOO_LONG) {
    return violation(
      level,
      null,
      null,
      `${PACKET_NAMES[type]}: Remaining Length is longer than 4 bytes`,
      MALFORMED,
      type,
      at,
    );
  }
  const value = varintValue(r);
  const size = varintSize(r);
  if (level === 5 && !varintIsMinimal(buf, at, r)) {
    return violation(
      level,
      null,
      'MQTT-1.5.5-1',
      `${PACKET_NAMES[type]}: Remaining Length is not minimally encoded (${size} bytes for ${value})`,
      MALFORMED,
      type,
      at,
    );
  }
  return { value, size };
}

/** The 5.0 statement broken by an oversize packet depends on who sent it. */
export function tooLarge(level: ProtocolLevel, type: number, size: number, max: number, from: From): ProtocolViolation {
  return violation(
    level,
    null,
    from === 'server' ? 'MQTT-3.1.2-24' : 'MQTT-3.2.2-15',
    `${PACKET_NAMES[type]} of ${size} bytes exceeds the Maximum Packet Size of ${max}`,
    PACKET_TOO_LARGE,
    type,
    0,
  );
}

/** View a plain Uint8Array as a Buffer without copying. */
export const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

const fail = (violation: ProtocolViolation): DecodeResult => ({ ok: false, violation });

/** Decode exactly one whole packet (fixed header included). Never throws. */
export function decodePacket(frame: Buffer, opts: DecodeOptions): DecodeResult {
  if (!Buffer.isBuffer(frame)) frame = asBuffer(frame);
  let level = opts.protocolLevel;
  const len = frame.length;
  if (len < 2)
    return fail(
      violation(
        level,
        null,
        null,
        `packet of ${len} byte(s) is shorter than a fixed header`,
        MALFORMED,
        len ? frame[0] >> 4 : undefined,
        0,
      ),
    );
  const b0 = frame[0];
  const type = b0 >> 4;
  if (type === 1) level = peekConnectLevel(frame, level);
  const rl = readRemainingLength(frame, 1, len, level, type);
  if (rl === null)
    return fail(
      violation(level, null, null, `${PACKET_NAMES[type]}: Remaining Length is truncated`, MALFORMED, type, 1),
    );
  if ('kind' in rl) return fail(rl);
  const bodyStart = 1 + rl.size;
  const total = bodyStart + rl.value;
  if (opts.maximumPacketSize !== undefined && total > opts.maximumPacketSize) {
    return fail(tooLarge(level, type, total, opts.maximumPacketSize, opts.from));
  }
  if (total > len) {
    return fail(
      violation(
        level,
        null,
        null,
        `${PACKET_NAMES[type]}: Remaining Length ${rl.value} but only ${len - bodyStart} byte(s) follow the fixed header`,
        MALFORMED,
        type,
        1,
      ),
    );
  }
  if (total < len) {
    return fail(
      violation(
        level,
        null,
        null,
        `${PACKET_NAMES[type]}: ${len - total} byte(s) after the end of the packet (Remaining Length ${rl.value})`,
        MALFORMED,
        type,
        total,
      ),
    );
  }
  return decodeBody(frame, bodyStart, total, level, opts.from);
}

/** Decode a packet whose fixed header was already framed: body is frame[bodyStart..end). */
export function decodeBody(
  frame: Buffer,
  bodyStart: number,
  end: number,
  level: ProtocolLevel,
  from: From,
): DecodeResult {
  try {
    return decodeBodyUnguarded(frame, bodyStart, end, level, from);
  } catch (e) {
    // Last line of defence only: every read is bounds-checked, so reaching this is a codec bug.
    const msg = e instanceof Error ? e.message : String(e);
    return fail(violation(level, null, null, `internal decoder error: ${msg}`, MALFORMED, frame[0] >> 4, 0));
  }
}

function decodeBodyUnguarded(
  frame: Buffer,
  bodyStart: number,
  end: number,
  level: ProtocolLevel,
  from: From,
): DecodeResult {
  const b0 = frame[0];
  const type = b0 >> 4;
  const flags = b0 & 0x0f;
  const flagProblem = checkFixedFlags(type, flags, level);
  if (flagProblem) return fail(flagProblem);
  const cur = new Cursor(frame, bodyStart, end, level, type);
  let packet: Packet | undefined;
  switch (type) {
    case 3:
      packet = decodePublish(cur, flags, from);
      break;
    case 1:
      packet = decodeConnect(cur);
      break;
    case 2:
      packet = decodeConnack(cur);
      break;
    case 4:
      packet = decodeAck(cur, 'puback');
      break;
    case 5:
      packet = decodeAck(cur, 'pubrec');
      break;
    case 6:
      packet = decodeAck(cur, 'pubrel');
      break;
    case 7:
      packet = decodeAck(cur, 'pubcomp');
      break;
    case 8:
      packet = decodeSubscribe(cur);
      break;
    case 9:
      packet = decodeSuback(cur);
      break;
    case 10:
      packet = decodeUnsubscribe(cur);
      break;
    case 11:
      packet = decodeUnsuback(cur);
      break;
    case 12:
      packet = decodeEmpty(cur, 'pingreq');
      break;
    case 13:
      packet = decodeEmpty(cur, 'pingresp');
      break;
    case 14:
      packet = decodeDisconnect(cur, from);
      break;
    case 15:
      packet = decodeAuth(cur);
      break;
    default:
      cur.fail(null, null, `packet type ${type} is reserved`, MALFORMED, 0);
  }
  if (cur.err) return fail(cur.err);
  if (!packet)
    return fail(violation(level, null, null, `${PACKET_NAMES[type]}: could not be decoded`, MALFORMED, type, 0));
  if (cur.pos !== end) {
    return fail(
      violation(
        cur.level,
        null,
        null,
        `${PACKET_NAMES[type]}: ${end - cur.pos} unexpected byte(s) after the last field at offset ${cur.pos}`,
        MALFORMED,
        type,
        cur.pos,
      ),
    );
  }
  return { ok: true, packet };
}
