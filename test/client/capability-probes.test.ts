import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverCapabilities } from '../../src/client/index.ts';
import { encodePacket, PacketReader, type Packet } from '../../src/codec/index.ts';

/**
 * A tiny fake broker for the probes: it answers CONNECT with CONNACK 0 at the levels it
 * speaks and closes on the others, grants SUBSCRIBEs (QoS as told), and closes the connection
 * on a `$share/` SUBSCRIBE when told to.
 */
function fakeBroker(o: {
  levels: number[];
  closeOnShare?: boolean;
  grant?: number;
}): Promise<{ url: string; server: Server }> {
  const server = createServer((s: Socket) => {
    let reader: PacketReader | undefined;
    let level = 4;
    s.on('data', (chunk) => {
      if (!reader) {
        level = chunk[8] === 5 ? 5 : 4;
        if (!o.levels.includes(level)) {
          s.destroy();
          return;
        }
        reader = new PacketReader({ protocolLevel: level as 4 | 5, from: 'client' });
      }
      for (const r of reader.push(chunk)) {
        if (!r.ok) {
          s.destroy();
          return;
        }
        const p = r.packet as Packet;
        const send = (x: Packet): void => {
          s.write(encodePacket(x, level as 4 | 5));
        };
        if (p.type === 'connect') send({ type: 'connack', sessionPresent: false, reasonCode: 0 } as Packet);
        else if (p.type === 'subscribe') {
          if (o.closeOnShare && p.subscriptions[0].topicFilter.startsWith('$share/')) {
            s.destroy();
            return;
          }
          send({
            type: 'suback',
            packetId: p.packetId,
            reasonCodes: p.subscriptions.map((x) => Math.min(x.qos, o.grant ?? 2)),
          } as Packet);
        } else if (p.type === 'disconnect') s.end();
      }
    });
    s.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`, server }),
    ),
  );
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});
const probe = (url: string) =>
  discoverCapabilities({ url, connectTimeoutMs: 1000, timeoutMs: 300, topicPrefix: 't/', clientIdPrefix: 'p' });

describe('capability probes', () => {
  it('a broker that closes on a well-formed 5.0 CONNECT but accepts 3.1.1 does not speak 5.0 (its statements are not applicable)', async () => {
    const b = await fakeBroker({ levels: [4] });
    server = b.server;
    const caps = await probe(b.url);
    expect(caps['5.0']).toMatchObject({ supported: false, versionRefused: true });
    expect(caps['5.0'].error).toMatch(/closes the connection on a well-formed MQTT 5\.0 CONNECT/);
    expect(caps['3.1.1'].supported).toBe(true);
  });

  it("a broker that closes on the probe's $share SUBSCRIBE keeps its 3.1.1 support; only that capability is absent, and the closing is a finding", async () => {
    const b = await fakeBroker({ levels: [4, 5], closeOnShare: true });
    server = b.server;
    const caps = await probe(b.url);
    expect(caps['3.1.1']).toMatchObject({
      supported: true,
      sharedSubscriptions: false,
      wildcardSubscriptions: true,
      maximumQoS: 2,
    });
    expect(caps.findings).toHaveLength(1);
    expect(caps.findings![0]).toMatchObject({ version: '3.1.1', statementIds: ['MQTT-3.8.4-1'] });
    expect(caps.findings![0].message).toMatch(
      /closed the connection on the capability probe's SUBSCRIBE to "\$share\//,
    );
  });

  it('a 3.1.1 grant below QoS 2 is recorded as a SUBACK grant, never as a declared maximum', async () => {
    const b = await fakeBroker({ levels: [4], grant: 1 });
    server = b.server;
    const caps = await probe(b.url);
    expect(caps['3.1.1']).toMatchObject({ supported: true, maximumQoS: 1, maximumQoSSource: 'suback' });
  });
});
