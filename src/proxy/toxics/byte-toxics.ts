/**
 * Toxiproxy's byte-stream toxics (same type and attribute names) plus half_open and disconnect.
 * Units may be whole packets or raw chunks; these toxics only look at bytes.
 */
import { z } from 'zod';
import type { Unit } from '../types.ts';
import { duration, nonNeg, posInt } from './attrs.ts';
import { queueStage, TimedQueue } from './timed-queue.ts';
import type { Stage, StageEnv, StageToxicDef } from './toxic.ts';

const latencySchema = z.object({ latency: duration.default(0), jitter: duration.default(0) });
export const latency: StageToxicDef<z.infer<typeof latencySchema>> = {
  kind: 'stage',
  type: 'latency',
  mqtt: false,
  schema: latencySchema,
  create: (a, env) =>
    queueStage(env, () => Math.max(0, a.latency + (a.jitter > 0 ? (env.rng.next() * 2 - 1) * a.jitter : 0))),
};

/** rate in KB/s (1 KB = 1000 bytes, as Toxiproxy). */
const bandwidthSchema = z.object({ rate: z.number().positive() });
export const bandwidth: StageToxicDef<z.infer<typeof bandwidthSchema>> = {
  kind: 'stage',
  type: 'bandwidth',
  mqtt: false,
  schema: bandwidthSchema,
  create(a, env) {
    const q = new TimedQueue(env);
    let nextFree = 0;
    return {
      push(u) {
        const start = Math.max(env.sched.now(), nextFree);
        nextFree = start + u.bytes.length / a.rate; // rate KB/s = bytes/ms
        q.enqueue(u, nextFree);
      },
      end: () => q.end(),
      dispose: (f) => q.dispose(f),
    };
  },
};

/** average_size and size_variation in bytes, delay in microseconds between pieces (Toxiproxy). */
const slicerSchema = z.object({
  average_size: posInt.default(1),
  size_variation: nonNeg.default(0),
  delay: nonNeg.default(0),
});
export const slicer: StageToxicDef<z.infer<typeof slicerSchema>> = {
  kind: 'stage',
  type: 'slicer',
  mqtt: false,
  schema: slicerSchema,
  create(a, env) {
    const q = new TimedQueue(env);
    let cursor = 0;
    return {
      push(u) {
        const b = u.bytes;
        let off = 0;
        cursor = Math.max(cursor, env.sched.now());
        while (off < b.length) {
          const v = a.size_variation > 0 ? Math.round((env.rng.next() * 2 - 1) * a.size_variation) : 0;
          const n = Math.max(1, Math.min(b.length - off, a.average_size + v));
          q.enqueue({ bytes: b.subarray(off, off + n) }, cursor);
          cursor += a.delay / 1000;
          off += n;
        }
      },
      end: () => q.end(),
      dispose: (f) => q.dispose(f),
    };
  },
};

const limitSchema = z.object({ bytes: z.number().int().min(0) });
export const limitData: StageToxicDef<z.infer<typeof limitSchema>> = {
  kind: 'stage',
  type: 'limit_data',
  mqtt: false,
  schema: limitSchema,
  create(a, env) {
    let passed = 0;
    let done = false;
    const stage: Stage = {
      push(u) {
        if (done) return env.discard(u);
        const room = a.bytes - passed;
        if (u.bytes.length < room) {
          passed += u.bytes.length;
          return env.next(u);
        }
        done = true;
        if (room > 0) env.next({ bytes: u.bytes.subarray(0, room) });
        passed = a.bytes;
        env.fault('limit', u, { bytes: a.bytes });
        env.link.terminate('close');
      },
      end: env.end,
      dispose: () => {},
    };
    if (a.bytes === 0) queueMicrotask(() => stage.push({ bytes: Buffer.alloc(0) }));
    return stage;
  },
};

