import fc from 'fast-check';
import { startBroker } from './src/broker/index.ts';
import { programArb, describeStep } from './src/explore/program.ts';
import { runProgram } from './src/explore/runner.ts';
import { checkHistory } from './src/model/index.ts';
const b = await startBroker({ port: 0 });
for (const version of ['3.1.1', '5.0'] as const) {
  const progs = fc.sample(programArb(version, 4), { seed: Number(process.env.S ?? 2), numRuns: Number(process.env.N ?? 60) });
  const t0 = performance.now(); let n = 0, bad = 0;
  for (const p of progs) {
    const r = await runProgram(p, { url: b.url }, { prefix: `p${version[0]}x${n++}` });
    const f = checkHistory(r.history, { version });
    if (f.length || r.harnessTrouble) { bad++; if (bad <= 3) { console.log(p.steps.map(describeStep).join('\n')); console.log(r.harnessTrouble, f.slice(0,3).map(x=>x.message+' '+x.statements.map(s=>s.id))); } }
  }
  console.log(version, n, 'programs', ((performance.now()-t0)/n).toFixed(1), 'ms/program; bad', bad);
}
await b.close();
