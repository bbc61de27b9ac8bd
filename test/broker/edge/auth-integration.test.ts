import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { startBroker, type RunningBroker } from '../../../src/broker/index.ts';
import { makeUserRecord, ScramClient } from '../../../src/broker/auth/index.ts';
import { encodePacket, PacketReader, type Packet } from '../../../src/codec/index.ts';
import { withTimeout } from '../../../src/common/index.ts';
import { dial } from '../../../src/transport/index.ts';
import { endAll, mqttConnect, nextMessage } from './helpers.ts';

let b: RunningBroker;

beforeAll(async () => {
  const fast = { scrypt: { N: 1024, r: 8, p: 1 }, scramIterations: 4096 };
  b = await startBroker({
    port: 0,
    config: {
      allowAnonymous: false,
      users: [await makeUserRecord('alice', 'wonderland', fast), await makeUserRecord('bob', 'builder', fast)],
      acl: [
        { topic: 'devices/%c/#', access: 'readwrite' },
        { topic: 'inbox/%u', access: 'read' },
        { topic: 'inbox/+', access: 'write', user: 'alice' },
        { topic: 'news/#', access: 'read' },
        { topic: 'news/alice', access: 'write', user: 'alice' },
      ],
    },
  });
});
afterAll(async () => {
  await b?.close();
});

describe('config users and ACL through the broker', () => {
  it('accepts the right password and refuses wrong, unknown and anonymous clients', async () => {
    const ok = await mqttConnect(b.url, { username: 'alice', password: 'wonderland', protocolVersion: 5 });
    await endAll(ok);
    await expect(mqttConnect(b.url, { username: 'alice', password: 'nope', protocolVersion: 5 })).rejects.toThrow(
      /Bad User Name or Password/i,
    );
    await expect(mqttConnect(b.url, { username: 'eve', password: 'x', protocolVersion: 4 })).rejects.toThrow(
      /Bad username or password/i,
    );
    await expect(mqttConnect(b.url, { protocolVersion: 5 })).rejects.toThrow(/Not authorized/i);
  });

  it('applies %c and %u rules to publish and subscribe', async () => {
    const alice = await mqttConnect(b.url, {
      clientId: 'dev-a',
      username: 'alice',
      password: 'wonderland',
      protocolVersion: 5,
    });
    const bob = await mqttConnect(b.url, {
      clientId: 'dev-b',
      username: 'bob',
      password: 'builder',
      protocolVersion: 5,
    });
    try {
      // Subscriptions: covered filters granted, others refused with 0x87 (Not authorized).
      for (const f of ['inbox/bob', 'devices/dev-b/#', 'news/+'])
        expect((await bob.subscribeAsync(f, { qos: 1 }))[0].qos).toBe(1);
      for (const f of ['inbox/alice', 'devices/+/x', '#'])
        await expect(bob.subscribeAsync(f, { qos: 1 }), f).rejects.toThrow(/Not authorized/);
      // alice may write to any inbox; bob reads only his own.
      const inbox = nextMessage(bob, 'inbox message');
      await alice.publishAsync('inbox/bob', 'hello bob', { qos: 1 });
      expect(await inbox).toEqual({ topic: 'inbox/bob', payload: 'hello bob' });
      // bob may not write news: at QoS 1 the 5.0 PUBACK says Not authorized and nobody gets it.
      await expect(bob.publishAsync('news/bob', 'fake', { qos: 1 })).rejects.toThrow(/135|not authorized/i);
      const news = nextMessage(bob, 'news message');
      await alice.publishAsync('news/alice', 'real', { qos: 1 });
      expect((await news).payload).toBe('real');
      // %c: bob writes to his own device tree only.
      await bob.publishAsync('devices/dev-b/temp', '21', { qos: 1 });
      await expect(bob.publishAsync('devices/dev-a/temp', '99', { qos: 1 })).rejects.toThrow(/135|not authorized/i);
    } finally {
      await endAll(alice, bob);
    }
  });
});

