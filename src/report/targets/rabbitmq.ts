import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackage, freePort, run, startChild, waitForPort } from './process-util.ts';
import { TargetUnavailable, type RunningTarget, type TargetLauncher } from './types.ts';

const SERVER = '/usr/sbin/rabbitmq-server';
/** As root, Debian's wrappers (they switch to the rabbitmq user); as anyone else, the scripts they wrap. */
const bin = (name: string): string =>
  process.getuid?.() === 0 ? `/usr/sbin/${name}` : `/usr/lib/rabbitmq/bin/${name}`;

/**
 * Debian's RabbitMQ 3.10 with the rabbitmq_mqtt plugin (MQTT 3.1.1 only), as a throw-away node:
 * its own node name, free AMQP / distribution / MQTT ports on 127.0.0.1, management off, and
 * every file in a world-writable temp dir (as root, Debian's wrapper switches to the rabbitmq user;
 * as another user the wrapped scripts run as that user, with the Erlang cookie in its HOME).
 * Anonymous MQTT connections log in as guest (allowed from loopback only).
 */
export const rabbitmq: TargetLauncher = {
  name: 'rabbitmq',
  description: 'Debian RabbitMQ 3.10 + rabbitmq_mqtt on free loopback ports (temp node)',
  async start(log = () => {}): Promise<RunningTarget> {
    ensureDebianPackage(SERVER, 'rabbitmq-server', log);
    if (!existsSync(bin('rabbitmq-server')))
      throw new TargetUnavailable(`${bin('rabbitmq-server')} is missing (apt-get install -y rabbitmq-server)`);
    const [amqp, dist, mqtt] = [await freePort(), await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'mh-rabbit-'));
    chmodSync(dir, 0o777);
    const node = `mh${mqtt}@localhost`;
    const conf = join(dir, 'rabbitmq.conf');
    writeFileSync(
      conf,
      [
        `listeners.tcp.default = 127.0.0.1:${amqp}`,
        `mqtt.listeners.tcp.default = 127.0.0.1:${mqtt}`,
        'mqtt.allow_anonymous = true',
        'mqtt.default_user = guest',
        'mqtt.default_pass = guest',
        'mqtt.vhost = /',
        'mqtt.exchange = amq.topic',
        'log.console = true',
        'log.console.level = warning',
        'log.file = false',
        '',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RABBITMQ_NODENAME: node,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(amqp),
      RABBITMQ_DIST_PORT: String(dist),
      RABBITMQ_CONFIG_FILE: conf,
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
      RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'),
    };
    writeFileSync(join(dir, 'advanced.config'), '[].\n');
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    for (const f of ['rabbitmq.conf', 'advanced.config', 'enabled_plugins']) chmodSync(join(dir, f), 0o666);
    const en = run(bin('rabbitmq-plugins'), ['--offline', 'enable', 'rabbitmq_mqtt'], { env, timeoutMs: 120_000 });
    if (en.status !== 0) {
      // The plugin file is all the offline command writes; write it ourselves if the CLI could not.
      log(`rabbitmq-plugins --offline enable rabbitmq_mqtt exited ${en.status}; writing enabled_plugins directly`);
      writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
    }
    log(`starting RabbitMQ node ${node} (MQTT port ${mqtt}; up to 90 s)`);
    const proc = startChild(bin('rabbitmq-server'), [], { env, cwd: dir });
    const stopNode = async (): Promise<void> => {
      run(bin('rabbitmqctl'), ['-n', node, 'stop'], { env, timeoutMs: 60_000 });
      await proc.stop(15_000);
    };
    try {
      await waitForPort(mqtt, 90_000, 'RabbitMQ (MQTT listener)', proc.alive);
    } catch (e) {
      await stopNode();
      const out = proc.output().trim().split('\n').slice(-15).join('\n');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${(e as Error).message}\n${out}`, { cause: e });
    }
    const v = run(bin('rabbitmqctl'), ['-n', node, 'version'], { env, timeoutMs: 60_000 });
    const version = /^\d+\.\d+\.\d+/.exec(v.output.trim())?.[0] ?? '3.10';
    let stopped = false;
    return {
      name: 'rabbitmq',
      url: `mqtt://127.0.0.1:${mqtt}`,
      broker: { name: 'RabbitMQ (rabbitmq_mqtt)', version },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await stopNode();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
