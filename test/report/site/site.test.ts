import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateReport } from '../../../src/report/report-run.ts';
import { connectPasswordOffset, loadSpecTexts, normalizeRun } from '../../../src/report/site/index.ts';
import { REGISTRY } from '../../../src/spec/index.ts';
import { SECRET, connectHex, expectedCount, makeReport, writeRuns } from './fixtures.ts';

const SPEC = process.env.MQTT_SPEC_DIR ?? join(process.cwd(), '..', 'shared', 'spec');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));

describe('report site', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-site-'));
  const runs = writeRuns(dir, {
    a: makeReport(0, { name: 'brokerA', version: '1' }, '2026-12-01T00:00:00Z'),
    b: makeReport(1, { name: 'brokerB', version: '2' }, '2026-12-01T00:00:00Z'),
    a2: makeReport(3, { name: 'brokerA', version: '1' }, '2026-12-02T00:00:00Z'),
  });
  const out = join(dir, 'site');
  const r = generateReport({ runs, out, specDir: SPEC, log: () => {} });

  it('writes a matrix with one row per statement, one column per run, and the right counts', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html.match(/<tr class="st"/g)).toHaveLength(REGISTRY.length);
    expect(html.match(/<th class="run"/g)).toHaveLength(3);
    for (const [i, seed] of [
      [1, 0],
      [2, 1],
      [3, 3],
    ] as const) {
      for (const v of ['passed', 'failed', 'not-applicable', 'advisory', 'inconclusive', 'untested']) {
        expect(html.match(new RegExp(`data-run="r${i}" data-verdict="${v}"`, 'g'))?.length ?? 0).toBe(
          expectedCount(seed, v),
        );
      }
    }
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http|https?:\/\/(?!127\.0\.0\.1)/);
    expect(r.exit).toBe(0);
  });

  it("writes a statement page per statement, with the standard's text, the failing step, evidence and hex trace", () => {
    const failed = REGISTRY.findIndex(
      (_, i) =>
        makeReport(0, { name: 'x', version: '1' }, '').statements &&
        (
          JSON.parse(readFileSync(join(runs[0]!, 'compliance.json'), 'utf8')) as {
            statements: Array<{ verdict: string }>;
          }
        ).statements[i]!.verdict === 'failed',
    );
    const s = REGISTRY[failed]!;
    const page = readFileSync(join(out, 'statements', s.version, `${s.id}.html`), 'utf8');
    expect(page).toContain(`<h1>${s.id}`);
    if (existsSync(SPEC)) expect(page).toMatch(/<blockquote>[^<]*MUST/);
    else expect(page).toContain("The statement's text was not found in");
    expect(page).toContain('Failing step: <code>Then A receives CONNACK</code>');
    expect(page).toContain('Expected versus observed');
    expect(page).toMatch(/\[\d+ B\] 10 [0-9a-f]{2} 00 04 4d 51 54 54/);
    expect(page).toContain('id="r1"');
  });

  it('diffs two runs of the same broker: newly failing, newly passing, changed', () => {
    expect(r.site.diffs).toHaveLength(1);
    const d = r.site.diffs[0]!;
    expect([d.from, d.to]).toEqual(['r1', 'r3']);
    const a = normalizeRun(JSON.parse(readFileSync(join(runs[0]!, 'compliance.json'), 'utf8')), 'r1', 'a');
    const b = normalizeRun(JSON.parse(readFileSync(join(runs[2]!, 'compliance.json'), 'utf8')), 'r3', 'b');
    const was = new Map(a.statements.map((s) => [`${s.version}|${s.id}`, s.verdict]));
    const newly = b.statements.filter((s) => s.verdict === 'failed' && was.get(`${s.version}|${s.id}`) !== 'failed');
    expect(d.statements.newlyFailing.map((c) => c.key).sort()).toEqual(newly.map((s) => `${s.version}|${s.id}`).sort());
    expect(readFileSync(join(out, 'diff.html'), 'utf8')).toContain(`Newly failing (${newly.length})`);
  });

  it('keeps every secret out of every file of the site', () => {
    const hexed = Buffer.from(SECRET).toString('hex');
    for (const f of files(out)) {
      const t = readFileSync(f, 'utf8');
      expect(t.includes(SECRET) || t.includes(hexed) || t.includes(hexed.replace(/(..)(?!$)/g, '$1 ')), f).toBe(false);
    }
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('mqtt://tester:***@127.0.0.1:1883');
  });

  it('finds the password field of a CONNECT dump, and none without the password flag', () => {
    const bytes = connectHex('pw1')
      .split(' ')
      .map((h) => parseInt(h, 16));
    expect(connectPasswordOffset(bytes)).toBe(bytes.length - 5);
    bytes[9] = 0x02; // clean session only
    expect(connectPasswordOffset(bytes)).toBeUndefined();
  });

  it('hides from the first unreadable length of a CONNECT dump, so a malformed one cannot show its password', () => {
    const pw = [0x00, 0x03, 0x70, 0x77, 0x31]; // password "pw1"
    // Remaining Length in five bytes (a fuzz case): nothing after the type byte can be located.
    const longRl = [0x10, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0xc2, 0, 60, ...pw];
    expect(connectPasswordOffset(longRl)).toBe(1);
    // 5.0 with a Property Length in five bytes: hidden from the Property Length on.
    const body = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x05, 0xc2, 0, 60, 0x80, 0x80, 0x80, 0x80, 0x01, ...pw];
    const badProps = [0x10, body.length, ...body];
    expect(connectPasswordOffset(badProps)).toBe(12);
    // Cut off inside the fixed header: no field has arrived.
    expect(connectPasswordOffset([0x10, 0x80])).toBeUndefined();
  });

  it('takes a directory of run directories as one run each, in name order, and names every bad RUN at once', () => {
    const again = generateReport({ runs: [dir], out: join(dir, 'again'), specDir: SPEC, log: () => {} });
    expect(again.runs.map((x) => x.source)).toEqual(['a', 'a2', 'b'].map((n) => join(dir, n, 'compliance.json')));
    expect(() => generateReport({ runs: ['/nope-1', '/nope-2'], out: join(dir, 'x'), log: () => {} })).toThrow(
      /nope-1: no such file[^]*nope-2: no such file/,
    );
  });

  it('reads schema-1 reports: advisory-failed → advisory, error → inconclusive, broker from the target', () => {
    const run = normalizeRun(
      {
        tool: 'mqtt-harness',
        target: 'mqtt://127.0.0.1:1',
        statements: [],
        harnessErrors: ['boom'],
        scenarioResults: [
          { name: 'x', where: 'f:1', kind: 'advisory-failed', statementIds: [] },
          { name: 'y', where: 'f:2', kind: 'error', statementIds: [] },
        ],
      },
      'r1',
      'old',
    );
    expect(run.scenarios.map((s) => [s.kind, s.cause])).toEqual([
      ['advisory', undefined],
      ['inconclusive', 'harness-error'],
    ]);
    expect(run.label).toBe('mqtt://127.0.0.1:1');
    expect(run.findings[0]!.message).toContain('boom');
    expect(() => normalizeRun({ hello: 1 }, 'r1', 'x.json')).toThrow(/x\.json: not an mqtt-harness compliance report/);
  });
});

