import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, hexToBuffer } from '../../src/codec/index.ts';
import { prefixRawConnectClientIds } from '../../src/client/index.ts';

const hex = (b: Buffer): string => b.toString('hex').replace(/(..)(?=.)/g, '$1 ');
const run = (h: string, prefix = 'mX1'): string => hex(prefixRawConnectClientIds(hexToBuffer(h), prefix));

describe('prefixRawConnectClientIds: raw CONNECT bytes get the scenario prefix on their client id', () => {
  it('prefixes a 3.1.1 client id and adjusts both lengths; the codec reads the result', () => {
    const out = prefixRawConnectClientIds(hexToBuffer('10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 76'), 'mX1');
    expect(hex(out)).toBe('10 10 00 04 4d 51 54 54 04 02 00 3c 00 04 6d 58 31 76');
    const d = decodePacket(out, { protocolLevel: 4 });
    expect(d).toMatchObject({ ok: true, packet: { type: 'connect', clientId: 'mX1v' } });
  });

  it('reads the MQTT 5 property length (even of properties that break a rule) before the client id', () => {
    // Receive Maximum 0 (a protocol error the broker must catch): the defect stays, the id moves
    expect(run('10 12 00 04 4d 51 54 54 05 02 00 3c 03 21 00 00 00 02 70 65')).toBe(
      '10 15 00 04 4d 51 54 54 05 02 00 3c 03 21 00 00 00 05 6d 58 31 70 65',
    );
  });

  it('keeps a deliberate defect in the id itself, and fields the flags announce but the bytes lack', () => {
    // client id "a" U+DFFF "b"
    expect(run('10 11 00 04 4d 51 54 54 04 02 00 3c 00 05 61 ed bf bf 62')).toBe(
      '10 14 00 04 4d 51 54 54 04 02 00 3c 00 08 6d 58 31 61 ed bf bf 62',
    );
    // the User Name flag but no user name
    expect(run('10 0d 00 04 4d 51 54 54 04 82 00 3c 00 01 75')).toBe(
      '10 10 00 04 4d 51 54 54 04 82 00 3c 00 04 6d 58 31 75',
    );
  });

  it('leaves an empty client id empty, and keeps the packets after the CONNECT', () => {
    const h = '10 0c 00 04 4d 51 54 54 04 00 00 3c 00 00 30 05 00 01 74 68 69';
    expect(run(h)).toBe(h);
    expect(run('10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 76 c0 00')).toBe(
      '10 10 00 04 4d 51 54 54 04 02 00 3c 00 04 6d 58 31 76 c0 00',
    );
  });

  it('changes nothing it cannot locate exactly', () => {
    for (const h of [
      '10 18 00 04 4d 51', // the first part of a split CONNECT
      '10 8d 00 00 04 4d 51 54 54 04 02 00 3c 00 01 76', // a Remaining Length longer than needed
      '10 05 00 04 4d 51 54', // the client id lies beyond the frame
      '30 05 00 01 74 68 69', // not a CONNECT
      '',
    ])
      expect(run(h)).toBe(h);
    expect(run('10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 76', '')).toBe(
      '10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 76',
    );
  });

  it('grows the Remaining Length to two bytes when it must', () => {
    const c = encodePacket(
      {
        type: 'connect',
        protocolName: 'MQTT',
        protocolLevel: 4,
        clean: true,
        keepAlive: 60,
        clientId: 'c'.repeat(110),
      },
      4,
    );
    const out = prefixRawConnectClientIds(c, 'p'.repeat(20));
    expect(decodePacket(out, { protocolLevel: 4 })).toMatchObject({
      ok: true,
      packet: { clientId: 'p'.repeat(20) + 'c'.repeat(110) },
    });
  });
});
