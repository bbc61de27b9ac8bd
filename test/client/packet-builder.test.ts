import { describe, expect, it } from 'vitest';
import { completePacket, mapTopics, parsePacketSpec, topicPrefixer } from '../../src/client/index.ts';
import { encodePacket } from '../../src/codec/index.ts';

describe('completePacket', () => {
  it('fills PUBLISH defaults and a packet id for QoS > 0', () => {
    expect(completePacket(parsePacketSpec('PUBLISH topic "a" qos 1'), 4)).toEqual({
      type: 'publish',
      topic: 'a',
      payload: Buffer.alloc(0),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
    });
    expect(completePacket(parsePacketSpec('PUBLISH topic "a"'), 4)).not.toHaveProperty('packetId');
  });
  it('builds an encodable CONNECT at the connection level', () => {
    const p = completePacket(parsePacketSpec('CONNECT client id "c" keep alive 10'), 5);
    expect(p).toMatchObject({
      type: 'connect',
      protocolLevel: 5,
      protocolName: 'MQTT',
      clientId: 'c',
      keepAlive: 10,
      clean: true,
    });
    expect(encodePacket(p, 5)[0]).toBe(0x10);
  });
  it('refuses missing required fields, unknown fields and properties below 5.0', () => {
    expect(() => completePacket(parsePacketSpec('PUBACK'), 4)).toThrow(/needs "packetId"/);
    expect(() => completePacket(parsePacketSpec('PUBLISH topic "a" colour 3'), 4)).toThrow(/no field "colour"/);
    expect(() => completePacket(parsePacketSpec('PUBLISH topic "a" topic alias 1'), 4)).toThrow(/need MQTT 5/);
    expect(completePacket(parsePacketSpec('PUBLISH topic "a" topic alias 1'), 5)).toMatchObject({
      properties: { topicAlias: 1 },
    });
  });
});

describe('mapTopics', () => {
  const f = topicPrefixer('p/');
  it('prefixes topics, filters, will topics and response topics, keeping $share heads and $ topics', () => {
    expect(mapTopics({ type: 'publish', topic: 'a' }, f)).toEqual({ type: 'publish', topic: 'p/a' });
    expect(mapTopics({ type: 'publish', topic: '$SYS/x' }, f)).toEqual({ type: 'publish', topic: '$SYS/x' });
    expect(mapTopics({ type: 'publish', topic: '' }, f)).toEqual({ type: 'publish', topic: '' });
    expect(mapTopics({ type: 'subscribe', subscriptions: [{ topicFilter: '$share/g/a/#' }] }, f)).toEqual({
      type: 'subscribe',
      subscriptions: [{ topicFilter: '$share/g/p/a/#' }],
    });
    expect(mapTopics({ type: 'unsubscribe', topicFilters: ['a', 'b'] }, f)).toEqual({
      type: 'unsubscribe',
      topicFilters: ['p/a', 'p/b'],
    });
    expect(mapTopics({ type: 'connect', will: { topic: 'w' } }, f)).toEqual({
      type: 'connect',
      will: { topic: 'p/w' },
    });
    expect(mapTopics({ type: 'publish', properties: { responseTopic: 'r' } }, f)).toEqual({
      type: 'publish',
      properties: { responseTopic: 'p/r' },
    });
  });
});
