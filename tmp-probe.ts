import { RawClient } from './bench/load/raw-client.ts';
import { spawn } from 'node:child_process';
const port = Number(process.argv[2]);
const sub = await RawClient.open('127.0.0.1', port);
await sub.handshake('probe-sub');
await sub.subscribe('p/t', 0);
let events = 0, bytes = 0, msgs = 0;
sub.socket.on('data', (d: Buffer) => { events++; bytes += d.length; });
sub.onPacket = (p) => { if (p.type === 'publish') msgs++; };
const pub = await RawClient.open('127.0.0.1', port);
await pub.handshake('probe-pub');
const t0 = performance.now();
let sent = 0;
while (performance.now() - t0 < 2000) {
  for (let i = 0; i < 500; i++) { pub.send({ type: 'publish', topic: 'p/t', payload: Buffer.alloc(64), qos: 0, retain: false, dup: false }); sent++; }
  if (!pub.flush()) await pub.drained(); else await new Promise((r) => setImmediate(r));
}
await new Promise((r) => setTimeout(r, 1000));
console.log({ sent, msgs, events, bytesPerEvent: Math.round(bytes / events), msgsPerSec: Math.round(msgs / 2) });
process.exit(0);
