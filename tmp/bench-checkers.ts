import { ManualClock } from '../src/common/index.ts';
import { HistoryRecorder, CHECKERS, runChecker, type CheckerName } from '../src/checker/index.ts';
function build(nPub: number, nSub: number, msgs: number) {
  const clock = new ManualClock(0);
  const rec = new HistoryRecorder(clock, { maxOps: 5_000_000 });
  const tick = () => clock.advance(1);
  for (let s = 0; s < nSub; s++) { rec.invoke(`s${s}`, 'connect', { cleanStart: false, persistent: true }, `c${s}`); rec.complete(`c${s}`, 'ok', { sessionPresent: false }); rec.invoke(`s${s}`, 'subscribe', { filters: [{ filter: 'f/#', qos: 1 }], packetId: 1 }, `sub${s}`); rec.complete(`sub${s}`, 'ok', { granted: [1] }); }
  for (let p = 0; p < nPub; p++) { rec.invoke(`p${p}`, 'connect', { cleanStart: true }, `cp${p}`); rec.complete(`cp${p}`, 'ok', {}); }
  for (let i = 0; i < msgs; i++) {
    const p = i % nPub; const id = `p${p}:${i}`; tick();
    rec.invoke(`p${p}`, 'publish', { msgId: id, topic: `f/${p}`, qos: 1, retain: false }, id);
    for (let s = 0; s < nSub; s++) rec.record(`s${s}`, 'ok', 'receive', { msgId: id, topic: `f/${p}`, qos: 1, dup: false });
    rec.complete(id, 'ok');
  }
  return rec.history;
}
for (const [np, ns, m] of [[10, 10, 10_000], [50, 4, 50_000]]) {
  const h = build(np, ns, m);
  for (const n of Object.keys(CHECKERS) as CheckerName[]) {
    const t = performance.now();
    const r = runChecker(CHECKERS[n], h, {});
    const ms = performance.now() - t;
    console.log(`${np} pubs x ${ns} subs x ${m} msgs (${h.length} ops): ${n.padEnd(20)} ${String(r.valid).padEnd(5)} checked=${r.checked} ${ms.toFixed(0)} ms  -> ${Math.round(m / (ms / 1000))} msgs/s, ${Math.round(h.length / (ms / 1000))} ops/s`);
  }
}
