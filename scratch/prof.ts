import fc from 'fast-check';
import { programArb, runProgram, describeStep } from '../src/explore/index.ts';
import { checkHistory } from '../src/model/index.ts';
const version = (process.env.V ?? '5.0') as '5.0';
const progs = fc.sample(programArb(version, 3), { seed: Number(process.env.S ?? 24), numRuns: Number(process.env.N ?? 20) });
let i = 0;
for (const p of progs) {
  const t0 = performance.now();
  const r = await runProgram(p, { url: process.env.URL ?? 'mqtt://127.0.0.1:18850' }, { prefix: `pf${Date.now() % 1e5}n${i++}` });
  const t1 = performance.now();
  const f = checkHistory(r.history, { version });
  const t2 = performance.now();
  console.log(i, 'run', Math.round(t1 - t0), 'check', Math.round(t2 - t1), 'events', r.history.length, 'findings', f.length, process.memoryUsage().heapUsed >> 20, 'MB');
  if (t1 - t0 > 3000) console.log(p.steps.map(describeStep).join('\n'));
}
