/**
 * A fleet-shaped history for the honest-verdict tests: a persistent dashboard subscribes to
 * fleet/+/temp, sensors publish QoS 1 readings round-robin, the dashboard gets each one, and at
 * the end everybody disconnects normally (as `fleet run` does).
 */
import { HB } from './history-builder.ts';
import type { Op } from '../../src/checker/index.ts';

export interface FleetHistoryOptions {
  sensors?: number;
  perSensor?: number;
  qos?: 1 | 2;
  level?: 4 | 5;
  /** Sensors whose readings the broker never delivers (a real loss, recorded completely). */
  lostFrom?: string[];
  /** How the dashboard's observation ends: normal DISCONNECT (default), a dropped link, or still connected. */
  dashboardEnd?: 'disconnect' | 'drop' | 'connected';
}

export function fleetHistory(o: FleetHistoryOptions = {}): HB {
  const n = o.sensors ?? 3;
  const per = o.perSensor ?? 15;
  const qos = o.qos ?? 1;
  const level = o.level ?? 4;
  const lost = new Set(o.lostFrom ?? []);
  const h = new HB()
    .connect('dashboard', { clean: false, persistent: true, level })
    .subscribe('dashboard', 'fleet/+/temp', qos);
  const sensors = Array.from({ length: n }, (_, i) => `sensor-${i + 1}`);
  for (const s of sensors) h.connect(s, { clean: false, persistent: true, level });
  for (let k = 0; k < per; k++) {
    for (const s of sensors) {
      const id = `${s}:${k}`;
      const topic = `fleet/${s}/temp`;
      h.publish(s, id, topic, qos, { done: 'open' });
      if (!lost.has(s)) h.recv('dashboard', id, topic, qos);
      h.finishPublish(id, 'ok');
    }
  }
  h.wait(500);
  for (const s of sensors) h.disconnect(s);
  if (o.dashboardEnd === 'drop') h.drop('dashboard');
  else if (o.dashboardEnd !== 'connected') h.disconnect('dashboard');
  return h;
}

/** The same history with every receipt of one sensor's readings deleted, indices kept (as editing the file does). */
export function withoutReceiptsOf(ops: Op[], sensor: string): Op[] {
  return ops.filter((op) => !(op.f === 'receive' && op.value.msgId?.startsWith(`${sensor}:`)));
}
