import type { Socket as NetSocket } from 'node:net';
import { encodePacket } from '../../src/codec/index.ts';
import { Pipe } from '../../src/proxy/pipe.ts';

/**
 * In-process cost of the proxy's per-direction pipeline (no sockets): 64-byte QoS 0 PUBLISHes in
 * 64 KiB chunks and one packet per chunk, in scan mode (no MQTT toxic) and split mode (packets
 * cut out one by one, as when an MQTT-aware toxic is active, with a pass-through stage).
 */
export function hotPath(): void {
  const one = encodePacket(
    { type: 'publish', topic: 'bench/t', payload: Buffer.alloc(64, 0x61), qos: 0, retain: false, dup: false },
    4,
  );
  const per = Math.floor(65536 / one.length);
  const big = Buffer.concat(Array.from({ length: per }, () => one));
  const fake = {
    pause() {},
    resume() {},
    on() {},
    cork() {},
    uncork() {},
    write: () => true,
    destroyed: false,
    writableEnded: false,
  } as unknown as NetSocket;
  const host = {
    onConnect() {},
    fallback(r: string) {
      throw new Error(r);
    },
    resetOnEnd: false,
    decode: false,
    protocolLevel: 4 as const,
    violation() {},
  };
  const measure = (label: string, split: boolean, chunk: Buffer, packetsPerChunk: number, iters: number) => {
    const pipe = new Pipe(host, 'downstream', fake, fake, true);
    if (split)
      pipe.insert({
        name: 'pass',
        mqtt: true,
        stage: { push: (u) => pipe.sink(u), end() {}, dispose() {} },
        next: null,
      });
    for (let i = 0; i < iters / 10; i++) pipe.onData(chunk); // warm-up
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) pipe.onData(chunk);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const pkts = iters * packetsPerChunk;
    console.log(
      `  ${label}: ${((wall * 1e6) / pkts).toFixed(0)} ns/packet wall, ${(((c.user + c.system) * 1e3) / pkts).toFixed(0)} ns/packet CPU (${pkts} packets)`,
    );
  };
  console.log('\n## proxy pipeline in-process (no sockets), 64-byte QoS 0 PUBLISH');
  measure('scan mode, 64 KiB chunks     ', false, big, per, 2000);
  measure('scan mode, 1 packet per chunk', false, one, 1, 500_000);
  measure('split mode, 64 KiB chunks    ', true, big, per, 500);
  measure('split mode, 1 packet/chunk   ', true, one, 1, 300_000);
}
