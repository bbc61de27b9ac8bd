/**
 * The two measurements of the proxy benchmark, over any path (direct, through a proxy):
 * QoS 0 throughput with a bounded window, and one-way latency at a fixed rate.
 */
import * as hdr from 'hdr-histogram-js';
import { encodePacket } from '../../src/codec/index.ts';
import { Lean } from './lean-client.ts';

export interface ThroughputOptions {
  count: number;
  durationMs: number;
  /** At most this many messages sent and not yet received. */
  window: number;
}

const topicOf = (tag: string) => `bench/${tag}/${process.pid}/${Date.now()}`;

/** QoS 0 msg/s seen by the subscriber, one publisher → one subscriber, 64-byte payloads. */
export async function throughput(
  port: number,
  tag: string,
  o: ThroughputOptions,
): Promise<{ rate: number; count: number }> {
  const topic = topicOf(tag);
  const sub = await Lean.open(port, `bs-${tag}`);
  const pub = await Lean.open(port, `bp-${tag}`);
  try {
    await sub.subscribe(topic);
    const one = encodePacket(
      { type: 'publish', topic, payload: Buffer.alloc(64, 0x61), qos: 0, retain: false, dup: false },
      4,
    );
    const batch = Buffer.concat(Array.from({ length: 100 }, () => one));
    let sent = 0;
    const t0 = performance.now();
    const deadline = t0 + o.durationMs;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (sent < o.count && sent - sub.publishes < o.window && performance.now() < deadline) {
          sent += 100;
          if (!pub.s.write(batch)) return void pub.s.once('drain', pump);
        }
        if (sub.publishes >= o.count || performance.now() >= deadline) return resolve();
        setImmediate(pump);
      };
      pump();
    });
    const secs = (performance.now() - t0) / 1000;
    return { rate: sub.publishes / secs, count: sub.publishes };
  } finally {
    sub.close();
    pub.close();
  }
}

export interface LatencyOptions {
  rate: number;
  durationMs: number;
}

/** One-way latency (µs) of timestamped QoS 0 messages published at `rate`/s for `durationMs`. */
export async function latency(port: number, tag: string, o: LatencyOptions): Promise<hdr.Histogram> {
  const topic = topicOf(tag);
  const sub = await Lean.open(port, `ls-${tag}`);
  const pub = await Lean.open(port, `lp-${tag}`);
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  try {
    await sub.subscribe(topic);
    const topicLen = Buffer.byteLength(topic);
    sub.onPublish = (b, i) => {
      const sentAt = b.readDoubleLE(i + 2 + topicLen);
      h.recordValue(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
    };
    const msg = encodePacket(
      { type: 'publish', topic, payload: Buffer.alloc(64), qos: 0, retain: false, dup: false },
      4,
    );
    const stampAt = msg.length - 64;
    const total = Math.floor((o.rate * o.durationMs) / 1000);
    let sent = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const iv = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) * o.rate) / 1000));
        while (sent < due) {
          const m = Buffer.from(msg);
          m.writeDoubleLE(performance.now(), stampAt);
          pub.s.write(m);
          sent++;
        }
        if (sent >= total) {
          clearInterval(iv);
          resolve();
        }
      }, 1);
    });
    const end = performance.now() + 2000;
    while (sub.publishes < total && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
    return h;
  } finally {
    sub.close();
    pub.close();
  }
}
