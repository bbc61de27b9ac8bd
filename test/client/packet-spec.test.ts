import { describe, expect, it } from 'vitest';
import { LAST_ID, parsePacketSpec, PRESENT } from '../../src/client/index.ts';

describe('parsePacketSpec', () => {
  it('reads type and multi-word field names', () => {
    expect(parsePacketSpec('PUBLISH topic "t/1" qos 1 packet id 5 payload "x" retain true')).toEqual({
      type: 'publish',
      topic: 't/1',
      qos: 1,
      packetId: 5,
      payload: Buffer.from('x'),
      retain: true,
    });
  });
  it('reads hex numbers, JSON arrays with hex, absent and present', () => {
    expect(parsePacketSpec('SUBACK packet id 1 reason codes [0x01, 0x80]')).toEqual({
      type: 'suback',
      packetId: 1,
      reasonCodes: [1, 128],
    });
    expect(parsePacketSpec('CONNACK reason code 0x85')).toEqual({ type: 'connack', reasonCode: 0x85 });
    expect(parsePacketSpec('PUBLISH packet id absent')).toEqual({ type: 'publish', packetId: null });
    expect(parsePacketSpec('PUBLISH packet id present qos 1')).toEqual({ type: 'publish', packetId: PRESENT, qos: 1 });
  });
  it('reads "last" as the last-received packet id placeholder', () => {
    expect(parsePacketSpec('PUBREC packet id last')).toEqual({ type: 'pubrec', packetId: LAST_ID });
  });
  it('keeps "present" as a name word when a value follows it', () => {
    expect(parsePacketSpec('CONNACK reason code 0 session present false')).toEqual({
      type: 'connack',
      reasonCode: 0,
      sessionPresent: false,
    });
  });
  it('puts 5.0 property names under properties', () => {
    expect(parsePacketSpec('PUBLISH topic "a" topic alias 3 message expiry interval 10')).toEqual({
      type: 'publish',
      topic: 'a',
      properties: { topicAlias: 3, messageExpiryInterval: 10 },
    });
    expect(parsePacketSpec('PUBLISH subscription identifier 4')).toEqual({
      type: 'publish',
      properties: { subscriptionIdentifiers: [4] },
    });
  });
  it('builds subscriptions from repeated topic filters', () => {
    expect(parsePacketSpec('SUBSCRIBE packet id 3 topic filter "a/#" qos 2 no local true topic filter "b"')).toEqual({
      type: 'subscribe',
      packetId: 3,
      subscriptions: [{ topicFilter: 'a/#', qos: 2, noLocal: true }, { topicFilter: 'b' }],
    });
    expect(parsePacketSpec('UNSUBSCRIBE filter "a" filter "b"')).toEqual({
      type: 'unsubscribe',
      topicFilters: ['a', 'b'],
    });
  });
  it('fills the will of a CONNECT and accepts connect aliases joined by "and"', () => {
    expect(
      parsePacketSpec(
        'CONNECT clean start false and session expiry 300 will topic "w" will payload "bye" will qos 1 will delay interval 5',
      ),
    ).toEqual({
      type: 'connect',
      clean: false,
      properties: { sessionExpiryInterval: 300 },
      will: { topic: 'w', payload: Buffer.from('bye'), qos: 1, properties: { willDelayInterval: 5 } },
    });
  });
  it('reads hex byte fields', () => {
    expect(parsePacketSpec('PUBLISH payload hex "00 ff"')).toEqual({ type: 'publish', payload: Buffer.from([0, 255]) });
  });
  it('rejects bad descriptions with a clear message', () => {
    expect(() => parsePacketSpec('PUBLISHX topic "a"')).toThrow(/unknown packet type "PUBLISHX"/);
    expect(() => parsePacketSpec('PUBLISH topic')).toThrow(/field "topic" has no value/);
    expect(() => parsePacketSpec('PUBLISH "a"')).toThrow(/no field name/);
    expect(() => parsePacketSpec('PUBLISH topic "a')).toThrow(/unterminated/);
    expect(() => parsePacketSpec('SUBSCRIBE qos 1')).toThrow(/before any topic filter/);
    expect(() => parsePacketSpec('PUBLISH payload hex "0"')).toThrow(/whole bytes/);
  });
});
