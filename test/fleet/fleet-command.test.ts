import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { register } from '../../src/cli/fleet-command.ts';
import { toJsonLines } from '../../src/checker/index.ts';
import { HB } from '../checker/history-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'fleet-cmd-'));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(...args: string[]): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const p = new Command().exitOverride();
  register(p);
  await p.parseAsync(['node', 'mqtt-harness', ...args]);
  return lines.join('\n');
}

describe('mqtt-harness fleet', () => {
  it('check: a saved history with a lost message exits 1 and prints the witness', async () => {
    const h = new HB().connect('sub').subscribe('sub', 't', 1).connect('pub').publish('pub', 'm1', 't');
    const file = join(dir, 'lost.jsonl');
    writeFileSync(file, toJsonLines(h.ops));
    const out = await run('fleet', 'check', file, '--checkers', 'qos1-at-least-once');
    expect(out).toMatch(/INVALID qos1-at-least-once/);
    expect(out).toMatch(/witness/);
    expect(process.exitCode).toBe(1);
  });

  it('check: a good history exits 0; unknown checker names are refused', async () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't', 1)
      .connect('pub')
      .publish('pub', 'm1', 't')
      .recv('sub', 'm1', 't');
    const file = join(dir, 'good.jsonl');
    writeFileSync(file, toJsonLines(h.ops));
    expect(await run('fleet', 'check', file)).toMatch(/VALID qos1-at-least-once/);
    expect(process.exitCode).toBeUndefined();
    await expect(run('fleet', 'check', file, '--checkers', 'nope')).rejects.toThrow(/unknown checker "nope"/);
  });

  it('run: a closed port is named as given (not an internal address) and exits 3 (issue 9)', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const errs: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errs.push(a.join(' ')));
    await run('fleet', 'run', 'cellular-sensors', '--broker', `mqtt://127.0.0.1:${port}`, '--out', join(dir, 'closed'));
    expect(process.exitCode).toBe(3);
    expect(errs.join('\n')).toMatch(
      new RegExp(`inconclusive: cannot reach the broker at mqtt://127\\.0\\.0\\.1:${port}: ECONNREFUSED`),
    );
    expect(errs.join('\n').match(/127\.0\.0\.1:(\d+)/g)).toEqual([`127.0.0.1:${port}`]);
  });

  it('run: a password in the broker URL is masked in the error', async () => {
    const errs: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errs.push(a.join(' ')));
    await run('fleet', 'run', 'cellular-sensors', '--broker', 'ws://u:s3cret@127.0.0.1:1', '--out', join(dir, 'ws'));
    expect(process.exitCode).toBe(2);
    expect(errs.join('\n')).toMatch(/plain TCP/);
    expect(errs.join('\n')).not.toMatch(/s3cret/);
  });

  it('run: a bad scenario file gives every error at once and exits 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'name: bad\ndescription: d\nseed: 1\nduration_ms: 1000\ndevices:\n  count: 2\n  publish: {topic: "a/{id}", qos: 1, interval: 100}\nchecks: [nope]\n',
    );
    const errs: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errs.push(a.join(' ')));
    await run('fleet', 'run', file, '--out', join(dir, 'bad'));
    expect(process.exitCode).toBe(2);
    const text = errs.join('\n');
    expect(text).toMatch(/devices\.publish\.interval: unknown key `interval` \(did you mean `interval_ms`\?\)/);
    expect(text).toMatch(/checks\[0\]: unknown checker/);
  });

  it('run: more devices than the embedded broker can hold under the open-file limit is a usage error (exit 2)', async () => {
    const errs: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errs.push(a.join(' ')));
    await run('fleet', 'run', 'smart-meters', '--devices', '999999', '--out', join(dir, 'big'));
    expect(process.exitCode).toBe(2);
    expect(errs.join('\n')).toMatch(/open-file limit|MB are free|local ports/);
  });

  it('list: names the stored scenarios', async () => {
    expect(await run('fleet', 'list')).toMatch(/cellular-sensors/);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
