/**
 * The fleet's once-a-second pass over its devices: keep alive (PINGREQ at 3/4 of the interval,
 * the connection is lost when no PINGRESP comes within it), acknowledgement timeouts (the
 * device reconnects and resends), and the gauges of the timeline (connected, links down).
 */
import type { Packet } from '../../codec/index.ts';
import type { Dev } from './dev-record.ts';
import type { Timeline } from './metrics.ts';

export interface SweepHost {
  readonly devs: readonly Dev[];
  readonly o: { now: () => number };
  readonly ackTimeout: number;
  readonly timeline: Timeline;
  lost(d: Dev, reason: string): void;
  send(d: Dev, p: Packet): void;
}

export function sweepDevices(f: SweepHost): void {
  const now = f.o.now();
  let connected = 0;
  let faulty = 0;
  for (const d of f.devs) {
    if (d.net.down) faulty++;
    if (d.state !== 2) continue;
    if (!d.hub) connected++;
    const ka = d.keepAlive * 1000;
    if (d.pingAt > 0 && now - d.pingAt > ka) {
      f.lost(d, 'keep-alive: no PINGRESP');
      continue;
    }
    if (ka > 0 && d.pingAt === 0 && now - d.lastSent >= ka * 0.75) {
      d.pingAt = now;
      f.send(d, { type: 'pingreq' });
    }
    if (d.flights !== null) {
      for (const fl of d.flights.values()) {
        if (now - fl.sentAt > f.ackTimeout) {
          f.lost(d, 'acknowledgement timeout');
          break;
        }
      }
    }
  }
  f.timeline.sample(now, connected, faulty);
}
