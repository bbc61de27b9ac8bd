/**
 * Crash-safety soak (Jepsen style): the reference broker with file persistence in a child
 * process is killed with SIGKILL during QoS 1/2 traffic and restarted on the same port and
 * directory, N times; reconnecting devices (src/fleet) record every operation; the checkers
 * (src/checker) then judge the whole history: no acknowledged QoS 1/2 message lost, QoS 2
 * delivered exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createRng, systemClock } from '../common/index.ts';
import { checkAll, HistoryRecorder, type CheckResult, type History } from '../checker/index.ts';
import { Device } from '../fleet/index.ts';

export interface CrashSoakOptions {
  kills: number;
  seed: number;
  level?: 4 | 5;
  /** Traffic time between kills, drawn uniformly from [min, max] ms. */
  intervalMs?: [number, number];
  publishers?: number;
  onProgress?: (line: string) => void;
}

export interface CrashSoakResult {
  seed: number;
  kills: number;
  published: number;
  acknowledged: number;
  received: number;
  historyOps: number;
  results: CheckResult[];
  valid: boolean;
  history: History;
}

const root = join(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** Start the broker CLI on `port` with file persistence in `dir`; resolves once it listens. */
async function startBroker(port: number, dir: string): Promise<ChildProcess> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'src/cli/main.ts'),
        'broker',
        '--port',
        String(port),
        '--persistence',
        `file:${dir}`,
        '--log-level',
        'error',
        '--config',
        join(dir, '..', `${basename(dir)}.yaml`),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: root },
    );
    const ok = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 20_000);
      child.stdout!.on('data', (d: Buffer) => {
        if (/listening on/.test(d.toString())) {
          clearTimeout(t);
          resolve(true);
        }
      });
      child.once('exit', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (ok) return child;
    child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100)); // port still held by the killed process, or the directory lock
  }
  throw new Error(`the broker did not restart on port ${port}`);
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function runCrashSoak(o: CrashSoakOptions): Promise<CrashSoakResult> {
  const rng = createRng(o.seed);
  const level = o.level ?? 5;
  const [minMs, maxMs] = o.intervalMs ?? [300, 900];
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-harness-crash-soak-'));
  // The queue limit is a drop policy, not a durability failure: large enough that nothing is dropped.
  writeFileSync(join(dir, '..', `${basename(dir)}.yaml`), 'limits:\n  maxQueuedMessages: 10000000\n');
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  const rec = new HistoryRecorder(systemClock, { maxOps: 5_000_000 });
  let child = await startBroker(port, dir);
  const common = {
    url,
    recorder: rec,
    level,
    persistent: true,
    sessionExpiry: 3600,
    keepAlive: 5,
    ackTimeoutMs: 4000,
    backoff: { initialMs: 50, maxMs: 500, maxAttempts: 1000 },
    maxInflight: 10,
  };
  const sub = new Device({ ...common, clientId: `soak-sub-${o.seed}`, rng: rng.fork('sub') });
  const pubs = Array.from(
    { length: o.publishers ?? 2 },
    (_, i) => new Device({ ...common, clientId: `soak-pub-${o.seed}-${i}`, rng: rng.fork(`pub${i}`) }),
  );
  let published = 0,
    acknowledged = 0;
  try {
    if (!(await sub.start())) throw new Error('subscriber could not connect');
    if (!(await sub.subscribe([{ filter: 'soak/#', qos: 2 }]))) throw new Error('subscription refused');
    for (const p of pubs) if (!(await p.start())) throw new Error('publisher could not connect');
    let traffic = true;
    const loops = pubs.map(async (p, i) => {
      let n = 0;
      while (traffic) {
        published++;
        const out = p.publish(`soak/${i}/${n % 4}`, n % 2 === 0 ? 1 : 2).then((o) => {
          if (o === 'ok') acknowledged++;
        });
        // Every 20th message waits for its outcome: the publishers keep pace with the broker.
        if (n % 20 === 19) await out;
        n++;
        await new Promise((r) => setTimeout(r, 2));
      }
    });
    for (let k = 1; k <= o.kills; k++) {
      await new Promise((r) => setTimeout(r, rng.int(minMs, maxMs)));
      await kill9(child);
      child = await startBroker(port, dir);
      o.onProgress?.(
        `kill ${k}/${o.kills}: ${published} published, ${acknowledged} acknowledged, ${sub.received} received`,
      );
    }
    await new Promise((r) => setTimeout(r, rng.int(minMs, maxMs)));
    traffic = false;
    await Promise.all(loops);
    // Let every flight finish and the subscriber drain, bounded.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !pubs.every((p) => p.idle)) await new Promise((r) => setTimeout(r, 100));
    let last = -1;
    while (Date.now() < deadline && sub.received !== last) {
      last = sub.received;
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const p of pubs) await p.disconnect();
    await sub.disconnect();
  } finally {
    for (const d of [sub, ...pubs]) d.close();
    await kill9(child);
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dir, '..', `${basename(dir)}.yaml`), { force: true });
  }
  rec.finish();
  const history = rec.history;
  const results = checkAll(history, ['qos1-at-least-once', 'qos2-exactly-once'], {
    version: level === 5 ? '5.0' : '3.1.1',
  });
  return {
    seed: o.seed,
    kills: o.kills,
    published,
    acknowledged,
    received: sub.received,
    historyOps: history.length,
    results,
    valid: results.every((r) => r.valid !== false),
    history,
  };
}
