import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthMechanism, Authenticator, Authorizer } from '../../src/broker/index.ts';
import { reauthFailureCode } from '../../src/broker/connect-flow.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

/** Test mechanism: server sends challenge "c1"; the client must answer "r1" (and "r2" on re-auth). */
const challenge: AuthMechanism = {
  method: 'TEST-CHALLENGE',
  createSession: () => {
    let round = 0;
    return {
      start: (data) =>
        data?.toString() === 'hello'
          ? { kind: 'continue', data: Buffer.from('c1') }
          : { kind: 'fail', reasonCode: 0x87 },
      next: (data) => {
        round++;
        const want = round === 1 ? ['r1', 'r2'] : [];
        return want.includes(data?.toString() ?? '')
          ? { kind: 'success', data: Buffer.from('ok') }
          : { kind: 'fail', reasonCode: 0x87, reason: 'bad answer' };
      },
    };
  },
};
/** Like a password mechanism: "good" succeeds at once, anything else fails with 0x86 (a CONNACK-only code). */
const password: AuthMechanism = {
  method: 'TEST-PASSWORD',
  createSession: () => ({
    start: (data) =>
      data?.toString() === 'good' ? { kind: 'success' } : { kind: 'fail', reasonCode: 0x86, reason: 'bad password' },
    next: () => ({ kind: 'fail', reasonCode: 0x86 }),
  }),
};
const authenticator: Authenticator = {
  authenticate: async (client, password) =>
    client.username === 'alice' && password?.toString() === 'secret' ? { ok: true } : { ok: false, reasonCode: 0x86 },
};
const authorizer: Authorizer = {
  authorize: (_c, action, topic) => !(topic.startsWith('secret/') && (action === 'write' || action === 'read')),
};

let tb: TestBroker;
const raws: RawClient[] = [];
const open = async (level: 4 | 5) => {
  const c = await RawClient.open(tb.port, level);
  raws.push(c);
  return c;
};
beforeAll(async () => {
  tb = await startTestBroker({
    authenticator,
    authorizer,
    authMechanisms: [challenge, password],
    allowAnonymous: false,
  });
});
afterAll(async () => {
  raws.forEach((r) => r.end());
  await tb.close();
});

