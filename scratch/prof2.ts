import fc from 'fast-check';
import { programArb, runProgram, describeStep } from '../src/explore/index.ts';
import { checkHistory } from '../src/model/index.ts';
const version = (process.env.V ?? '5.0') as '5.0';
let i = 0;
await fc.check(fc.asyncProperty(programArb(version, 3), async (p) => {
  console.log(`#${i} ${p.steps.map(describeStep).join(' ; ')}`);
  const t0 = performance.now();
  const r = await runProgram(p, { url: 'mqtt://127.0.0.1:18850' }, { prefix: `pg${Date.now() % 1e5}n${i++}` });
  const t1 = performance.now();
  const f = checkHistory(r.history, { version });
  console.log('  run', Math.round(t1 - t0), 'check', Math.round(performance.now() - t1), 'events', r.history.length, 'findings', f.length);
  return true;
}), { seed: 24, numRuns: Number(process.env.N ?? 10) });
