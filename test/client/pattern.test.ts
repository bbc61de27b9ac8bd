import { describe, expect, it } from 'vitest';
import { describePacket, mismatch, PRESENT } from '../../src/client/index.ts';
import type { Packet } from '../../src/codec/index.ts';

const pub: Packet = {
  type: 'publish',
  topic: 'a/b',
  payload: Buffer.from('hi'),
  qos: 1,
  retain: false,
  dup: false,
  packetId: 7,
};

describe('mismatch', () => {
  it('matches a subset of fields', () => {
    expect(mismatch(pub, { type: 'publish', topic: 'a/b' })).toBeNull();
    expect(mismatch(pub, { type: 'publish', topic: 'a/c' })).toContain('topic');
    expect(mismatch(pub, { type: 'puback' })).toContain('type');
  });
  it('compares a string pattern with a Buffer field by its text, and Buffers by bytes', () => {
    expect(mismatch(pub, { type: 'publish', payload: 'hi' })).toBeNull();
    expect(mismatch(pub, { type: 'publish', payload: 'ho' })).toContain('payload');
    expect(mismatch(pub, { type: 'publish', payload: Buffer.from('hi') })).toBeNull();
    expect(mismatch(pub, { type: 'publish', payload: Buffer.from('h') })).not.toBeNull();
  });
  it('null means absent and PRESENT means any value', () => {
    expect(mismatch(pub, { type: 'publish', properties: null })).toBeNull();
    expect(mismatch(pub, { type: 'publish', packetId: null })).toContain('absent');
    expect(mismatch(pub, { type: 'publish', packetId: PRESENT })).toBeNull();
    expect(mismatch(pub, { type: 'publish', properties: PRESENT })).toContain('present');
  });
  it('a pattern that only asks for absent properties holds for a packet without properties', () => {
    expect(mismatch(pub, { type: 'publish', properties: { topicAlias: null } })).toBeNull();
    expect(mismatch(pub, { type: 'publish', properties: { topicAlias: null, userProperties: null } })).toBeNull();
    expect(mismatch(pub, { type: 'publish', properties: { topicAlias: 3 } })).toContain('properties');
    expect(
      mismatch({ ...pub, properties: { topicAlias: 3 } }, { type: 'publish', properties: { topicAlias: null } }),
    ).toContain('absent');
  });
  it('matches arrays element by element with equal length', () => {
    const ack: Packet = { type: 'suback', packetId: 1, reasonCodes: [1, 0x80] };
    expect(mismatch(ack, { type: 'suback', reasonCodes: [1, 0x80] })).toBeNull();
    expect(mismatch(ack, { type: 'suback', reasonCodes: [1] })).toContain('1 element');
    expect(mismatch(ack, { type: 'suback', reasonCodes: [1, 2] })).toContain('reasonCodes[1]');
  });
  it('treats an omitted reason code as 0 but not as absent-when-null', () => {
    const ack: Packet = { type: 'puback', packetId: 3 };
    expect(mismatch(ack, { type: 'puback', reasonCode: 0 })).toBeNull();
    expect(mismatch(ack, { type: 'puback', reasonCode: 0x10 })).toContain('reasonCode');
    expect(mismatch(ack, { type: 'puback', reasonCode: null })).toBeNull();
  });
  it('recurses into properties', () => {
    const p: Packet = { ...pub, properties: { topicAlias: 3, userProperties: [['k', 'v']] } } as Packet;
    expect(mismatch(p, { type: 'publish', properties: { topicAlias: 3 } })).toBeNull();
    expect(mismatch(p, { type: 'publish', properties: { userProperties: [['k', 'w']] } })).toContain(
      'userProperties[0][1]',
    );
  });
});

describe('describePacket', () => {
  it('prints the type and fields on one line', () => {
    const s = describePacket(pub);
    expect(s).toMatch(/^PUBLISH /);
    expect(s).toContain('topic="a/b"');
    expect(s).toContain('payload="hi"');
    expect(describePacket({ type: 'publish', payload: Buffer.from([0, 255]) } as never)).toContain('<00ff>');
  });
});

describe('omitted 5.0 properties mean their default', () => {
  it('a pattern naming a default value matches a packet without the property, not one with another value', () => {
    const pub = { type: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false } as const;
    expect(mismatch(pub, { type: 'publish', properties: { payloadFormatIndicator: 0 } })).toBeNull();
    expect(
      mismatch(
        { ...pub, properties: { payloadFormatIndicator: 1 } },
        { type: 'publish', properties: { payloadFormatIndicator: 0 } },
      ),
    ).toMatch(/expected 0, got 1/);
    expect(mismatch(pub, { type: 'publish', properties: { payloadFormatIndicator: 1 } })).toMatch(/expected 1/);
    expect(mismatch(pub, { type: 'publish', properties: { contentType: 'a' } })).toMatch(/contentType/);
  });
});
