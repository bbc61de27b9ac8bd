/**
 * The hubs of a slice, per broker it uses: the scenario's subscribers (on a clean link, they
 * watch the devices) and, when the scenario has a retained configuration or commands, one
 * publisher that sends them.
 */
import type { QoS } from '../../codec/index.ts';
import { CLEAN_LINK } from './link-spec.ts';
import type { Dev, LeanFleet } from './lean-fleet.ts';
import { deviceRng, scopeOf, type RunSettings } from './plan.ts';

export function addHubs(
  fleet: LeanFleet,
  s: RunSettings,
  targets: { host: string; port: number }[],
  tag: string,
): { hubs: Dev[]; hubPub: Dev[] } {
  const sc = s.scenario;
  const hubs: Dev[] = [];
  const hubPub: Dev[] = [];
  for (let b = 0; b < s.brokers.length; b++) {
    const scope = scopeOf(s, b);
    for (const h of sc.subscribers) {
      hubs.push(
        fleet.add({
          i: -1,
          name: `${h.id}-${tag}b${b}`,
          cid: `${s.runId}-${h.id}-${tag}b${b}`,
          hub: true,
          ...targets[b],
          link: CLEAN_LINK,
          rng: deviceRng(s, `${h.id}-${tag}-${b}`),
          persistent: h.persistent,
          keepAlive: 60,
          subs: [{ filter: `${scope}/${h.filter}`, qos: h.qos as QoS }],
          sleepy: false,
        }),
      );
    }
    if (sc.config || sc.commands)
      hubPub.push(
        fleet.add({
          i: -1,
          name: `hub-${tag}b${b}`,
          cid: `${s.runId}-hub-${tag}b${b}`,
          hub: true,
          ...targets[b],
          link: CLEAN_LINK,
          rng: deviceRng(s, `hub-${tag}-${b}`),
          persistent: false,
          keepAlive: 60,
          subs: [],
          sleepy: false,
        }),
      );
  }
  return { hubs, hubPub };
}