describe('statement texts from the standards', () => {
  if (!existsSync(SPEC)) console.warn(`spec text test skipped: no standards folder at ${SPEC} (set MQTT_SPEC_DIR)`);
  it.skipIf(!existsSync(SPEC))(
    "finds the full text of every registry statement, with Appendix B's typos mapped, and body paragraphs without PDF line numbers",
    () => {
      const t = loadSpecTexts(SPEC);
      expect(REGISTRY.filter((r) => !t.texts.has(`${r.version}|${r.id}`)).map((r) => r.id)).toEqual([]);
      expect(t.texts.get('3.1.1|MQTT-3.8.3-4')).toMatch(/^The Server MUST treat a SUBSCRIBE packet as malformed/);
      expect(t.texts.get('3.1.1|MQTT-3.1.2-7')).toMatch(/MUST NOT be deleted when the Session ends/);
      expect(t.context.get('3.1.1|MQTT-1.5.3-1')).toMatch(
        /^The character data .* restated in RFC 3629 \[RFC3629\]\..*\[MQTT-1\.5\.3-1\]$/,
      );
      expect(t.sections.get('5.0|3.1')).toBe('CONNECT – Connection Request');
    },
  );
  it('says which files are missing when the folder is wrong', () => {
    const t = loadSpecTexts('/nonexistent-spec-dir');
    expect([t.texts.size, t.missing.length]).toEqual([0, 3]);
  });
});
