import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

/** Server Keep Alive (5.0 clients only) and a CONNACK that does not fit the client's Maximum Packet Size. */
let tb: TestBroker;
const raws: RawClient[] = [];
beforeAll(async () => {
  tb = await startTestBroker({ capabilities: { serverKeepAlive: 30, maximumQoS: 1, retainAvailable: false } });
});
afterAll(async () => {
  raws.forEach((r) => r.end());
  await tb.close();
});

describe('Server Keep Alive', () => {
  it('is announced to a 5.0 client and replaces its Keep Alive', async () => {
    const c = await RawClient.open(tb.port, 5);
    raws.push(c);
    const ack = await c.connect('ska5', { keepAlive: 1 });
    expect(ack.properties?.serverKeepAlive).toBe(30);
    // With the client's 1 s the broker would close after 1.5 s; with 30 s it stays open.
    await expect(c.waitClosed(2000)).rejects.toThrow();
  });

  it('does not apply to a 3.1.1 client: its own Keep Alive of 1 s closes it after 1.5 s (3.1.1 MQTT-3.1.2-24)', async () => {
    const c = await RawClient.open(tb.port, 4);
    raws.push(c);
    await c.connect('ska4', { keepAlive: 1 });
    await c.waitClosed(2500);
  });

  it("closes without a CONNACK that would exceed the client's Maximum Packet Size (5.0 MQTT-3.1.2-24)", async () => {
    const small = await RawClient.open(tb.port, 5);
    raws.push(small);
    small.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 5,
      clean: true,
      keepAlive: 60,
      clientId: 'tiny',
      properties: { maximumPacketSize: 8 },
    });
    await small.waitClosed(2000);
    expect(small.received.filter((p) => p.type === 'connack')).toHaveLength(0);
    const roomy = await RawClient.open(tb.port, 5);
    raws.push(roomy);
    const ack = await roomy.connect('roomy', { properties: { maximumPacketSize: 64 } });
    expect(ack).toMatchObject({
      reasonCode: 0,
      properties: { maximumQoS: 1, retainAvailable: 0, serverKeepAlive: 30 },
    });
  });
});
