import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTarget, TestClient, type VersionCapabilities } from '../../src/client/index.ts';
import { topicMatches, type Packet } from '../../src/codec/index.ts';
import {
  DELIBERATE_LIMIT_STEP,
  grantNeeds,
  packetNeeds,
  patternNeeds,
  workloadNeeds,
} from '../../steps/support/capability-guard.ts';
import {
  credentialsPathOf,
  loadCredentials,
  namedUsersOnly,
  startEmbedded,
} from '../../steps/support/embedded-target.ts';

const full: VersionCapabilities = {
  supported: true,
  maximumQoS: 2,
  retainAvailable: true,
  wildcardSubscriptions: true,
  sharedSubscriptions: true,
  subscriptionIdentifiers: true,
  topicAliasMaximum: 10,
  receiveMaximum: 65535,
};
const limited: VersionCapabilities = {
  ...full,
  maximumQoS: 1,
  retainAvailable: false,
  wildcardSubscriptions: false,
  sharedSubscriptions: false,
  subscriptionIdentifiers: false,
  topicAliasMaximum: 2,
  maximumPacketSize: 64,
};
const pub = (o: Partial<Extract<Packet, { type: 'publish' }>> = {}): Packet =>
  ({ type: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, ...o }) as Packet;
const sub = (topicFilter: string, properties?: object): Packet =>
  ({
    type: 'subscribe',
    packetId: 1,
    subscriptions: [{ topicFilter, qos: 0 }],
    ...(properties ? { properties } : {}),
  }) as Packet;

describe('implicit capability gating', () => {
  it('never triggers against a target with every capability', () => {
    for (const p of [
      pub({ qos: 2, packetId: 1, retain: true }),
      sub('a/#'),
      sub('$share/g/a/+'),
      pub({ properties: { topicAlias: 10 } }),
    ]) {
      expect(packetNeeds(full, p, 5)).toBeUndefined();
    }
    expect(patternNeeds(full, { type: 'publish', qos: 2 })).toBeUndefined();
  });
  it('names the missing capability of a packet or an expected delivery', () => {
    expect(packetNeeds(limited, pub({ qos: 2, packetId: 1 }), 5)).toMatch(
      /QoS 2, above the Maximum QoS 1 the target's CONNACK declares/,
    );
    // A 3.1.1 broker cannot declare a maximum QoS: its probe SUBACK grant never gates what the scenario publishes.
    expect(packetNeeds({ ...limited, maximumQoSSource: 'suback' }, pub({ qos: 2, packetId: 1 }), 4)).toBeUndefined();
    expect(patternNeeds({ ...limited, maximumQoSSource: 'suback' }, { type: 'publish', qos: 2 }, 4)).toBeUndefined();
    // Deliveries are gated on what the SUBACK granted the client's matching subscriptions.
    const grants = [{ filter: 'a/#', requested: 2, granted: 1, suback: 'SUBACK reasonCodes=[1]' }];
    expect(grantNeeds(grants, 'a/b', 2, topicMatches)).toMatch(
      /granted QoS 1 for the QoS 2 subscription to "a\/#" \(SUBACK reasonCodes=\[1\]\)/,
    );
    expect(grantNeeds(grants, 'a/b', 1, topicMatches)).toBeUndefined();
    expect(grantNeeds(grants, 'x/y', 2, topicMatches)).toBeUndefined();
    expect(packetNeeds(limited, pub({ retain: true }), 5)).toMatch(/retained/);
    expect(packetNeeds(limited, pub({ properties: { topicAlias: 3 } }), 5)).toMatch(/topic alias 3/);
    expect(packetNeeds(limited, pub({ payload: Buffer.alloc(100) }), 5)).toMatch(/Maximum Packet Size 64/);
    expect(packetNeeds(limited, sub('a/+'), 5)).toMatch(/wildcard/);
    expect(packetNeeds(limited, sub('$share/g/a'), 5)).toMatch(/shared/);
    expect(packetNeeds(limited, sub('a', { subscriptionIdentifiers: [4] }), 5)).toMatch(/subscription identifier/);
    expect(
      packetNeeds(
        limited,
        {
          type: 'connect',
          protocolName: 'MQTT',
          protocolLevel: 5,
          clean: true,
          keepAlive: 0,
          clientId: 'c',
          will: { topic: 'w', payload: Buffer.alloc(0), qos: 2, retain: false },
        },
        5,
      ),
    ).toMatch(/Will has QoS 2/);
    expect(patternNeeds(limited, { type: 'publish', qos: 2 }, 5)).toMatch(/delivery at QoS 2/);
    expect(workloadNeeds(limited, { filter: 'fleet/+/t' })).toMatch(/wildcard/);
    expect(workloadNeeds(limited, { qos: 1, retain: true })).toMatch(/retained/);
  });
  it('leaves packets within the limits and malformed values (QoS 3) alone', () => {
    expect(packetNeeds(limited, pub({ qos: 1, packetId: 1 }), 5)).toBeUndefined();
    expect(packetNeeds(full, pub({ qos: 3 as 2, packetId: 1 }), 5)).toBeUndefined();
    expect(packetNeeds(limited, sub('a/b'), 5)).toBeUndefined();
  });
  it('recognises steps that exceed a declared limit on purpose', () => {
    expect(DELIBERATE_LIMIT_STEP.test(`the broker's CONNACK declares a maximum QoS below 2`)).toBe(true);
    expect(
      DELIBERATE_LIMIT_STEP.test(`"A" sends with topic alias one above the broker's maximum PUBLISH topic "t"`),
    ).toBe(true);
    expect(DELIBERATE_LIMIT_STEP.test(`"A" publishes "top" to "t" at the broker's maximum QoS`)).toBe(false);
  });
});

