import type { Packet, PublishPacket, QoS } from '../../src/codec/index.ts';
import type { ConformanceWorld as W } from './world.ts';

/**
 * Bursts for the depth steps: messages published without waiting for each acknowledgement,
 * bounded in time, with a tally of what the broker acknowledged or refused.
 */

export interface Tally {
  sent: number;
  acked: number;
  refused: number;
}
export const tallies = new WeakMap<W, Map<string, Tally>>();
const nextPid = new WeakMap<W, Map<string, number>>();

export const expand = (t: string, i: number): string => t.replaceAll('{i}', String(i));
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function pidFor(w: W, name: string, inUse: { has(id: number): boolean }, start?: number): number {
  const m = nextPid.get(w) ?? new Map<string, number>();
  nextPid.set(w, m);
  let id = start ?? m.get(name) ?? 1000;
  for (let k = 0; k < 65535 && inUse.has(id); k++) id = id >= 65535 ? 1 : id + 1;
  m.set(name, id >= 65535 ? 1 : id + 1);
  return id;
}

/** Runs `fn` with every packet of `name` first offered to `claim`; restores the previous hook. */
export async function claiming<T>(w: W, name: string, claim: (p: Packet) => boolean, fn: () => Promise<T>): Promise<T> {
  const c = w.client(name);
  const prev = c.onPacket;
  c.onPacket = (p) => claim(p) || (prev?.(p) ?? false);
  try {
    return await fn();
  } finally {
    c.onPacket = prev;
  }
}

export async function burst(
  w: W,
  name: string,
  n: number,
  prefix: string,
  topic: string,
  qos: QoS,
  retain: boolean,
  firstPid?: number,
): Promise<void> {
  if (qos === 1 && w.requireCapability('qos1')) return;
  if (qos === 2 && w.requireCapability('qos2')) return;
  if (retain && w.requireCapability('retain')) return;
  const c = w.client(name);
  const window = w.capabilitiesAt(c.protocolLevel)?.receiveMaximum ?? 65535;
  const tally: Tally = { sent: 0, acked: 0, refused: 0 };
  const tmap = tallies.get(w) ?? new Map<string, Tally>();
  tallies.set(w, tmap);
  tmap.set(name, tally);
  const out = new Map<number, () => void>();
  let wake: (() => void) | undefined;
  const done = (pid: number, refused: boolean): void => {
    const r = out.get(pid);
    if (!r) return;
    out.delete(pid);
    if (refused) tally.refused++;
    else tally.acked++;
    r();
    wake?.();
  };
  const claim = (p: Packet): boolean => {
    if (p.type === 'puback' || p.type === 'pubcomp') {
      if (!out.has(p.packetId)) return false;
      done(p.packetId, (p.reasonCode ?? 0) >= 0x80);
      return true;
    }
    if (p.type === 'pubrec') {
      if (!out.has(p.packetId)) return false;
      if ((p.reasonCode ?? 0) >= 0x80) done(p.packetId, true);
      else c.send({ type: 'pubrel', packetId: p.packetId });
      return true;
    }
    return false;
  };
  const deadline = performance.now() + w.ms(10_000 + n * 2);
  await claiming(w, name, claim, async () => {
    let pid = firstPid;
    for (let i = 1; i <= n; i++) {
      while (out.size >= window) {
        if (performance.now() > deadline || c.closed) return; // judged by "the broker acknowledged all …"

        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
      const t = w.topic(expand(topic, i));
      if (retain) (w as unknown as { retainedTopics: Set<string> }).retainedTopics.add(t);
      const p: PublishPacket = {
        type: 'publish',
        topic: t,
        payload: Buffer.from(`${prefix}${i}`),
        qos,
        retain,
        dup: false,
      };
      if (qos > 0) {
        p.packetId = pidFor(w, name, out, pid);
        pid = undefined;
        out.set(p.packetId, () => undefined);
      }
      c.send(p);
      tally.sent++;
    }
    if (qos === 0) {
      c.send({ type: 'pingreq' });
      await c.expect({ type: 'pingresp' }, w.waitMs);
      tally.acked = n;
      return;
    }
    while (out.size > 0 && performance.now() < deadline && !c.closed) await sleep(5);
  });
  // Missing acknowledgements are judged by the step "the broker acknowledged all N messages of …".
}
