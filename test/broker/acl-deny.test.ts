/** ACL deny rules (mosquitto `topic deny`): one topic refused under a broader grant. */
import { afterAll, describe, expect, it } from 'vitest';
import { createAclAuthorizer } from '../../src/broker/auth/index.ts';
import { parseConfig } from '../../src/broker/config/index.ts';
import type { ClientInfo } from '../../src/broker/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

const who = (clientId: string, username?: string): ClientInfo => ({
  clientId,
  username,
  protocolLevel: 5,
  transport: 'tcp',
  remoteAddress: undefined,
});
const acl = createAclAuthorizer([
  { topic: 'a/secret', access: 'deny' }, // before or after the grant: deny wins either way
  { topic: 'a/#', access: 'readwrite' },
  { topic: 'b/#', access: 'readwrite' },
  { topic: 'b/+/private', access: 'deny', user: 'bob' },
]);

describe('ACL deny rules', () => {
  it('refuse publishing to and subscribing to a denied topic under a broader grant', () => {
    expect(acl.authorize(who('x'), 'write', 'a/open')).toBe(true);
    expect(acl.authorize(who('x'), 'write', 'a/secret')).toBe(false);
    expect(acl.authorize(who('x'), 'read', 'a/secret')).toBe(false);
    expect(acl.authorize(who('x'), 'read', 'a/secret/more')).toBe(true); // deny "a/secret" is one topic
    expect(acl.authorize(who('x'), 'read', 'a/#')).toBe(true); // overlaps only: deliveries are checked
  });

  it('apply to the users they name, and ask for delivery checks only there', () => {
    expect(acl.authorize(who('x', 'bob'), 'write', 'b/1/private')).toBe(false);
    expect(acl.authorize(who('x', 'alice'), 'write', 'b/1/private')).toBe(true);
    expect(acl.authorize(who('x', 'bob'), 'read', 'b/+/private')).toBe(false); // covered by the deny rule
    expect(createAclAuthorizer([{ topic: 'a/#', access: 'readwrite' }]).checksDeliveries?.(who('x'))).toBe(false);
    expect(acl.checksDeliveries?.(who('x'))).toBe(true);
  });

  it('are accepted by the config schema as access: deny', () => {
    expect(parseConfig('acl:\n  - topic: "a/secret"\n    access: deny\n', 'acl.yaml').acl).toEqual([
      { topic: 'a/secret', access: 'deny' },
    ]);
    expect(() => parseConfig('acl:\n  - topic: "a"\n    access: forbid\n', 'acl.yaml')).toThrow(
      /acl\[0\]\.access: expected one of .*"deny"/,
    );
  });
});

describe('ACL deny rules in the broker', () => {
  const brokers: TestBroker[] = [];
  const raws: RawClient[] = [];
  afterAll(async () => {
    raws.forEach((r) => r.end());
    await Promise.all(brokers.map((b) => b.close()));
  });

  it('a subscriber to a/# never receives a/secret, live or retained; a/open flows; publishing a/secret is refused', async () => {
    const tb = await startTestBroker({ authorizer: acl });
    brokers.push(tb);
    const open = async (id: string) => {
      const c = await RawClient.open(tb.port, 5);
      raws.push(c);
      expect((await c.connect(id)).reasonCode).toBe(0);
      return c;
    };
    const p = await open('deny-pub');
    p.send({
      type: 'publish',
      topic: 'a/secret',
      payload: Buffer.from('s'),
      qos: 1,
      retain: true,
      dup: false,
      packetId: 1,
    });
    expect((await p.expect('puback')).reasonCode).toBe(0x87);
    const s = await open('deny-sub');
    s.send({
      type: 'subscribe',
      packetId: 1,
      subscriptions: [
        { topicFilter: 'a/#', qos: 1 },
        { topicFilter: 'a/secret', qos: 1 },
      ],
    });
    expect((await s.expect('suback')).reasonCodes).toEqual([1, 0x87]);
    // No client may publish a/secret; the broker's own publish path (as for wills and $SYS) still routes it.
    tb.broker.publish({ topic: 'a/secret', payload: Buffer.from('hidden'), qos: 1, retain: false });
    tb.broker.publish({ topic: 'a/open', payload: Buffer.from('seen'), qos: 1, retain: false });
    const m = await s.expect('publish');
    expect([m.topic, m.payload.toString()]).toEqual(['a/open', 'seen']);
    s.send({ type: 'puback', packetId: m.packetId! });
    await s.barrier();
    expect(s.publishes()).toEqual([]);
  });
});
