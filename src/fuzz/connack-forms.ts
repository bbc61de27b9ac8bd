/**
 * What a broker may send to a CONNECT whose version it cannot know (too short to hold its
 * protocol level, an unknown protocol name, an unsupported level): nothing before the close, or
 * CONNACK 0x01 in 3.1.1 form (3.1.1 MQTT-3.1.2-2: unacceptable protocol version), or CONNACK
 * 0x84 in 5.0 form (5.0 MQTT-3.1.2-1 / MQTT-3.1.2-2: unsupported protocol version) — each alone,
 * with Session Present 0 and nothing after it. Pure.
 */
import { PacketReader } from '../codec/index.ts';

const toHex = (b: Buffer): string => b.toString('hex').replace(/(..)(?!$)/g, '$1 ');

export const UNKNOWN_LEVEL_ALLOWED = 'a close, CONNACK 0x01 in 3.1.1 form or CONNACK 0x84 in 5.0 form, then the close';

/** Judge the raw bytes the broker sent (all of them, up to its close). */
export function unknownLevelAnswer(raw: Buffer): { ok: boolean; what: string } {
  if (raw.length === 0) return { ok: true, what: 'closed without CONNACK' };
  for (const [level, code, form] of [
    [4, 0x01, '3.1.1'],
    [5, 0x84, '5.0'],
  ] as const) {
    const got = new PacketReader({ protocolLevel: level, from: 'server' }).push(raw);
    const p = got.length === 1 && got[0].ok ? got[0].packet : undefined;
    const whole = p !== undefined && raw.length === 2 + raw[1] && raw[1] < 0x80;
    if (p?.type === 'connack' && whole && p.reasonCode === code && !p.sessionPresent)
      return { ok: true, what: `CONNACK 0x${code.toString(16).padStart(2, '0')} in ${form} form` };
  }
  const shown = raw.length > 24 ? `${toHex(raw.subarray(0, 24))} …` : toHex(raw);
  return { ok: false, what: `the broker sent ${shown}` };
}
