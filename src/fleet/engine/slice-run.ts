/**
 * Runs one slice of a fleet (all of it, a worker's share or a shard's) in this process: hubs
 * first (per broker, on a clean link, subscribed before any device publishes), the retained
 * configuration, then the devices on the connect ramp with their schedules and events; when
 * the window ends the links heal and the slice drains (bounded); then the history is closed
 * and every connection ends with DISCONNECT. Writes DIR/history.jsonl and DIR/part.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuUsage, memoryUsage } from 'node:process';
import { sleep } from '../../common/index.ts';
import { redactUrl } from '../../common/index.ts';
import { tcpAddress } from '../../transport/index.ts';
import type { QoS } from '../../codec/index.ts';
import {
  brokerOf,
  clientId,
  connectAt,
  deviceName,
  deviceRng,
  eventsOf,
  linkOf,
  publishTimes,
  scopeOf,
  sliceIndices,
  sliceTag,
  topicOf,
  type RunSettings,
} from './plan.ts';
import { CLEAN_LINK, compileLink, type LinkSpec } from './link-spec.ts';
import { K, LeanFleet, type Dev } from './lean-fleet.ts';
import { encodeHistogram } from './metrics.ts';
import { OpLog } from './op-log.ts';
import { addHubs } from './slice-hubs.ts';
import type { LiveStats, Part } from './part.ts';

export type { LiveStats, Part } from './part.ts';

const now = (): number => performance.timeOrigin + performance.now();

export async function runSlice(s: RunSettings, dir: string, onLive?: (l: LiveStats) => void): Promise<Part> {
  mkdirSync(dir, { recursive: true });
  const sc = s.scenario;
  const level = sc.version === '5.0' ? 5 : 4;
  const log = new OpLog(join(dir, 'history.jsonl'));
  const drops = sc.faults.map((f, k) => ({
    stream: f.stream,
    types: new Set([f.attributes.packet_type].flat().map((x) => x.toLowerCase())),
    probability: f.attributes.probability,
    name: f.name ?? `fault-${k}`,
  }));
  const fleet = new LeanFleet({
    log,
    level,
    now,
    username: s.username,
    password: s.password,
    drops,
    ackTimeoutMs: sc.devices.ack_timeout_ms,
    connectTimeoutMs: sc.devices.connect_timeout_ms,
  });
  fleet.publishing = { qos: sc.devices.publish.qos as QoS, retain: sc.devices.publish.retain };
  const tag = sliceTag(s);
  const targets = s.brokers.map((u) => tcpAddress(u));
  const links = new Map<string, LinkSpec>();
  const linkSpec = (n: string | undefined): LinkSpec => {
    if (n === undefined) return CLEAN_LINK;
    let l = links.get(n);
    if (l === undefined) links.set(n, (l = compileLink(n)));
    return l;
  };
  let rssPeak = memoryUsage.rss();
  const cpu0 = cpuUsage();
  let phase = 'hubs';
  wheelStart(fleet);

  // Hubs: one set per broker this slice uses.
  const { hubs, hubPub } = addHubs(fleet, s, targets, tag);
  const t00 = now();
  for (const h of [...hubs, ...hubPub]) fleet.start(h, t00);
  const hubsUp = await until(
    () => [...hubs, ...hubPub].every((h) => h.state === 2) && hubs.every((h) => h.subOk),
    15_000,
  );
  if (!hubsUp)
    throw new Error(
      `hub subscribers could not connect and subscribe to ${s.brokers.map(redactUrl).join(', ')} within 15 s`,
    );
  if (sc.config) {
    for (const [b, h] of hubPub.entries())
      fleet.publish(h, `${scopeOf(s, b)}/${sc.config.topic}`, sc.config.qos as QoS, true, sc.config.bytes);
    await until(() => hubPub.every((h) => fleet.idle(h)), 10_000);
  }

  // Devices.
  phase = 'ramp';
  const rssBase = memoryUsage.rss();
  const t0 = now() + 50;
  const idx = sliceIndices(s.devices, s.shard, s.worker);
  const windows: Part['windows'] = [];
  sc.events.forEach((e) =>
    windows.push({
      from: t0 + e.at_ms,
      to: e.type === 'outage' ? t0 + e.at_ms + e.for_ms : t0 + e.at_ms + 1000,
      label:
        e.type === 'outage'
          ? `outage of ${Math.round(e.share * 100)}% of the links`
          : `death of ${Math.round(e.share * 100)}% of the devices`,
    }),
  );
  const devs: Dev[] = [];
  for (const i of idx) {
    const name = deviceName(s, i);
    const b = brokerOf(s, i);
    const d = fleet.add({
      i,
      name,
      cid: clientId(s, name),
      hub: false,
      ...targets[b],
      link: linkSpec(linkOf(s, name)),
      rng: deviceRng(s, name),
      persistent: sc.devices.persistent,
      keepAlive: sc.devices.keep_alive_s,
      will: sc.devices.will
        ? { topic: topicOf(s, b, sc.devices.will.topic, name), qos: sc.devices.will.qos as QoS }
        : undefined,
      subs: sc.devices.subscribe
        ? [{ filter: `${scopeOf(s, b)}/${sc.devices.subscribe.topic}`, qos: sc.devices.subscribe.qos as QoS }]
        : [],
      sleepy: sc.devices.behaviour === 'sleepy',
    });
    devs.push(d);
    const start = t0 + connectAt(s, i);
    fleet.start(d, start);
    const evs = eventsOf(s, name);
    d.net.arm(
      start,
      evs
        .filter((e) => e.type === 'outage')
        .map((e) => ({ at: e.at - connectAt(s, i), until: e.until - connectAt(s, i), existing: e.existing })),
      start,
    );
    for (const e of evs.filter((x) => x.type === 'death'))
      fleet.wheel.at(t0 + e.at, K.publish, d.slot, () => fleet.crash(d, 'crash (mass death)'));
    fleet.schedule(d, t0, publishTimes(s, i, name), topicOf(s, b, sc.devices.publish.topic, name));
  }
  if (sc.commands) {
    const c = sc.commands;
    for (let t = c.from_ms; t <= c.to_ms; t += c.every_ms) {
      for (const [b, h] of hubPub.entries())
        fleet.wheel.at(t0 + t, K.publish, h.slot, () => fleet.publish(h, `${scopeOf(s, b)}/${c.topic}`, c.qos as QoS));
    }
    windows.push({ from: t0 + c.from_ms, to: t0 + c.to_ms, label: 'commands published' });
  }

  // Run: a live line a second until the window ends, then heal and drain.
  const end = t0 + s.durationMs;
  let drainedOk: boolean | undefined;
  // The sweep runs every second; a longer gap means this process itself was stalled (starved of
  // CPU, or collecting garbage): recorded as a window, so no one blames the broker for it.
  let lastSweep = now();
  let longestStall = 0;
  const sweep = setInterval(() => {
    const gap = now() - lastSweep;
    lastSweep = now();
    if (gap > 2500) {
      longestStall = Math.max(longestStall, gap - 1000);
      windows.push({
        from: lastSweep - gap + 1000,
        to: lastSweep,
        label: `fleet worker ${tag} stalled ${((gap - 1000) / 1000).toFixed(1)} s (its own process)`,
      });
    }
    fleet.sweep();
    rssPeak = Math.max(rssPeak, memoryUsage.rss());
    const tNow = now();
    if (phase === 'ramp' && tNow >= t0 + connectAt(s, s.devices)) phase = 'publishing';
    if (onLive) {
      const sec = fleet.timeline.at(tNow - 1000);
      const c = log.counts;
      onLive({
        tag,
        t: tNow,
        connected: devs.reduce((n, d) => n + (d.state === 2 ? 1 : 0), 0),
        devices: devs.length,
        faulty: devs.reduce((n, d) => n + (d.net.down ? 1 : 0), 0),
        published: c.published,
        received: c.received,
        errors: fleet.errors,
        drops: c.drops,
        phase,
        ...(sec.hist ? { e2e: encodeHistogram(sec.hist) } : {}),
      });
    }
  }, 1000);
  try {
    await sleep(Math.max(0, end - now()));
    phase = 'draining';
    fleet.healed = true;
    for (const d of devs) d.net.heal();
    let last = -1;
    let quietSince = now();
    const drained = await until(() => {
      const busy =
        devs.some((d) => (d.want || d.sleepy) && (d.state === 1 || (d.want && d.state === 0) || !fleet.idle(d))) ||
        hubPub.some((h) => !fleet.idle(h));
      const size = log.size;
      if (busy || size !== last) {
        last = size;
        quietSince = now();
        return false;
      }
      return now() - quietSince >= 1000;
    }, s.drainMs);
    phase = drained ? 'done' : 'drain timed out';
    drainedOk = drained;
  } finally {
    clearInterval(sweep);
  }
  const endedAt = now();
  fleet.sweep();
  for (const d of fleet.devs) fleet.finishOpen(d, drainedOk === true ? 'history ended' : 'drain timed out');
  await log.close();
  for (const d of fleet.devs) fleet.disconnect(d, false);
  fleet.wheel.stop();
  const cpu = cpuUsage(cpu0);
  const part: Part = {
    tag,
    scenario: sc.name,
    seed: s.seed,
    version: sc.version,
    runId: s.runId,
    shard: s.shard,
    worker: s.worker,
    devices: devs.length,
    brokers: s.brokers.map(redactUrl),
    t0,
    durationMs: s.durationMs,
    endedAt,
    counts: { ...log.counts },
    errors: fleet.errors,
    e2e: encodeHistogram(fleet.e2e),
    connect: encodeHistogram(fleet.connectLatency),
    timeline: fleet.timeline.toJSON(),
    windows,
    checks: sc.checks,
    thresholds: s.thresholds ?? sc.thresholds,
    stallMs: Math.round(longestStall),
    rssPeakMb: Math.round(rssPeak / 1048576),
    rssBaseMb: Math.round(rssBase / 1048576),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    hubs: [...hubs, ...hubPub].map((h) => h.cid),
  };
  writeFileSync(join(dir, 'part.json'), JSON.stringify(part));
  return part;
}

function wheelStart(f: LeanFleet): void {
  f.wheel.start(now);
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}
