import { TestClient } from '../src/client/index.ts';
const n = Number(process.env.N ?? 21), q = Number(process.env.Q ?? 2) as 1 | 2;
const c = await TestClient.open({ url: 'mqtt://127.0.0.1:18850', name: 'c', connectTimeoutMs: 2000 });
await c.connect({ clientId: 'ret-probe' + Date.now(), level: 4, clean: true, keepAlive: 0 }, 2000);
const topic = 'retprobe/' + Date.now();
for (let i = 1; i <= n; i++) c.send({ type: 'publish', topic, payload: Buffer.from('m' + i), qos: q, retain: true, dup: false, packetId: i });
for (let i = 1; i <= n; i++) {
  if (q === 2) { await c.expect({ type: 'pubrec', packetId: i }, 2000); c.send({ type: 'pubrel', packetId: i }); }
}
for (let i = 1; i <= n; i++) await c.expect({ type: q === 2 ? 'pubcomp' : 'puback', packetId: i }, 2000);
const s = await TestClient.open({ url: 'mqtt://127.0.0.1:18850', name: 's', connectTimeoutMs: 2000 });
await s.connect({ clientId: 'ret-sub' + Date.now(), level: 4, clean: true, keepAlive: 0 }, 2000);
s.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: topic, qos: 2 }] });
await s.expect({ type: 'suback' }, 2000);
const p = await s.expect({ type: 'publish' }, 2000) as any;
console.log('n', n, 'qos', q, 'retained delivered:', p.payload.toString());
console.log(s.trace.entries.filter((e) => e.direction === 'received').map((e) => e.hex).join('\n'));
c.destroy(); s.destroy();
