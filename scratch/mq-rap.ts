import { TestClient } from '../src/client/index.ts';
const url = 'mqtt://127.0.0.1:18850';
for (const seq of [[true], [false, true], [true, false]]) {
  const pre = 'rap' + Date.now();
  const s = await TestClient.open({ url, name: 's', connectTimeoutMs: 2000 });
  await s.connect({ clientId: pre, level: 5, clean: true, keepAlive: 0 }, 2000);
  let id = 1;
  for (const rap of seq) { s.send({ type: 'subscribe', packetId: id, subscriptions: [{ topicFilter: `${pre}/t`, qos: 0, retainAsPublished: rap, retainHandling: 2 }] }); await s.expect({ type: 'suback', packetId: id++ }, 2000); }
  s.send({ type: 'publish', topic: `${pre}/t`, payload: Buffer.from('x'), qos: 0, retain: true, dup: false });
  const p: any = await s.expect({ type: 'publish' }, 2000);
  const e = s.trace.entries.filter((x) => x.direction === 'received' && x.packet?.type === 'publish').pop();
  console.log('RAP sequence', JSON.stringify(seq), '-> forwarded RETAIN', p.retain, e?.hex);
  s.send({ type: 'publish', topic: `${pre}/t`, payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
  s.destroy();
}