/** Drops everything; closes the link after `timeout` ms (0 = never, until the toxic is removed). */
const timeoutSchema = z.object({ timeout: duration.default(0) });
export const timeout: StageToxicDef<z.infer<typeof timeoutSchema>> = {
  kind: 'stage',
  type: 'timeout',
  mqtt: false,
  schema: timeoutSchema,
  create(a, env) {
    env.fault('blackhole', undefined, { timeout: a.timeout });
    const cancel =
      a.timeout > 0
        ? env.sched.setTimer(a.timeout, () => {
            env.fault('close');
            env.link.terminate('close');
          })
        : undefined;
    return { push: (u) => env.discard(u), end: () => {}, dispose: () => cancel?.() };
  },
};

/** Resets both sockets (TCP RST) after `timeout` ms (0 = at once). */
const resetSchema = z.object({ timeout: duration.default(0) });
export const resetPeer: StageToxicDef<z.infer<typeof resetSchema>> = {
  kind: 'stage',
  type: 'reset_peer',
  mqtt: false,
  schema: resetSchema,
  create(a, env) {
    const cancel = env.sched.setTimer(a.timeout, () => {
      env.fault('reset');
      env.link.terminate('reset');
    });
    return { push: env.next, end: env.end, dispose: () => cancel() };
  },
};

/** Delays passing on the close (FIN) by `delay` ms. */
const slowCloseSchema = z.object({ delay: duration.default(0) });
export const slowClose: StageToxicDef<z.infer<typeof slowCloseSchema>> = {
  kind: 'stage',
  type: 'slow_close',
  mqtt: false,
  schema: slowCloseSchema,
  create(a, env) {
    const q = new TimedQueue(env);
    return {
      push: (u) => q.enqueue(u, env.sched.now()),
      end() {
        env.fault('slow-close', undefined, { ms: a.delay });
        q.end(a.delay);
      },
      dispose: (f) => q.dispose(f),
    };
  },
};

/** Both directions silently stop: data is swallowed and a close from either side is not passed on. */
export const halfOpen: StageToxicDef<Record<string, never>> = {
  kind: 'stage',
  type: 'half_open',
  mqtt: false,
  bothStreams: true,
  schema: z.object({}) as unknown as z.ZodType<Record<string, never>>,
  create(_a, env) {
    if (env.stream === 'upstream') env.fault('half-open'); // one event per link, not per stream
    return { push: (u) => env.discard(u), end: () => {}, dispose: () => {} };
  },
};

/** Cuts the link after N packets (or chunks in byte mode), N bytes, or T ms in this stream. */
const disconnectSchema = z
  .object({
    after_packets: posInt.optional(),
    after_bytes: posInt.optional(),
    after_ms: duration.optional(),
    mode: z.enum(['close', 'reset']).default('close'),
  })
  .refine((a) => a.after_packets !== undefined || a.after_bytes !== undefined || a.after_ms !== undefined, {
    message: 'give at least one of after_packets, after_bytes, after_ms',
  });
export const disconnect: StageToxicDef<z.infer<typeof disconnectSchema>> = {
  kind: 'stage',
  type: 'disconnect',
  mqtt: true,
  schema: disconnectSchema,
  create(a, env) {
    let packets = 0;
    let bytes = 0;
    let done = false;
    const cut = (why: string) => {
      if (done) return;
      done = true;
      env.fault(a.mode, undefined, { after: why });
      env.link.terminate(a.mode);
    };
    const cancel = a.after_ms !== undefined ? env.sched.setTimer(a.after_ms, () => cut(`${a.after_ms}ms`)) : undefined;
    return {
      push(u: Unit) {
        if (done) return env.discard(u);
        let b = u.bytes;
        if (a.after_bytes !== undefined && bytes + b.length >= a.after_bytes) {
          b = b.subarray(0, a.after_bytes - bytes);
          env.next(b.length === u.bytes.length ? u : { bytes: b });
          return cut(`${a.after_bytes} bytes`);
        }
        bytes += b.length;
        env.next(u);
        if (a.after_packets !== undefined && ++packets >= a.after_packets) cut(`${a.after_packets} packets`);
      },
      end: env.end,
      dispose: () => cancel?.(),
    };
  },
};

export const byteToxics = [latency, bandwidth, slicer, limitData, timeout, resetPeer, slowClose, halfOpen, disconnect];
export type { StageEnv };
