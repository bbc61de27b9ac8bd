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
// --pub-qos wins over --qos, so that pair.ts can run a publisher and subscribers of different QoS.
const qos = Number(argOf('pub-qos', argOf('qos', '0'))) as QoS;
/** In pair.ts the subscriber shares this process and exits it after its result. */
const paired = argOf('paired', 'no') === 'yes';
const window = Number(argOf('window', '100'));
const durationMs = Number(argOf('duration-ms', '3000'));
const maxCount = Number(argOf('max-count', '5000000'));
const payloadSize = Math.max(8, Number(argOf('payload', '64')));
const rate = Number(argOf('rate', '0'));
// Refill the window once this many slots are free (1 = refill on every ack).
const refillAt = Math.max(1, Number(argOf('refill-at', process.env.BENCH_REFILL_AT ?? '1')));

let sent = 0;
let acked = 0;
let nextId = 1;
let inflight = 0;
let started = 0n;
let deadline = 0n;
let finished = false;
let tick: NodeJS.Timeout | undefined;

// Encode the PUBLISH once with our codec, then patch the stamp and packet id per message:
// at level 4 the payload ends the packet and the packet id sits just before it.
const template = encodePacket(
  {
    type: 'publish',
    topic,
    payload: Buffer.alloc(payloadSize),
    qos,
    retain: false,
    dup: false,
    ...(qos > 0 ? { packetId: 1 } : {}),
  } as Packet,
  4,
);
const payloadAt = template.length - payloadSize;

// A block of BLOCK copies of the template, so a batch is one copy plus in-place patches.
const BLOCK = 256;
const block = Buffer.allocUnsafe(template.length * BLOCK);
for (let i = 0; i < BLOCK; i++) template.copy(block, i * template.length);

/** Queues n PUBLISHes (n ≤ BLOCK) as one buffer: send stamp and packet id patched per message. */
function publishBatch(c: RawClient, n: number): void {
  if (n <= 0) return;
  const len = template.length;
  const b = Buffer.allocUnsafe(len * n);
  block.copy(b, 0, 0, len * n);
  const stamp = nowNs();
  for (let i = 0, o = payloadAt; i < n; i++, o += len) {
    b.writeBigInt64BE(stamp, o);
    if (qos > 0) {
      b.writeUInt16BE(nextId, o - 2);
      nextId = nextId === 65535 ? 1 : nextId + 1;
    }
  }
  if (qos > 0) inflight += n;
  sent += n;
  c.sendRaw(b);
}

const mayStart = () => sent < maxCount && nowNs() < deadline;
const allowedByRate = () => (rate <= 0 ? Infinity : Math.floor((Number(nowNs() - started) / 1e9) * rate) - sent);

function finish(c: RawClient): void {
  if (finished) return;
  finished = true;
  clearInterval(tick);
  emit({ event: 'done', sent, acked, elapsedMs: Number(nowNs() - started) / 1e6 });
  c.close();
  if (!paired) setTimeout(() => process.exit(0), 200).unref();
}

async function runQos0(c: RawClient): Promise<void> {
  while (mayStart()) {
    const n = Math.min(rate > 0 ? allowedByRate() : BLOCK, maxCount - sent);
    for (let left = n; left > 0; left -= BLOCK) publishBatch(c, Math.min(left, BLOCK));
    if (!c.flush()) await c.drained();
    else await new Promise((r) => (rate > 0 ? setTimeout(r, 1) : setImmediate(r)));
  }
  acked = sent;
  await c.drained();
  finish(c);
}

function runWindowed(c: RawClient): void {
  const fill = () => {
    if (mayStart()) {
      publishBatch(c, Math.min(window - inflight, allowedByRate(), maxCount - sent, BLOCK));
      // Paced (latency) runs write at once, so the stamp is the moment the bytes leave.
      if (rate > 0) c.flush();
    }
    if (!mayStart() && inflight === 0) finish(c);
  };
  // Acks are read in place on the lean path; a refill is queued once per turn, after the batch.
  let refill = false;
  const refillNow = () => {
    refill = false;
    fill();
  };
  c.lean((first, buf, start) => {
    const type = first >> 4;
    if (type === 4 || type === 7) {
      inflight--;
      acked++;
      if (!refill && window - inflight >= refillAt) {
        refill = true;
        queueMicrotask(refillNow);
      }
    } else if (type === 5) {
      c.ack(0x62, (buf[start] << 8) | buf[start + 1]);
    }
  });
  fill();
  // Paced runs and the end of a run need a timer: acks alone do not wake us then.
  tick = setInterval(() => {
    fill();
    if (nowNs() > deadline + 10_000_000_000n) finish(c);
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
