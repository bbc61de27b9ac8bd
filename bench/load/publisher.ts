/**
 * Load child: one publisher. Args: --host --port --topic --qos --window --duration-ms --max-count
 * --payload --rate (msg/s, 0 = as fast as the window and socket allow). Waits for {"cmd":"go"},
 * publishes, prints {"event":"done", sent, acked, elapsedMs}. Payload bytes 0..7 carry the
 * send time (process.hrtime, shared by every process on this machine) for latency.
 */
import { encodePacket, type Packet, type QoS } from '../../src/codec/index.ts';
import { RawClient } from './raw-client.ts';
import { argOf, emit, fatal, nowNs, onCommand } from './proto.ts';

const host = argOf('host', '127.0.0.1');
const port = Number(argOf('port'));
const topic = argOf('topic', 'bench/t');
const qos = Number(argOf('qos', '0')) as QoS;
const window = Number(argOf('window', '100'));
const durationMs = Number(argOf('duration-ms', '3000'));
const maxCount = Number(argOf('max-count', '5000000'));
const payloadSize = Math.max(8, Number(argOf('payload', '64')));
const rate = Number(argOf('rate', '0'));

let sent = 0;
let acked = 0;
let nextId = 1;
let inflight = 0;
let started = 0n;
let deadline = 0n;
let finished = false;

// Encode the PUBLISH once with our codec, then patch the stamp and packet id per message:
// at level 4 the payload ends the packet and the packet id sits just before it.
const template = encodePacket(
  { type: 'publish', topic, payload: Buffer.alloc(payloadSize), qos, retain: false, dup: false, ...(qos > 0 ? { packetId: 1 } : {}) } as Packet,
  4,
);
const payloadAt = template.length - payloadSize;

function publish(c: RawClient): void {
  const b = Buffer.allocUnsafe(template.length);
  template.copy(b);
  b.writeBigInt64BE(nowNs(), payloadAt);
  if (qos > 0) {
    b.writeUInt16BE(nextId, payloadAt - 2);
    nextId = nextId === 65535 ? 1 : nextId + 1;
    inflight++;
  }
  c.sendRaw(b);
  sent++;
}

const mayStart = () => sent < maxCount && nowNs() < deadline;
const allowedByRate = () => (rate <= 0 ? Infinity : Math.floor((Number(nowNs() - started) / 1e9) * rate) - sent);

function finish(c: RawClient): void {
  if (finished) return;
  finished = true;
  emit({ event: 'done', sent, acked, elapsedMs: Number(nowNs() - started) / 1e6 });
  c.close();
  setTimeout(() => process.exit(0), 200).unref();
}

async function runQos0(c: RawClient): Promise<void> {
  while (mayStart()) {
    const n = Math.min(rate > 0 ? allowedByRate() : 500, maxCount - sent);
    for (let i = 0; i < n; i++) publish(c);
    if (!c.flush()) await c.drained();
    else await new Promise((r) => (rate > 0 ? setTimeout(r, 1) : setImmediate(r)));
  }
  acked = sent;
  await c.drained();
  finish(c);
}

function runWindowed(c: RawClient): void {
  const fill = () => {
    let n = Math.min(window - inflight, allowedByRate());
    while (n-- > 0 && mayStart()) publish(c);
    if (!mayStart() && inflight === 0) finish(c);
  };
  c.onPacket = (p) => {
    if (p.type === 'puback' || p.type === 'pubcomp') {
      inflight--;
      acked++;
      fill();
    } else if (p.type === 'pubrec') {
      c.send({ type: 'pubrel', packetId: p.packetId });
    }
  };
  fill();
  // Paced runs and the end of a run need a timer: acks alone do not wake us then.
  const tick = setInterval(() => {
    fill();
    if (nowNs() > deadline + 10_000_000_000n) {
      clearInterval(tick);
      finish(c);
    }
  }, 1);
}

try {
  const c = await RawClient.open(host, port);
  c.onClose = (why) => {
    if (!finished) fatal(new Error(`publisher connection lost: ${why}`));
  };
  await c.handshake(`bench-pub-${process.pid}`);
  emit({ event: 'ready' });
  onCommand((m) => {
    if (m.cmd !== 'go') return;
    started = nowNs();
    deadline = started + BigInt(durationMs) * 1_000_000n;
    if (qos === 0) void runQos0(c).catch(fatal);
    else runWindowed(c);
  });
} catch (e) {
  fatal(e);
}