describe('embedded target configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-embedded-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies ACL rules only to the users they name', () => {
    const acl = { authorize: (_c: { username?: string }, _a: 'read' | 'write', t: string) => t.startsWith('open/') };
    const a = namedUsersOnly([{ user: 'bob' }], acl);
    expect(a.authorize({ username: 'bob' }, 'write', 'closed/t')).toBe(false);
    expect(a.authorize({ username: 'bob' }, 'write', 'open/t')).toBe(true);
    expect(a.authorize({ username: 'alice' }, 'write', 'closed/t')).toBe(true);
    expect(a.authorize({}, 'read', '$x/closed')).toBe(true);
  });
  it('reads the credentials file next to a config, and names a bad one', () => {
    const cfg = join(dir, 'c.yaml');
    expect(credentialsPathOf(cfg)).toBe(join(dir, 'c.credentials.yaml'));
    expect(loadCredentials(cfg)).toEqual({});
    writeFileSync(join(dir, 'c.credentials.yaml'), 'username: u\npassword: p\n');
    expect(loadCredentials(cfg)).toEqual({ username: 'u', password: 'p' });
    writeFileSync(join(dir, 'c.credentials.yaml'), 'user: u\n');
    expect(() => loadCredentials(cfg)).toThrow(/c\.credentials\.yaml.*user/);
  });
  it('the default config has test credentials for two users', () => {
    expect(loadCredentials('scenarios/embedded/default.yaml')).toMatchObject({
      username: 'mh-user1',
      username2: 'mh-user2',
    });
  });
  it('takes embeddedConfig and wsUrl from world parameters or the environment', () => {
    expect(resolveTarget({ embeddedConfig: 'x.yaml' }, {})).toMatchObject({ embeddedConfig: 'x.yaml' });
    expect(resolveTarget({}, { MQTT_EMBEDDED_CONFIG: 'y.yaml', MQTT_WS_URL: 'ws://127.0.0.1:1/mqtt' })).toMatchObject({
      embeddedConfig: 'y.yaml',
      wsUrl: 'ws://127.0.0.1:1/mqtt',
    });
    expect(() => resolveTarget({ wsUrl: 'mqtt://h:1' }, {})).toThrow(/ws:\/\/ or wss:\/\//);
  });

  it('starts the default config: a WebSocket listener, the users, and the ACL binding only the second user', async () => {
    const t = await startEmbedded('scenarios/embedded/default.yaml');
    const clients: TestClient[] = [];
    const connect = async (id: string, username?: string, password?: string) => {
      const c = await TestClient.open({ url: t.url, connectTimeoutMs: 2000, name: id });
      clients.push(c);
      return { c, ack: await c.connect({ level: 5, clientId: id, username, password }, 2000) };
    };
    const subscribe = async (c: TestClient, filter: string) => {
      c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: filter, qos: 0 }] });
      return ((await c.expect({ type: 'suback' }, 2000)) as Extract<Packet, { type: 'suback' }>).reasonCodes[0];
    };
    try {
      expect(t.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
      const cred = loadCredentials('scenarios/embedded/default.yaml');
      const bob = await connect('emb-bob', cred.username2, cred.password2);
      expect(bob.ack.reasonCode).toBe(0);
      expect(await subscribe(bob.c, 'mh/r/s/closed/t')).toBe(0x87);
      expect(await subscribe(bob.c, 'mh/r/s/open/t')).toBe(0);
      const alice = await connect('emb-alice', cred.username, cred.password);
      expect(await subscribe(alice.c, '$any/closed/#')).toBe(0);
      const anon = await connect('emb-anon');
      expect(await subscribe(anon.c, 'mh/r/s/closed/t')).toBe(0);
      expect((await connect('emb-bad', cred.username, 'wrong')).ack.reasonCode).toBe(0x86);
    } finally {
      await Promise.all(clients.map((c) => c.close(500)));
      await t.close();
    }
  });
});
