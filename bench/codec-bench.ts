/**
 * Codec hot-path benchmark: PUBLISH (QoS 1, 64-byte payload, topic sensors/room-1/temperature)
 * decoded and encoded by our codec and by mqtt-packet in the same run, at 3.1.1 and 5.0
 * (no properties / one small property). Each case: warm-up, then 3 rounds in which every
 * contender runs ~1 s (bounded iteration count), order rotated; reports the median packets/s
 * of each side and the median of the per-round ratios ours/theirs.
 *
 * Run: npm run bench:codec   (BENCH_SECONDS=0.3 for a quicker pass)
 */
import mqttPacket from 'mqtt-packet';
import { decodePacket, encodePacket, PacketReader } from '../src/codec/index.ts';
import type { ProtocolLevel, Properties, PublishPacket } from '../src/codec/index.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const MAX_ITER = 50_000_000;
const BATCH = 2_000;
let sink = 0;

function measure(fn: () => void): number {
  const limit = BigInt(Math.round(SECONDS * 1e9));
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0n;
  while (n < MAX_ITER) {
    for (let i = 0; i < BATCH; i++) fn();
    n += BATCH;
    elapsed = process.hrtime.bigint() - t0;
    if (elapsed >= limit) break;
  }
  return n / (Number(elapsed) / 1e9);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Warm every contender, then 3 rounds in which each is timed once (rotating the order), so
 * load drift on a shared machine hits both sides alike. Returns per-contender median rate
 * and, per round, the rate of each (for per-round ratios).
 */
function compare(fns: Record<string, () => void>): { med: Record<string, number>; rounds: Record<string, number>[] } {
  const names = Object.keys(fns);
  for (const n of names) {
    const warmEnd = Date.now() + Math.max(200, SECONDS * 300);
    while (Date.now() < warmEnd) for (let i = 0; i < BATCH; i++) fns[n]();
  }
  const rounds: Record<string, number>[] = [];
  for (let r = 0; r < 3; r++) {
    const round: Record<string, number> = {};
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length];
      round[n] = measure(fns[n]);
    }
    rounds.push(round);
  }
  const med: Record<string, number> = {};
  for (const n of names) med[n] = median(rounds.map((x) => x[n]));
  return { med, rounds };
}

interface Case {
  name: string;
  level: ProtocolLevel;
  properties?: Properties;
}
const cases: Case[] = [
  { name: '3.1.1', level: 4 },
  { name: '5.0 no props', level: 5 },
  { name: '5.0 1 prop', level: 5, properties: { messageExpiryInterval: 60 } },
];

const payload = Buffer.alloc(64, 0x61);
const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} M/s`;
const rows: string[][] = [];
const ratios: { label: string; ratio: number; target: number }[] = [];

function row(label: string, res: ReturnType<typeof compare>, ours: string, theirs: string, target: number): void {
  const ratio = median(res.rounds.map((r) => r[ours] / r[theirs]));
  ratios.push({ label, ratio, target });
  rows.push([
    label,
    fmt(res.med[ours]),
    fmt(res.med[theirs]),
    `${ratio.toFixed(2)}x`,
    `>= ${target}x`,
    ratio >= target ? 'ok' : 'BELOW',
  ]);
  console.log(`  ${rows[rows.length - 1].join('  ')}`);
}

console.log(`codec bench: ${SECONDS}s per run, median of 3, node ${process.version}`);
for (const c of cases) {
  const ours: PublishPacket = {
    type: 'publish',
    topic: 'sensors/room-1/temperature',
    payload,
    qos: 1,
    packetId: 42,
    retain: false,
    dup: false,
    ...(c.properties ? { properties: c.properties } : {}),
  };
  const theirsPacket: mqttPacket.IPublishPacket = {
    cmd: 'publish',
    topic: ours.topic,
    payload,
    qos: 1 as const,
    messageId: 42,
    retain: false,
    dup: false,
    ...(c.properties ? { properties: c.properties as mqttPacket.IPublishPacket['properties'] } : {}),
  };
  const opts = { protocolVersion: c.level };
  const frame = encodePacket(ours, c.level);
  const theirsFrame = mqttPacket.generate(theirsPacket, opts);
  if (!frame.equals(theirsFrame))
    throw new Error(`${c.name}: encodings differ: ${frame.toString('hex')} vs ${theirsFrame.toString('hex')}`);
  const check = decodePacket(frame, { protocolLevel: c.level });
  if (!check.ok) throw new Error(check.violation.message);

  const decodeOpts = { protocolLevel: c.level };
  const reader = new PacketReader({ protocolLevel: c.level });
  const parser = mqttPacket.parser(opts);
  parser.on('packet', (p: mqttPacket.Packet) => {
    sink += p.length ?? 1;
  });
  parser.on('error', (e: Error) => {
    throw e;
  });
  const dec = compare({
    decodePacket: () => {
      const r = decodePacket(frame, decodeOpts);
      if (r.ok) sink += (r.packet as PublishPacket).payload.length;
    },
    reader: () => {
      sink += reader.push(frame).length;
    },
    mqttPacket: () => {
      parser.parse(frame);
    },
  });
  row(`decode ${c.name} decodePacket`, dec, 'decodePacket', 'mqttPacket', 2);
  row(`decode ${c.name} PacketReader`, dec, 'reader', 'mqttPacket', 2);

  const enc = compare({
    ours: () => {
      sink += encodePacket(ours, c.level).length;
    },
    mqttPacket: () => {
      sink += mqttPacket.generate(theirsPacket, opts).length;
    },
  });
  row(`encode ${c.name}`, enc, 'ours', 'mqttPacket', 1.5);
}

console.log('');
console.log('| case | ours | mqtt-packet | ratio | target | |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
const below = ratios.filter((r) => r.ratio < r.target);
console.log(below.length ? `\n${below.length} case(s) below target` : '\nall cases meet their targets');
if (sink === 42) console.log('');
