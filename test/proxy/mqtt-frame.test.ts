import { describe, expect, it } from 'vitest';
import { encodePacket } from '../../src/codec/index.ts';
import { MqttFramer, parseFixedHeader, type Unit } from '../../src/proxy/index.ts';

const pub = (topic: string | Buffer) => {
  const raw = encodePacket(
    {
      type: 'publish',
      topic: 'T'.repeat(Buffer.isBuffer(topic) ? topic.length : Buffer.byteLength(topic)),
      payload: Buffer.from('p'),
      qos: 0,
      retain: false,
      dup: false,
    },
    4,
  );
  const bytes = Buffer.isBuffer(topic) ? topic : Buffer.from(topic, 'utf8');
  const h = parseFixedHeader(raw, 0);
  if (typeof h === 'string') throw new Error(`bad test frame: ${h}`);
  bytes.copy(raw, h.hdrLen + 2); // fixed header, topic length (2 bytes), then the topic
  return raw;
};

describe('MqttFramer topic peeking (cached decode of repeated topics)', () => {
  it('gives exactly what a fresh UTF-8 decode gives, for repeats, same-length changes and bad UTF-8', () => {
    const topics: Array<string | Buffer> = [
      'a/b',
      'a/b',
      'a/c',
      'a/c',
      'b/c',
      'é/ü',
      'é/ü',
      'x'.repeat(600),
      'x'.repeat(600),
      'x'.repeat(599) + 'y',
      Buffer.from([0x61, 0xff, 0x62]),
      Buffer.from([0x61, 0xff, 0x62]),
      Buffer.from([0x61, 0xfe, 0x62]),
      '',
      '',
      'a/b',
    ];
    const frames = topics.map(pub);
    const expected = topics.map((t) => (Buffer.isBuffer(t) ? t.toString('utf8') : t));
    const seen: Array<string | undefined> = [];
    const f = new MqttFramer();
    expect(f.split(Buffer.concat(frames), (u: Unit) => seen.push(u.packet?.topic))).toBe(true);
    expect(seen).toEqual(expected);
    // The same topics again, one byte at a time (packets completed from pending parts).
    const seen2: Array<string | undefined> = [];
    const g = new MqttFramer();
    for (const b of Buffer.concat(frames))
      expect(g.split(Buffer.from([b]), (u: Unit) => seen2.push(u.packet?.topic))).toBe(true);
    expect(seen2).toEqual(expected);
  });
});
