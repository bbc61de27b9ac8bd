/**
 * Before a fleet starts: is every broker reachable and accepting (one TCP connection and an
 * MQTT CONNECT each, bounded), and can this machine hold the fleet (open-file limit per
 * process, memory)? Errors name the URL the user gave (password masked), never an internal one.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, freemem, totalmem } from 'node:os';
import { encodePacket, PacketReader } from '../../codec/index.ts';
import { redactUrl } from '../../common/index.ts';
import { openTcp, tcpAddress } from '../../transport/index.ts';

export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly cause_: string,
  ) {
    super(`cannot reach the broker at ${redactUrl(url)}: ${cause_}`);
    this.name = 'UnreachableError';
  }
}

/** Checks a broker URL's form; returns a problem or undefined. */
export function brokerUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${redactUrl(url)}" is not a URL; expected mqtt://host:port`;
  }
  if (u.protocol !== 'mqtt:' && u.protocol !== 'tcp:')
    return `fleet devices speak MQTT over plain TCP; "${redactUrl(url)}" uses ${u.protocol}// (use mqtt://host:port)`;
  return undefined;
}

export function probeBroker(
  url: string,
  level: 4 | 5,
  timeoutMs = 5000,
  auth: { username?: string; password?: string } = {},
): Promise<void> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = openTcp(tcpAddress(u));
    const reader = new PacketReader({ protocolLevel: level, from: 'server' });
    const done = (e?: string) => {
      clearTimeout(t);
      sock.destroy();
      if (e) reject(new UnreachableError(url, e));
      else resolve();
    };
    const t = setTimeout(() => done(`no CONNACK within ${timeoutMs} ms`), timeoutMs);
    sock.on('error', (e) => done((e as NodeJS.ErrnoException).code ?? e.message));
    sock.on('close', () => done('connection closed before CONNACK'));
    sock.on('connect', () =>
      sock.write(
        encodePacket(
          {
            type: 'connect',
            protocolName: 'MQTT',
            protocolLevel: level,
            clean: true,
            keepAlive: 10,
            clientId: `fleet-probe-${process.pid}-${Date.now() % 1e6}`,
            ...(auth.username !== undefined ? { username: auth.username } : {}),
            ...(auth.password !== undefined ? { password: Buffer.from(auth.password) } : {}),
          },
          level,
        ),
      ),
    );
    sock.on('data', (b: Buffer) => {
      for (const r of reader.push(b)) {
        if (!r.ok) return done(`not an MQTT server (${r.violation.message})`);
        if (r.packet.type === 'connack') {
          if (r.packet.reasonCode !== 0)
            return done(`CONNACK refused the harness (0x${r.packet.reasonCode.toString(16)})`);
          sock.write(encodePacket({ type: 'disconnect', ...(level === 5 ? { reasonCode: 0 } : {}) }, level));
          return done();
        }
      }
    });
  });
}

/** The soft open-files limit of this process (Linux /proc), or undefined elsewhere. */
export function openFileLimit(): number | undefined {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m === null ? undefined : m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch {
    return undefined;
  }
}

/** Size of the local (ephemeral) port range: the most connections from one address to one broker address. */
export function ephemeralPorts(): number | undefined {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return hi - lo + 1;
  } catch {
    return undefined;
  }
}

/** A problem when one broker URL would get more devices than the local port range allows, or undefined. */
export function portRangeProblem(devicesPerBroker: number): string | undefined {
  const ports = ephemeralPorts();
  if (ports === undefined || devicesPerBroker + 100 <= ports) return undefined;
  return `${devicesPerBroker} devices per broker URL exceed the ${ports} local ports from one address to one broker (net.ipv4.ip_local_port_range); give more broker URLs (--broker URL1,URL2,...), or shard the run over machines`;
}

/** Measured by bench:fleet (RSS per connected idle device with its socket); with margin. */
export const BYTES_PER_DEVICE = 24 * 1024;
/** File descriptors a worker keeps for itself (stdio, IPC, the history file, libuv). */
export const FD_RESERVE = 200;

export interface Capacity {
  workers: number;
  perWorker: number;
  fdLimit: number | undefined;
}

/**
 * How many worker processes to spread `devices` over (at least `wanted`), or an error message
 * when the machine cannot hold them: the per-process open-file limit caps a worker, memory
 * caps the fleet.
 */
export function plan(devices: number, hubsPerWorker: number, wanted = 1): Capacity | string {
  const fdLimit = openFileLimit();
  const perProcess = fdLimit === undefined || !Number.isFinite(fdLimit) ? 50_000 : fdLimit - FD_RESERVE - hubsPerWorker;
  if (perProcess < 1) return `the open-file limit (${fdLimit}) leaves no room for devices; raise it with ulimit -n`;
  // Past a few thousand devices, one worker per core (up to 4) spreads the ramp and the traffic.
  const spread = devices >= 4000 ? Math.min(4, Math.max(1, availableParallelism())) : 1;
  const workers = Math.max(wanted, spread, Math.ceil(devices / perProcess));
  const need = devices * BYTES_PER_DEVICE;
  const avail = Math.min(freemem(), totalmem() * 0.8);
  if (need > avail) {
    return `${devices} devices need about ${Math.round(need / 1048576)} MB (${BYTES_PER_DEVICE / 1024} KiB each); only ${Math.round(avail / 1048576)} MB are free. Use fewer devices or shard the run over machines (--shard i/n)`;
  }
  if (workers > 64)
    return `${devices} devices would need ${workers} worker processes at ${perProcess} open files each; raise ulimit -n or shard the run over machines (--shard i/n)`;
  return { workers, perWorker: Math.ceil(devices / workers), fdLimit };
}
