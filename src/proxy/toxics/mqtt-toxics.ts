/**
 * MQTT-aware toxics: drop, delay, duplicate and corrupt whole packets chosen by a PacketMatcher.
 * Original bytes are forwarded untouched except by mqtt_corrupt.
 */
import { z } from 'zod';
import { matchSchema, PacketMatcher } from '../decision/packet-match.ts';
import { parseFixedHeader } from '../mqtt-frame.ts';
import type { Unit } from '../types.ts';
import { duration, posInt } from './attrs.ts';
import { queueStage } from './timed-queue.ts';
import type { Stage, StageEnv, StageToxicDef } from './toxic.ts';

function matcherOf(env: StageEnv, attrs: z.infer<typeof matchSchema>): (u: Unit) => boolean {
  const m = (env.shared.matcher ??= new PacketMatcher(attrs, env.addedAt)) as PacketMatcher;
  return (u) => m.test(u.packet, { now: env.sched.now(), clientId: env.link.clientId, linkId: env.link.id }, env.rng);
}

export const mqttDrop: StageToxicDef<z.infer<typeof matchSchema>> = {
  kind: 'stage',
  type: 'mqtt_drop',
  mqtt: true,
  schema: matchSchema,
  create(attrs, env) {
    const hit = matcherOf(env, attrs);
    return {
      push(u) {
        if (hit(u)) {
          env.fault('drop', u);
          env.discard(u);
        } else env.next(u);
      },
      end: env.end,
      dispose: () => {},
    };
  },
};

const delaySchema = matchSchema.extend({
  delay_ms: duration.default(1000),
  jitter_ms: duration.default(0),
  /** true: a delayed packet does not hold back the ones behind it. */
  reorder: z.boolean().default(false),
});

export const mqttDelay: StageToxicDef<z.infer<typeof delaySchema>> = {
  kind: 'stage',
  type: 'mqtt_delay',
  mqtt: true,
  schema: delaySchema,
  create(attrs, env) {
    const hit = matcherOf(env, attrs);
    const delayOf = (u: Unit): number => {
      if (!hit(u)) return 0;
      const j = attrs.jitter_ms > 0 ? (env.rng.next() * 2 - 1) * attrs.jitter_ms : 0;
      const d = Math.max(0, Math.round(attrs.delay_ms + j));
      env.fault('delay', u, { ms: d });
      return d;
    };
    if (!attrs.reorder) return queueStage(env, delayOf);
    const cancels = new Set<() => void>();
    let ended = false;
    const maybeEnd = () => ended && cancels.size === 0 && env.end();
    const stage: Stage = {
      push(u) {
        const d = delayOf(u);
        if (d === 0) return env.next(u);
        const c = env.sched.setTimer(d, () => {
          cancels.delete(c);
          env.next(u);
          maybeEnd();
        });
        cancels.add(c);
      },
      end() {
        ended = true;
        maybeEnd();
      },
      dispose() {
        for (const c of cancels) c();
        cancels.clear();
      },
    };
    return stage;
  },
};

const dupSchema = matchSchema.extend({
  /** Extra copies sent right after the original. */
  copies: posInt.default(1),
  /** Set the DUP flag on PUBLISH copies (a network duplicate would not; a retransmission would). */
  set_dup: z.boolean().default(false),
});

export const mqttDuplicate: StageToxicDef<z.infer<typeof dupSchema>> = {
  kind: 'stage',
  type: 'mqtt_duplicate',
  mqtt: true,
  schema: dupSchema,
  create(attrs, env) {
    const hit = matcherOf(env, attrs);
    return {
      push(u) {
        env.next(u);
        if (!hit(u)) return;
        env.fault('duplicate', u, { copies: attrs.copies });
        for (let i = 0; i < attrs.copies; i++) {
          const bytes = Buffer.from(u.bytes);
          if (attrs.set_dup && u.packet?.typeNum === 3 && (u.packet.qos ?? 0) > 0) bytes[0] |= 0x08;
          env.next({ bytes, packet: u.packet });
        }
      },
      end: env.end,
      dispose: () => {},
    };
  },
};

const corruptSchema = matchSchema.extend({
  /**
   * bitflip: flip one random bit after the fixed header (or in it, if the packet has no body);
   * reserved_type: set the packet type to 0 (reserved, always malformed);
   * bad_flags: set the low flag bits to 0xF (malformed for every type but PUBLISH's qos=3);
   * truncate: drop the last byte but keep the Remaining Length (the next packet is mis-framed).
   */
  mode: z.enum(['bitflip', 'reserved_type', 'bad_flags', 'truncate']).default('bitflip'),
});

/** Pure: the corrupted copy of a frame. */
export function corruptFrame(frame: Buffer, mode: z.infer<typeof corruptSchema>['mode'], r: number): Buffer {
  const b = Buffer.from(frame);
  if (mode === 'reserved_type') b[0] &= 0x0f;
  else if (mode === 'bad_flags') b[0] |= 0x0f;
  else if (mode === 'truncate') return b.subarray(0, Math.max(1, b.length - 1));
  else {
    const h = parseFixedHeader(b, 0);
    const from = typeof h === 'string' || h.hdrLen >= b.length ? 0 : h.hdrLen;
    const bit = Math.floor(r * (b.length - from) * 8);
    b[from + (bit >> 3)] ^= 1 << (bit & 7);
  }
  return b;
}

export const mqttCorrupt: StageToxicDef<z.infer<typeof corruptSchema>> = {
  kind: 'stage',
  type: 'mqtt_corrupt',
  mqtt: true,
  schema: corruptSchema,
  create(attrs, env) {
    const hit = matcherOf(env, attrs);
    return {
      push(u) {
        if (!hit(u)) return env.next(u);
        env.fault('corrupt', u, { mode: attrs.mode });
        env.next({ bytes: corruptFrame(u.bytes, attrs.mode, env.rng.next()) });
      },
      end: env.end,
      dispose: () => {},
    };
  },
};

export const mqttToxics = [mqttDrop, mqttDelay, mqttDuplicate, mqttCorrupt];