describe('authentication and authorization', () => {
  it('refuses anonymous and wrong passwords (0x87/0x86 at 5.0, 5/4 at 3.1.1)', async () => {
    expect((await (await open(5)).connect('anon')).reasonCode).toBe(0x87);
    expect((await (await open(4)).connect('anon4')).reasonCode).toBe(5);
    expect(
      (await (await open(5)).connect('bad', { username: 'alice', password: Buffer.from('nope') })).reasonCode,
    ).toBe(0x86);
    expect(
      (await (await open(4)).connect('bad4', { username: 'alice', password: Buffer.from('nope') })).reasonCode,
    ).toBe(4);
    expect(
      (await (await open(4)).connect('good4', { username: 'alice', password: Buffer.from('secret') })).reasonCode,
    ).toBe(0);
  });

  it('holds packets pipelined behind CONNECT until the async authenticator answers', async () => {
    const c = await open(4);
    c.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 4,
      clean: true,
      keepAlive: 0,
      clientId: 'pipelined',
      username: 'alice',
      password: Buffer.from('secret'),
    });
    c.send({ type: 'subscribe', packetId: 9, subscriptions: [{ topicFilter: 'pipe/t', qos: 0 }] });
    c.send({ type: 'pingreq' });
    await c.expect('connack');
    expect((await c.expect('suback')).packetId).toBe(9);
    await c.expect('pingresp');
    expect(c.received.length).toBe(0);
  });

  it('applies the authorizer to SUBSCRIBE and PUBLISH', async () => {
    const c = await open(5);
    await c.connect('acl', { username: 'alice', password: Buffer.from('secret') });
    c.send({
      type: 'subscribe',
      packetId: 1,
      subscriptions: [
        { topicFilter: 'secret/x', qos: 1 },
        { topicFilter: 'open/x', qos: 1 },
      ],
    });
    expect((await c.expect('suback')).reasonCodes).toEqual([0x87, 1]);
    c.send({
      type: 'publish',
      topic: 'secret/x',
      payload: Buffer.from('p'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 5,
    });
    expect((await c.expect('puback')).reasonCode).toBe(0x87);
    const d = await open(4);
    await d.connect('acl4', { username: 'alice', password: Buffer.from('secret') });
    d.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'secret/x', qos: 1 }] });
    expect((await d.expect('suback')).reasonCodes).toEqual([0x80]);
  });

  it('runs an enhanced authentication exchange and re-authentication (4.12)', async () => {
    const c = await open(5);
    c.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 5,
      clean: true,
      keepAlive: 0,
      clientId: 'enh',
      properties: { authenticationMethod: 'TEST-CHALLENGE', authenticationData: Buffer.from('hello') },
    });
    const a = await c.expect('auth');
    expect([a.reasonCode, a.properties?.authenticationMethod, a.properties?.authenticationData?.toString()]).toEqual([
      0x18,
      'TEST-CHALLENGE',
      'c1',
    ]);
    c.send({
      type: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'TEST-CHALLENGE', authenticationData: Buffer.from('r1') },
    });
    const ack = await c.expect('connack');
    expect([
      ack.reasonCode,
      ack.properties?.authenticationMethod,
      ack.properties?.authenticationData?.toString(),
    ]).toEqual([0, 'TEST-CHALLENGE', 'ok']);
    c.send({
      type: 'auth',
      reasonCode: 0x19,
      properties: { authenticationMethod: 'TEST-CHALLENGE', authenticationData: Buffer.from('hello') },
    });
    expect((await c.expect('auth')).reasonCode).toBe(0x18);
    c.send({
      type: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'TEST-CHALLENGE', authenticationData: Buffer.from('r2') },
    });
    expect((await c.expect('auth')).reasonCode).toBe(0x00);
    // A failed re-authentication ends the connection (4.12.1-2).
    c.send({
      type: 'auth',
      reasonCode: 0x19,
      properties: { authenticationMethod: 'TEST-CHALLENGE', authenticationData: Buffer.from('wrong') },
    });
    expect((await c.expect('disconnect')).reasonCode).toBe(0x87);
    await c.waitClosed();
  });

  it('refuses an unknown authentication method with 0x8C and a failed exchange with its code', async () => {
    const c = await open(5);
    c.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 5,
      clean: true,
      keepAlive: 0,
      clientId: 'enh2',
      properties: { authenticationMethod: 'NOPE' },
    });
    expect((await c.expect('connack')).reasonCode).toBe(0x8c);
    const d = await open(5);
    d.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 5,
      clean: true,
      keepAlive: 0,
      clientId: 'enh3',
      properties: { authenticationMethod: 'TEST-CHALLENGE', authenticationData: Buffer.from('hello') },
    });
    await d.expect('auth');
    d.send({
      type: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: 'TEST-CHALLENGE', authenticationData: Buffer.from('bad') },
    });
    expect((await d.expect('connack')).reasonCode).toBe(0x87);
    await d.waitClosed();
  });

  it('keeps the mechanism code in CONNACK but sends a valid DISCONNECT code when re-authentication fails (3.14.2-1)', async () => {
    const bad = await open(5);
    bad.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 5,
      clean: true,
      keepAlive: 0,
      clientId: 'pw1',
      properties: { authenticationMethod: 'TEST-PASSWORD', authenticationData: Buffer.from('nope') },
    });
    expect((await bad.expect('connack')).reasonCode).toBe(0x86);
    await bad.waitClosed();
    const c = await open(5);
    c.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 5,
      clean: true,
      keepAlive: 0,
      clientId: 'pw2',
      properties: { authenticationMethod: 'TEST-PASSWORD', authenticationData: Buffer.from('good') },
    });
    expect((await c.expect('connack')).reasonCode).toBe(0);
    c.send({
      type: 'auth',
      reasonCode: 0x19,
      properties: { authenticationMethod: 'TEST-PASSWORD', authenticationData: Buffer.from('wrong') },
    });
    // 0x86 is not a DISCONNECT reason code: the broker must say 0x87 Not authorized instead.
    expect((await c.expect('disconnect')).reasonCode).toBe(0x87);
    await c.waitClosed();
  });

  it('maps failure codes to DISCONNECT codes', () => {
    expect([0x86, 0x8c, 0x84, 0x00, 0x87, 0x8b, 0x9c].map(reauthFailureCode)).toEqual([
      0x87, 0x87, 0x87, 0x87, 0x87, 0x8b, 0x9c,
    ]);
  });

  it('treats a PUBLISH during authentication and AUTH without a method as protocol errors', async () => {
    const c = await open(5);
    await c.connect('noauth', { username: 'alice', password: Buffer.from('secret') });
    c.send({ type: 'auth', reasonCode: 0x19, properties: { authenticationMethod: 'TEST-CHALLENGE' } });
    expect((await c.expect('disconnect')).reasonCode).toBe(0x82);
    const d = await open(5);
    d.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 5,
      clean: true,
      keepAlive: 0,
      clientId: 'enh4',
      properties: { authenticationMethod: 'TEST-CHALLENGE', authenticationData: Buffer.from('hello') },
    });
    await d.expect('auth');
    d.send({ type: 'publish', topic: 'x', payload: Buffer.from('early'), qos: 0, retain: false, dup: false });
    await d.waitClosed();
  });
});
