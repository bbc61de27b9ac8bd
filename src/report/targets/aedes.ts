import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, waitForPort } from './process-util.ts';
import { TargetUnavailable, type RunningTarget, type TargetLauncher } from './types.ts';

const SERVER = fileURLToPath(new URL('./aedes-server.mjs', import.meta.url));

function aedesVersion(): string {
  try {
    const main = createRequire(import.meta.url).resolve('aedes');
    return (JSON.parse(readFileSync(join(dirname(main), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    throw new TargetUnavailable(
      'the npm package aedes is missing: run "npm ci" (it is a devDependency pinned to 1.2.0)',
    );
  }
}

/** aedes (npm, pinned 1.2.0; MQTT 3.1.1 only) in a child node process: TCP + WebSocket on free loopback ports. */
export const aedes: TargetLauncher = {
  name: 'aedes',
  description: 'aedes 1.2.0 (npm devDependency) in a child process, TCP + WebSocket',
  async start(): Promise<RunningTarget> {
    const version = aedesVersion();
    const proc = startChild(process.execPath, [SERVER, '0', '0']);
    const deadline = Date.now() + 20_000;
    let ports: RegExpExecArray | null;
    while (!(ports = /aedes listening mqtt=(\d+) ws=(\d+)/.exec(proc.output()))) {
      if (!proc.alive() || Date.now() > deadline) {
        await proc.stop();
        throw new Error(`aedes did not start within 20 s: ${proc.output().trim().slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const [tcp, ws] = [Number(ports[1]), Number(ports[2])];
    await waitForPort(tcp, 10_000, 'aedes', proc.alive);
    return {
      name: 'aedes',
      url: `mqtt://127.0.0.1:${tcp}`,
      wsUrl: `ws://127.0.0.1:${ws}/mqtt`,
      broker: { name: 'aedes', version },
      stop: () => proc.stop(3000),
    };
  },
};
