import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBroker, type RunningBroker } from '../../../src/broker/index.ts';
import { encodePacket, PacketReader, type Packet } from '../../../src/codec/index.ts';
import { withTimeout } from '../../../src/common/index.ts';

let b: RunningBroker;
beforeAll(async () => {
  b = await startBroker({ wsPort: 0 });
});
afterAll(async () => {
  await b?.close();
});

describe('MQTT over WebSocket framing against the broker', () => {
  it('accepts packets split across frames and several packets in one frame', async () => {
    const ws = new WebSocket(b.url, ['mqtt']);
    await withTimeout(new Promise((r, j) => (ws.once('open', r), ws.once('error', j))), 5000, 'ws open');
    const reader = new PacketReader({ protocolLevel: 4, from: 'server' });
    const got: Packet[] = [];
    ws.on('message', (d: Buffer) => {
      for (const r of reader.push(d)) if (r.ok) got.push(r.packet);
    });
    const waitFor = (n: number, what: string) =>
      withTimeout(
        (async () => {
          while (got.length < n) await new Promise((r) => setTimeout(r, 10));
        })(),
        5000,
        what,
      );
    const connect = encodePacket(
      { type: 'connect', protocolName: 'MQTT', protocolLevel: 4, clean: true, keepAlive: 30, clientId: 'ws-frames' },
      4,
    );
    // CONNECT in three frames, cut inside the fixed header and inside the payload.
    ws.send(connect.subarray(0, 1));
    ws.send(connect.subarray(1, 7));
    ws.send(connect.subarray(7));
    await waitFor(1, 'CONNACK');
    expect(got[0]).toMatchObject({ type: 'connack', reasonCode: 0 });
    // SUBSCRIBE + PUBLISH + PINGREQ in one frame.
    const batch = Buffer.concat([
      encodePacket({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'ws/frames', qos: 0 }] }, 4),
      encodePacket(
        { type: 'publish', topic: 'ws/frames', payload: Buffer.from('joined'), qos: 0, retain: false, dup: false },
        4,
      ),
      encodePacket({ type: 'pingreq' }, 4),
    ]);
    ws.send(batch);
    await waitFor(4, 'SUBACK, PUBLISH and PINGRESP');
    expect(
      got
        .slice(1)
        .map((p) => p.type)
        .sort(),
    ).toEqual(['pingresp', 'publish', 'suback']);
    const pub = got.find((p) => p.type === 'publish') as { payload: Buffer };
    expect(pub.payload.toString()).toBe('joined');
    ws.close();
  });
});
