/**
 * `npm run bench:report`: how big the report site's index.html is and how fast headless Chromium
 * renders it from file://. Builds the site from the runs given (compliance.json files or their
 * directories), or from four synthetic full-registry runs when none are given, then loads
 * index.html N times (default 5) in a fresh Chromium profile and prints the median and worst
 * time to the load event and to the first laid-out frame after it, plus the load average (a loaded machine
 * inflates every figure). The target is index.html ≤ 2 MB and a render under 1 s for four runs.
 *   npm run bench:report -- [--runs 5] [RUN...]
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateReport } from '../src/report/report-run.ts';
import { makeReport, writeRuns } from '../test/report/site/fixtures.ts';

const args = process.argv.slice(2);
const n = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
const inputs = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
  existsSync(p),
);
if (!chromium) {
  console.error('bench:report: no Chromium (apt-get install -y chromium)');
  process.exit(2);
}
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(
  `load average before: ${load()}${loadavg()[0]! > 1.5 ? '  (WARNING: machine busy; figures are inflated)' : ''}`,
);

const dir = mkdtempSync(join(tmpdir(), 'mh-bench-report-'));
const runs = inputs.length
  ? inputs
  : writeRuns(
      dir,
      Object.fromEntries(
        [0, 1, 2, 3].map((s) => [`s${s}`, makeReport(s, { name: `broker${s}`, version: '1' }, '2026-12-01T00:00:00Z')]),
      ),
    );
const t0 = performance.now();
const r = generateReport({ runs, out: join(dir, 'site'), log: () => {} });
const buildMs = performance.now() - t0;
const indexBytes = statSync(join(dir, 'site', 'index.html')).size;
console.log(
  `site: ${r.site.files} files, index.html ${(indexBytes / 1024 / 1024).toFixed(2)} MB for ${r.runs.length} run(s) (${inputs.length ? 'given runs' : 'synthetic full-registry runs'}); built in ${buildMs.toFixed(0)} ms`,
);

const { chromium: pw } = await import('playwright-core');
const profile = mkdtempSync(join(tmpdir(), 'mh-chromium-'));
const ctx = await pw.launchPersistentContext(profile, {
  executablePath: chromium,
  headless: true,
  timeout: 60_000,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const url = pathToFileURL(join(dir, 'site', 'index.html')).href;
const loads: number[] = [],
  paints: number[] = [];
try {
  for (let i = 0; i < n; i++) {
    const page = await ctx.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    // Runs in the page (a string, as the project's TypeScript has no DOM types): the load event
    // end, and the first frame after it with layout done (headless Chromium reports no paint entries).
    const t = (await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      void document.body.offsetHeight; // force layout
      resolve({ load: nav.loadEventEnd, fcp: performance.now() });
    }, 0)))`)) as { load: number; fcp: number };
    loads.push(t.load);
    paints.push(t.fcp);
    await page.close();
  }
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `Chromium ${n}×: load event median ${med(loads).toFixed(0)} ms (worst ${Math.max(...loads).toFixed(0)} ms), first frame after load, laid out: median ${med(paints).toFixed(0)} ms (worst ${Math.max(...paints).toFixed(0)} ms)`,
);
console.log(`load average after: ${load()}`);
rmSync(dir, { recursive: true, force: true });
