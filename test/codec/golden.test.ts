import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, hexToBuffer } from '../../src/codec/index.ts';
import { PACKET_NAME_LIST, type Properties } from '../../src/codec/packet-types.ts';
import { goldenFixtures } from './fixtures/index.ts';
import { canon, hex, senderOf, toHex } from './helpers.ts';

/**
 * Golden fixtures in the style of mqtt-packet's test suite: each hand-written (packet, bytes)
 * pair is checked three ways: parse (bytes -> packet), generate (packet -> bytes) and
 * round trip (decode(encode(packet)) == packet).
 */
describe('golden fixtures', () => {
  for (const f of goldenFixtures) {
    const from = f.from ?? senderOf(f.packet);
    const bytes = hex(f.hex);
    describe(`${f.name} [level ${f.level}]`, () => {
      it('parses', () => {
        const r = decodePacket(bytes, { protocolLevel: f.level, from });
        if (!r.ok) expect.fail(`rejected: ${r.violation.statement.id}: ${r.violation.message}`);
        expect(canon(r.packet, f.level)).toEqual(canon(f.packet, f.level));
      });
      if (!f.parseOnly) {
        it('generates', () => {
          expect(toHex(encodePacket(f.packet, f.level))).toBe(toHex(bytes));
        });
      }
      it('round-trips', () => {
        const r = decodePacket(encodePacket(f.packet, f.level), { protocolLevel: f.level, from });
        if (!r.ok) expect.fail(`rejected: ${r.violation.statement.id}: ${r.violation.message}`);
        expect(canon(r.packet, f.level)).toEqual(canon(f.packet, f.level));
      });
    });
  }
});

describe('fixture coverage', () => {
  const all = (level: number) => new Set(goldenFixtures.filter((f) => f.level === level).map((f) => f.packet.type));
  const types = PACKET_NAME_LIST.filter((t) => t !== 'auth');

  it('covers every packet type at levels 4 and 5 (AUTH at 5), CONNECT/CONNACK at 3', () => {
    expect([...all(4)].sort()).toEqual([...types].sort());
    expect([...all(5)].sort()).toEqual([...types, 'auth'].sort());
    expect([...all(3)].sort()).toEqual(['connack', 'connect']);
  });

  it('covers every 5.0 property at least once, user properties repeated, several subscription ids', () => {
    const seen = new Set<string>();
    let repeatedUser = false;
    let multiSubId = false;
    const visit = (p: Properties | undefined) => {
      if (!p) return;
      for (const k of Object.keys(p)) seen.add(k);
      if ((p.userProperties?.length ?? 0) > 1) repeatedUser = true;
      if ((p.subscriptionIdentifiers?.length ?? 0) > 1) multiSubId = true;
    };
    for (const f of goldenFixtures) {
      const p = f.packet as { properties?: Properties; will?: { properties?: Properties } };
      visit(p.properties);
      visit(p.will?.properties);
    }
    const every: (keyof Properties)[] = [
      'payloadFormatIndicator',
      'messageExpiryInterval',
      'contentType',
      'responseTopic',
      'correlationData',
      'subscriptionIdentifiers',
      'sessionExpiryInterval',
      'assignedClientIdentifier',
      'serverKeepAlive',
      'authenticationMethod',
      'authenticationData',
      'requestProblemInformation',
      'willDelayInterval',
      'requestResponseInformation',
      'responseInformation',
      'serverReference',
      'reasonString',
      'receiveMaximum',
      'topicAliasMaximum',
      'topicAlias',
      'maximumQoS',
      'retainAvailable',
      'userProperties',
      'maximumPacketSize',
      'wildcardSubscriptionAvailable',
      'subscriptionIdentifierAvailable',
      'sharedSubscriptionAvailable',
    ];
    expect(every.filter((k) => !seen.has(k))).toEqual([]);
    expect(repeatedUser).toBe(true);
    expect(multiSubId).toBe(true);
  });

  it("codec's hexToBuffer reads the commented fixture hex like the local reader", () => {
    for (const f of goldenFixtures) expect(toHex(hexToBuffer(f.hex))).toBe(toHex(hex(f.hex)));
  });
});