/** A bare MQTT 5.0 connection over our codec, to drive AUTH packets by hand. */
async function rawConnection(url: string) {
  const { stream } = await dial(url);
  const reader = new PacketReader({ protocolLevel: 5, from: 'server' });
  const inbox: Packet[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  stream.on('data', (d: Buffer) => {
    for (const r of reader.push(d)) if (r.ok) inbox.push(r.packet);
    wake?.();
  });
  stream.on('close', () => ((closed = true), wake?.()));
  stream.on('error', () => {});
  return {
    stream: stream as Duplex,
    send: (p: Packet) => stream.write(encodePacket(p, 5)),
    next: (what: string) =>
      withTimeout(
        (async () => {
          while (inbox.length === 0) {
            if (closed) throw new Error(`connection closed while waiting for ${what}`);
            await new Promise<void>((r) => (wake = r));
          }
          return inbox.shift()!;
        })(),
        5000,
        what,
      ),
  };
}

const connect5 = (clientId: string, props: Packet extends never ? never : Record<string, unknown>): Packet => ({
  type: 'connect',
  protocolName: 'MQTT',
  protocolLevel: 5,
  clean: true,
  keepAlive: 30,
  clientId,
  properties: props,
});

describe('SCRAM-SHA-256 enhanced authentication through the broker', () => {
  it('completes CONNECT → AUTH 0x18 → AUTH 0x18 → CONNACK 0 and proves the server', async () => {
    const c = await rawConnection(b.url);
    const scram = new ScramClient('alice', 'wonderland');
    c.send(connect5('scram-1', { authenticationMethod: 'SCRAM-SHA-256', authenticationData: scram.firstMessage() }));
    const serverFirst = await c.next('AUTH continue');
    expect(serverFirst).toMatchObject({
      type: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'SCRAM-SHA-256' },
    });
    c.send({
      type: 'auth',
      reasonCode: 0x18,
      properties: {
        authenticationMethod: 'SCRAM-SHA-256',
        authenticationData: scram.finalMessage(
          (serverFirst as { properties: { authenticationData: Buffer } }).properties.authenticationData,
        ),
      },
    });
    const connack = await c.next('CONNACK');
    expect(connack).toMatchObject({
      type: 'connack',
      reasonCode: 0,
      properties: { authenticationMethod: 'SCRAM-SHA-256' },
    });
    scram.verifyServerFinal((connack as { properties: { authenticationData: Buffer } }).properties.authenticationData);
    // The SCRAM identity is the user for ACL: alice may read inbox/alice.
    c.send({
      type: 'subscribe',
      packetId: 1,
      subscriptions: [
        { topicFilter: 'inbox/alice', qos: 0 },
        { topicFilter: 'inbox/bob', qos: 0 },
      ],
    });
    expect(await c.next('SUBACK')).toMatchObject({ type: 'suback', reasonCodes: [0, 0x87] });
    c.stream.destroy();
  });

  it('re-authenticates on a live connection (AUTH 0x19 → 0x18 → 0x18 → AUTH 0x00)', async () => {
    const c = await rawConnection(b.url);
    const method = 'SCRAM-SHA-256';
    const first = new ScramClient('bob', 'builder');
    c.send(connect5('scram-re', { authenticationMethod: method, authenticationData: first.firstMessage() }));
    const sf = (await c.next('AUTH continue')) as { properties: { authenticationData: Buffer } };
    c.send({
      type: 'auth',
      reasonCode: 0x18,
      properties: {
        authenticationMethod: method,
        authenticationData: first.finalMessage(sf.properties.authenticationData),
      },
    });
    expect(await c.next('CONNACK')).toMatchObject({ type: 'connack', reasonCode: 0 });
    const again = new ScramClient('bob', 'builder');
    c.send({
      type: 'auth',
      reasonCode: 0x19,
      properties: { authenticationMethod: method, authenticationData: again.firstMessage() },
    });
    const sf2 = (await c.next('AUTH continue (re-auth)')) as {
      reasonCode: number;
      properties: { authenticationData: Buffer };
    };
    expect(sf2.reasonCode).toBe(0x18);
    c.send({
      type: 'auth',
      reasonCode: 0x18,
      properties: {
        authenticationMethod: method,
        authenticationData: again.finalMessage(sf2.properties.authenticationData),
      },
    });
    const done = (await c.next('AUTH success')) as {
      type: string;
      reasonCode: number;
      properties: { authenticationData: Buffer };
    };
    expect(done).toMatchObject({ type: 'auth', reasonCode: 0 });
    again.verifyServerFinal(done.properties.authenticationData);
    c.stream.destroy();
  });

  it('refuses a wrong password with CONNACK 0x86', async () => {
    const c = await rawConnection(b.url);
    const scram = new ScramClient('alice', 'not-it');
    c.send(connect5('scram-2', { authenticationMethod: 'SCRAM-SHA-256', authenticationData: scram.firstMessage() }));
    const sf = (await c.next('AUTH continue')) as { properties: { authenticationData: Buffer } };
    c.send({
      type: 'auth',
      reasonCode: 0x18,
      properties: {
        authenticationMethod: 'SCRAM-SHA-256',
        authenticationData: scram.finalMessage(sf.properties.authenticationData),
      },
    });
    expect(await c.next('CONNACK')).toMatchObject({ type: 'connack', reasonCode: 0x86 });
    c.stream.destroy();
  });

  it('refuses an unknown method with CONNACK 0x8C', async () => {
    const c = await rawConnection(b.url);
    c.send(connect5('scram-3', { authenticationMethod: 'SCRAM-SHA-1', authenticationData: Buffer.from('n,,n=a,r=b') }));
    expect(await c.next('CONNACK')).toMatchObject({ type: 'connack', reasonCode: 0x8c });
    c.stream.destroy();
  });
});
