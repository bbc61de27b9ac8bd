import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReport } from '../../../src/report/report-run.ts';
import { REGISTRY } from '../../../src/spec/index.ts';
import { expectedCount, makeReport, verdictOf, writeRuns } from './fixtures.ts';

/**
 * The generated site in a real headless Chromium (Debian's `chromium`, installed by .ci/run),
 * opened from the file system: the matrix counts, a filter, and a click through to a statement page.
 */
const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter(Boolean) as string[];
const chromium = CANDIDATES.find((p) => existsSync(p));
if (!chromium)
  console.warn(
    `browser test skipped: no Chromium found (looked for ${CANDIDATES.join(', ')}); install it with "apt-get install -y chromium"`,
  );

describe.skipIf(!chromium)('report site in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-browser-'));
  const runs = writeRuns(dir, {
    a: makeReport(0, { name: 'brokerA', version: '1' }, '2026-12-01T00:00:00Z'),
    b: makeReport(1, { name: 'brokerB', version: '2' }, '2026-12-01T00:00:00Z'),
  });
  const out = join(dir, 'site');
  generateReport({ runs, out, log: () => {} });
  const index = pathToFileURL(join(out, 'index.html')).href;
  let browser: import('playwright-core').BrowserContext;
  const profile = mkdtempSync(join(tmpdir(), 'mh-chromium-'));

  beforeAll(async () => {
    const { chromium: pw } = await import('playwright-core');
    // A fresh profile (--user-data-dir) per run, given the way playwright wants it.
    browser = await pw.launchPersistentContext(profile, {
      executablePath: chromium!,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timeout: 60_000,
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('renders the matrix with the right counts, filters it, and reaches a statement page from a cell', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(index, { waitUntil: 'load', timeout: 30_000 });
    expect(await page.locator('tr.st').count()).toBe(REGISTRY.length);
    for (const [run, seed] of [
      ['r1', 0],
      ['r2', 1],
    ] as const) {
      expect(await page.locator(`td.c[data-run="${run}"][data-verdict="failed"]`).count()).toBe(
        expectedCount(seed, 'failed'),
      );
      expect(await page.locator(`th.run[data-run="${run}"] [data-n="passed"]`).innerText()).toBe(
        `${expectedCount(seed, 'passed')} pass`,
      );
    }
    expect(await page.locator('#n').innerText()).toBe(String(REGISTRY.length));

    // Outcome filter: only rows where some column failed stay visible.
    await page.selectOption('select[name="o"]', 'failed');
    const anyFailed = REGISTRY.filter((_, i) => verdictOf(i, 0) === 'failed' || verdictOf(i, 1) === 'failed').length;
    expect(await page.locator('tr.st:visible').count()).toBe(anyFailed);
    expect(await page.locator('#n').innerText()).toBe(String(anyFailed));
    expect(new URL(page.url()).hash).toBe('#o=failed');
    // The same view from a link: the hash sets the filter.
    await page.goto(`${index}#o=failed`, { waitUntil: 'load', timeout: 30_000 });
    await page.reload({ waitUntil: 'load', timeout: 30_000 });
    expect(await page.locator('tr.st:visible').count()).toBe(anyFailed);
    await page.selectOption('select[name="o"]', '');
    // Free text: one statement ID (plus version) leaves exactly one row.
    const target = REGISTRY.find((s, i) => s.version === '5.0' && verdictOf(i, 1) === 'failed')!;
    await page.selectOption('select[name="v"]', '5.0');
    await page.fill('input[name="q"]', target.id);
    const visible = page.locator('tr.st:visible');
    expect(await visible.count()).toBe(
      REGISTRY.filter((s) => s.version === '5.0' && s.id.toLowerCase().includes(target.id.toLowerCase())).length,
    );

    // Clicking the failed cell of run r2 opens the statement page at that run.
    await visible.first().locator('td.c[data-run="r2"] a').click();
    await page.waitForURL(/statements\/5\.0\/.*\.html#r2$/, { timeout: 10_000 });
    expect(await page.locator('h1').innerText()).toContain(target.id);
    expect(await page.locator('#r2 h3').innerText()).toContain('failed');
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);
});
