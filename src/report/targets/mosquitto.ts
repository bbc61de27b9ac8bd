import { MOSQUITTO_BIN, startLocalMosquitto } from '../local-mosquitto.ts';
import { ensureDebianPackage, run } from './process-util.ts';
import type { RunningTarget, TargetLauncher } from './types.ts';

/** Debian's mosquitto (2.0.11 on bookworm) on free loopback ports, TCP and WebSocket, anonymous. */
export const mosquitto: TargetLauncher = {
  name: 'mosquitto',
  description: 'Debian mosquitto (/usr/sbin/mosquitto) on free loopback ports, TCP + WebSocket',
  async start(log = () => {}): Promise<RunningTarget> {
    ensureDebianPackage(MOSQUITTO_BIN, 'mosquitto', log);
    const version = /version\s+(\S+)/.exec(run(MOSQUITTO_BIN, ['-h'], { timeoutMs: 10_000 }).output)?.[1];
    const m = await startLocalMosquitto({ websockets: true });
    return {
      name: 'mosquitto',
      url: m.url,
      wsUrl: m.wsUrl,
      broker: { name: 'mosquitto', version },
      stop: () => m.stop(),
    };
  },
};
