import { TestClient } from '../src/client/index.ts';
const lvl = Number(process.env.L ?? 4) as 4 | 5;
const url = 'mqtt://127.0.0.1:18850';
const pre = 'ov' + Date.now();
const s = await TestClient.open({ url, name: 's', connectTimeoutMs: 2000 });
await s.connect({ clientId: pre + 's', level: lvl, clean: true, keepAlive: 0 }, 2000);
const filters: Array<[string, 0 | 1 | 2]> = JSON.parse(process.env.F ?? '[["#",2],["+/+",0]]');
let id = 1;
for (const [f, q] of filters) { s.send({ type: 'subscribe', packetId: id, subscriptions: [{ topicFilter: `${pre}/${f}`, qos: q }] }); await s.expect({ type: 'suback', packetId: id++ }, 2000); }
const p = await TestClient.open({ url, name: 'p', connectTimeoutMs: 2000 });
await p.connect({ clientId: pre + 'p', level: lvl, clean: true, keepAlive: 0 }, 2000);
p.send({ type: 'publish', topic: `${pre}/a/a`, payload: Buffer.from('x'), qos: 1, retain: false, dup: false, packetId: 1 });
await p.expect({ type: 'puback' }, 2000);
await new Promise((r) => setTimeout(r, 500));
const got = s.trace.entries.filter((e) => e.direction === 'received' && e.packet?.type === 'publish');
console.log('level', lvl, 'filters', JSON.stringify(filters), 'copies:', got.map((e) => `qos ${(e.packet as any).qos} [${e.hex}]`).join(' | '));
s.destroy(); p.destroy();
