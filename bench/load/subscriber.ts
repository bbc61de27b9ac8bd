/**
 * Load child: N subscriber connections on one topic. Args: --host --port --topic --qos --conns
 * --latency (record send→receive latency from the payload stamp). Prints {"event":"ready"};
 * on {"cmd":"finish","expect":N} waits until N deliveries arrived or 1.5 s pass with none, then
 * prints {"event":"result", received, firstNs, lastNs, latency percentiles in ms}.
 */
import hdr from 'hdr-histogram-js';
import type { QoS } from '../../src/codec/index.ts';
import { RawClient } from './raw-client.ts';
import { argOf, emit, fatal, nowNs, onCommand } from './proto.ts';

const host = argOf('host', '127.0.0.1');
const port = Number(argOf('port'));
const topic = argOf('topic', 'bench/t');
const qos = Number(argOf('qos', '0')) as QoS;
const conns = Number(argOf('conns', '1'));
const latency = argOf('latency', 'no') === 'yes';

const hist = hdr.build({
  lowestDiscernibleValue: 1,
  highestTrackableValue: 60_000_000,
  numberOfSignificantValueDigits: 3,
});
let received = 0;
let firstNs = 0n;
let lastNs = 0n;
let finishing = false;

/**
 * Counts deliveries on the lean path: PUBLISH frames are read in place (QoS from the flags,
 * packet id after the topic, the send stamp at the payload's start) and acked with 4-byte
 * frames batched per turn. A PUBLISH on another topic is an error, not a delivery.
 */
function attach(c: RawClient): void {
  const topicLen = Buffer.byteLength(topic);
  c.lean((first, buf, start, end) => {
    const type = first >> 4;
    if (type === 3) {
      const t = nowNs();
      const q = (first >> 1) & 3;
      const tl = (buf[start] << 8) | buf[start + 1];
      if (tl !== topicLen) fatal(new Error(`PUBLISH on an unexpected topic (length ${tl})`));
      let at = start + 2 + tl;
      let id = 0;
      if (q > 0) {
        id = (buf[at] << 8) | buf[at + 1];
        at += 2;
      }
      if (received === 0) firstNs = t;
      lastNs = t;
      received++;
      if (latency && end - at >= 8) hist.recordValue(Math.max(1, Number((t - buf.readBigInt64BE(at)) / 1000n)));
      if (q === 1) c.ack(0x40, id);
      else if (q === 2) c.ack(0x50, id);
    } else if (type === 6) {
      c.ack(0x70, (buf[start] << 8) | buf[start + 1]);
    }
  });
  c.onClose = (why) => {
    if (!finishing) fatal(new Error(`subscriber connection lost: ${why}`));
  };
}

try {
  const clients: RawClient[] = [];
  for (let i = 0; i < conns; i++) {
    const c = await RawClient.open(host, port);
    await c.handshake(`bench-sub-${process.pid}-${i}`);
    await c.subscribe(topic, qos);
    attach(c);
    clients.push(c);
  }
  emit({ event: 'ready' });
  onCommand((m) => {
    if (m.cmd !== 'finish') return;
    const expect = Number(m.expect);
    const hardStop = Date.now() + 15_000;
    let seen = received;
    let idleSince = Date.now();
    const check = setInterval(() => {
      if (received !== seen) {
        seen = received;
        idleSince = Date.now();
      }
      if (received >= expect || Date.now() - idleSince > 1500 || Date.now() > hardStop) {
        clearInterval(check);
        finishing = true;
        const ms = (v: number) => v / 1000;
        emit({
          event: 'result',
          received,
          firstNs: firstNs.toString(),
          lastNs: lastNs.toString(),
          ...(latency
            ? {
                p50: ms(hist.getValueAtPercentile(50)),
                p99: ms(hist.getValueAtPercentile(99)),
                p999: ms(hist.getValueAtPercentile(99.9)),
                max: ms(hist.maxValue),
              }
            : {}),
        });
        for (const c of clients) c.close();
        setTimeout(() => process.exit(0), 200).unref();
      }
    }, 20);
  });
} catch (e) {
  fatal(e);
}
