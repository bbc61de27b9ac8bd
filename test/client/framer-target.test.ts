import { describe, expect, it } from 'vitest';
import { parseBrokerUrl, resolveTarget } from '../../src/client/index.ts';
import { PacketReader, peekConnectHeader } from '../../src/codec/index.ts';

describe("one packet stream: the codec frames, decodes and keeps each packet's bytes", () => {
  it('gives every packet its wire bytes, across chunk boundaries', () => {
    const r = new PacketReader({ protocolLevel: 4, from: 'server', keepBytes: true });
    expect(r.push(Buffer.from([0x20, 0x02, 0x00]))).toEqual([]);
    const got = r.push(Buffer.from([0x00, 0xd0, 0x00, 0x30]));
    expect(got.map((x) => x.ok && x.packet.type)).toEqual(['connack', 'pingresp']);
    expect(got.map((x) => x.bytes?.toString('hex'))).toEqual(['20020000', 'd000']);
  });
  it('a malformed packet is a violation with the bytes read of it, never silence', () => {
    const r = new PacketReader({ protocolLevel: 4, from: 'server', keepBytes: true });
    const [v] = r.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(v.ok).toBe(false);
    expect(v.bytes?.toString('hex')).toBe('30ffffffff');
  });
  it('peeks the protocol level and flags of raw CONNECT bytes', () => {
    expect(peekConnectHeader(Buffer.from('100d00044d5154540502003c000176', 'hex'))).toEqual({ level: 5, flags: 2 });
    expect(peekConnectHeader(Buffer.from('c000', 'hex'))).toBeUndefined();
  });
});

describe('parseBrokerUrl', () => {
  it('takes URLs apart with defaults and keeps credentials out of the display form', () => {
    expect(parseBrokerUrl('mqtt://u:p%40ss@h:1884')).toMatchObject({
      scheme: 'mqtt',
      host: 'h',
      port: 1884,
      username: 'u',
      password: 'p@ss',
      display: 'mqtt://h:1884',
    });
    expect(parseBrokerUrl('wss://h')).toMatchObject({
      scheme: 'wss',
      port: 443,
      path: '/mqtt',
      display: 'wss://h:443/mqtt',
    });
    expect(parseBrokerUrl('ws://[::1]:8080/x')).toMatchObject({
      host: '::1',
      path: '/x',
      display: 'ws://[::1]:8080/x',
    });
    expect(parseBrokerUrl('tls://h')).toMatchObject({ scheme: 'mqtts', port: 8883 });
  });
  it('rejects other schemes and non-URLs', () => {
    expect(() => parseBrokerUrl('http://h')).toThrow(/unsupported scheme/);
    expect(() => parseBrokerUrl('nope')).toThrow(/not a broker URL/);
  });
});

describe('resolveTarget', () => {
  it('defaults to the embedded broker with time scale 1', () => {
    expect(resolveTarget({}, {})).toMatchObject({
      broker: 'embedded',
      timeScale: 1,
      insecure: false,
      discover: true,
      topicPrefix: '',
    });
  });
  it('lets the environment win over world parameters and reads URL credentials', () => {
    const t = resolveTarget(
      { broker: 'mqtt://a:1', timeScale: 2 },
      { MQTT_BROKER_URL: 'mqtt://u:pw@b:2', MQTT_INSECURE: '1' },
    );
    expect(t).toMatchObject({ broker: 'mqtt://u:pw@b:2', username: 'u', password: 'pw', timeScale: 2, insecure: true });
  });
  it('rejects unknown parameters, bad scales, bad prefixes and empty container images', () => {
    expect(() => resolveTarget({ brokr: 'x' }, {})).toThrow(/unknown world parameter "brokr"/);
    expect(() => resolveTarget({ timeScale: 0 }, {})).toThrow(/timeScale/);
    expect(() => resolveTarget({ clientIdPrefix: 'a-b' }, {})).toThrow(/letters and digits/);
    expect(() => resolveTarget({}, { MQTT_BROKER_URL: 'container:' })).toThrow(/needs an image/);
  });
});
