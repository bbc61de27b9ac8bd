import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  aedes,
  containerLauncher,
  findLauncher,
  LAUNCHERS,
  mosquitto,
  rabbitmq,
  TargetUnavailable,
  type TargetLauncher,
} from '../../src/report/targets/index.ts';

/** Opens a TCP connection, sends a 3.1.1 CONNECT, resolves with the first bytes back (CONNACK). */
function connack(url: string): Promise<Buffer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error('no CONNACK within 10 s'));
    }, 10_000);
    s.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    s.once('data', (d) => {
      clearTimeout(t);
      s.destroy();
      resolve(d);
    });
    s.write(Buffer.from([0x10, 14, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 2, 0x6d, 0x68]));
  });
}
const closed = (url: string): Promise<boolean> =>
  connack(url).then(
    () => false,
    () => true,
  );

const cases: Array<[TargetLauncher, string | undefined]> = [
  [mosquitto, existsSync('/usr/sbin/mosquitto') ? undefined : 'no /usr/sbin/mosquitto (apt-get install -y mosquitto)'],
  [aedes, undefined],
  [
    rabbitmq,
    existsSync('/usr/sbin/rabbitmq-server')
      ? undefined
      : 'no /usr/sbin/rabbitmq-server (apt-get install -y rabbitmq-server)',
  ],
];

describe('broker launchers for the matrix', () => {
  it('lists the four local brokers in matrix order', () => {
    expect(LAUNCHERS.map((l) => l.name)).toEqual(['embedded', 'mosquitto', 'aedes', 'rabbitmq']);
    expect(findLauncher('nope')).toBeUndefined();
  });
  for (const [launcher, skip] of cases) {
    if (skip) console.warn(`launcher test of ${launcher.name} skipped: ${skip}`);
    it.skipIf(!!skip)(
      `${launcher.name} starts on a free loopback port, answers CONNECT with CONNACK, and stops`,
      async () => {
        const t = await launcher.start();
        try {
          expect(t.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
          expect(t.broker.version).toMatch(/^\d+\.\d+/);
          const back = await connack(t.url);
          expect([...back.subarray(0, 4)]).toEqual([0x20, 2, 0, 0]);
        } finally {
          await t.stop();
        }
        expect(await closed(t.url)).toBe(true);
      },
      120_000,
    );
  }
  const docker = existsSync('/var/run/docker.sock') || !!process.env.DOCKER_HOST;
  it.skipIf(docker)(
    'a container target says in one line that there is no Docker engine',
    async () => {
      const e = await containerLauncher('eclipse-mosquitto:2')
        .start()
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      expect(e).toBeInstanceOf(TargetUnavailable);
      expect((e as Error).message).toMatch(/^no Docker engine reachable here \(.*\); start Docker or set DOCKER_HOST$/);
    },
    60_000,
  );
  it('run-target names a misspelt target with a close match and exits 2', () => {
    const r = spawnSync('npx', ['tsx', 'src/report/targets/run-target.ts', 'mosquito', '--', 'true'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown target "mosquito" (did you mean `mosquitto`?)');
  }, 60_000);
  it('run-target exports the URL to the command and passes its exit code through', () => {
    const r = spawnSync(
      'npx',
      [
        'tsx',
        'src/report/targets/run-target.ts',
        'aedes',
        '--',
        'node',
        '-e',
        'console.log(process.env.MQTT_BROKER_URL, process.env.MQTT_WS_URL); process.exit(7)',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(7);
    expect(r.stdout).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+ ws:\/\/127\.0\.0\.1:\d+\/mqtt/);
  }, 60_000);
});
