import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTimeout } from '../../src/common/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'proxy-cli-'));
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[]): { proc: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['bin/mqtt-harness.js', 'proxy', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  return { proc, out: () => out, exited };
}

async function waitFor(get: () => string, re: RegExp, what: string): Promise<RegExpMatchArray> {
  return withTimeout(
    (async () => {
      for (;;) {
        const m = get().match(re);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 50));
      }
    })(),
    15_000,
    what,
  );
}

describe('mqtt-harness proxy', () => {
  it('prints the listen URL, the seed and the API URL; the API works; SIGTERM stops it', async () => {
    const toxics = join(tmp, 't.json');
    writeFileSync(
      toxics,
      JSON.stringify([
        { name: 'd', type: 'mqtt_drop', stream: 'downstream', attributes: { packet_type: 'puback', nth: 1 } },
      ]),
    );
    const r = run([
      '--listen',
      '127.0.0.1:0',
      '--upstream',
      'mqtt://127.0.0.1:1',
      '--profile',
      'flaky-cellular',
      '--seed',
      '42',
      '--api',
      '127.0.0.1:0',
      '--toxics',
      toxics,
    ]);
    const api = await waitFor(r.out, /control API on (http:\/\/\S+)/, 'API line');
    expect(r.out()).toMatch(/proxy listening on mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(r.out()).toMatch(/^seed 42$/m);
    const res = await withTimeout(fetch(`${api[1]}/proxies/mqtt/toxics`), 5000, 'GET toxics');
    const names = ((await res.json()) as Array<{ name: string }>).map((t) => t.name);
    expect(names).toContain('cell-gilbert-elliott');
    expect(names).toContain('d');
    r.proc.kill('SIGTERM');
    expect(await withTimeout(r.exited, 10_000, 'exit after SIGTERM')).toBe(0);
  });

  it('a bad toxics file is reported with the file and the field, exit code 2', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ type: 'latency', attributes: { latency: -1 } }]));
    const r = run(['--upstream', 'mqtt://127.0.0.1:1', '--toxics', bad]);
    expect(await withTimeout(r.exited, 15_000, 'exit')).toBe(2);
    expect(r.out()).toContain(`${bad}: toxics[0].attributes.latency`);
  });
});

describe('mqtt-harness proxy --busy-poll', () => {
  it('rejects a window outside 0..1000 ms, naming the option (usage error, exit code 2)', async () => {
    const r = run(['--upstream', 'mqtt://127.0.0.1:1', '--busy-poll', '5000']);
    expect(await withTimeout(r.exited, 15_000, 'exit')).toBe(2);
    expect(r.out()).toMatch(/--busy-poll.*0\.\.1000.*"5000"/s);
  });
});
