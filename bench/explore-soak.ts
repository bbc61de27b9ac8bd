/**
 * npm run soak:explore — a long exploration against the embedded reference broker: at least
 * 10,000 programs per version (override with --runs N, --seed S, --versions 3.1.1,5.0). Exits 1 on any finding and
 * prints it; a plain progress line every 5 s. Not a CI step.
 */
import { loadavg } from 'node:os';
import { startBroker } from '../src/broker/index.ts';
import { explore, formatFinding } from '../src/explore/index.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const runs = Number(arg('runs', '10000'));
const versions = arg('versions', '3.1.1,5.0')
  .split(',')
  .map((v) => (v === '5' ? '5.0' : v)) as Array<'3.1.1' | '5.0'>;
const seed = Number(arg('seed', String(Math.floor(Math.random() * 0xffffffff) >>> 0)));
console.log(
  `soak:explore — ${runs} programs per version, seed ${seed}, up to 5 clients; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const b = await startBroker({ port: 0 });
let found = 0;
try {
  for (const version of versions) {
    let last = performance.now();
    const r = await explore({
      target: { url: b.url },
      version,
      seed,
      runs,
      maxClients: 5,
      onProgram: (s) => {
        if (performance.now() - last < 5000) return;
        last = performance.now();
        console.log(
          `  MQTT ${version}: ${s.programs} programs, ${(s.programs / (s.elapsedMs / 1000)).toFixed(1)}/s, findings ${s.findings}`,
        );
      },
    });
    console.log(
      `MQTT ${version}: ${r.programs} programs in ${(r.elapsedMs / 1000).toFixed(0)} s, ${r.findings.length} finding(s), ${r.harnessTrouble.length} programs the harness could not run`,
    );
    for (const f of r.findings) console.log(formatFinding(f));
    found += r.findings.length;
  }
} finally {
  await b.close();
}
process.exitCode = found > 0 ? 1 : 0;
