import { startBroker } from '../src/broker/index.ts';
import { explore } from '../src/explore/index.ts';
const m = process.env.M ?? 'dropWills';
for (const version of ['3.1.1', '5.0'] as const) for (const seed of [42, 7, 1]) {
  const b = await startBroker({ port: 0, misbehave: { [m]: true } as never });
  const t0 = performance.now();
  const r = await explore({ target: { url: b.url }, version, seed, runs: 300, maxClients: 3 });
  const f = r.findings[0];
  console.log(m, version, seed, 'programs', r.programs, 'ms', Math.round(performance.now() - t0), f ? `steps ${f.steps.length} ${f.statements}` : 'NOT FOUND');
  await b.close();
}
