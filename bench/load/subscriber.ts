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

const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
let received = 0;
let firstNs = 0n;
let lastNs = 0n;
let finishing = false;

function attach(c: RawClient): void {
  c.onPacket = (p) => {
    if (p.type === 'publish') {
      const t = nowNs();
      if (received === 0) firstNs = t;
      lastNs = t;
      received++;
      if (latency && p.payload.length >= 8) hist.recordValue(Math.max(1, Number((t - p.payload.readBigInt64BE(0)) / 1000n)));
      if (p.qos === 1) c.send({ type: 'puback', packetId: p.packetId! });
      else if (p.qos === 2) c.send({ type: 'pubrec', packetId: p.packetId! });
    } else if (p.type === 'pubrel') {
      c.send({ type: 'pubcomp', packetId: p.packetId });
    }
  };
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
            ? { p50: ms(hist.getValueAtPercentile(50)), p99: ms(hist.getValueAtPercentile(99)), p999: ms(hist.getValueAtPercentile(99.9)), max: ms(hist.maxValue) }
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
