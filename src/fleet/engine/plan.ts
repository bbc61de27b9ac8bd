/**
 * What every device of a run does, as a pure function of the settings and its global index:
 * its name, broker, link profile (by share), connect time on the ramp, publish schedule and
 * the fleet events it takes part in. A slice (worker or shard) only picks indices, so a device
 * behaves the same however the fleet is split.
 */
import { hashString, type Rng } from '../../common/index.ts';
import { LeanRng } from './lean-rng.ts';
import type { FleetScenario } from '../fleet-scenario.ts';

export interface RunSettings {
  scenario: FleetScenario;
  devices: number;
  /** Connections per second for the whole fleet. */
  rate: number;
  durationMs: number;
  /** Profile name, or shares by name. */
  link: string | Record<string, number> | undefined;
  brokers: string[];
  seed: number;
  /** This shard (of the whole run) and this worker (of the shard). */
  shard: { index: number; count: number };
  worker: { index: number; count: number };
  /** Prefixes client ids and topics so runs never collide on a shared broker. */
  runId: string;
  /** Bound on the drain after the publishing window (ms). */
  drainMs: number;
  username?: string;
  password?: string;
  /** Thresholds of the run (scenario and command line). */
  thresholds?: string[];
}

/** Global device indices of a slice: shard i of n takes i, i+n, …; worker j of w takes every w-th of those. */
export function sliceIndices(
  total: number,
  shard: { index: number; count: number },
  worker: { index: number; count: number },
): number[] {
  const out: number[] = [];
  let k = 0;
  for (let i = shard.index; i < total; i += shard.count, k++) if (k % worker.count === worker.index) out.push(i);
  return out;
}

export const sliceTag = (s: RunSettings): string => `s${s.shard.index}w${s.worker.index}`;
export const deviceName = (s: RunSettings, i: number): string => `${s.scenario.devices.id_prefix}-${i + 1}`;
export const clientId = (s: RunSettings, name: string): string => `${s.runId}-${name}`;
export const brokerOf = (s: RunSettings, i: number): number => i % s.brokers.length;
/** Topic namespace of a slice on one broker: hubs there see exactly this slice's devices. */
export const scopeOf = (s: RunSettings, broker: number): string => `fh/${s.runId}/${sliceTag(s)}/b${broker}`;
export const topicOf = (s: RunSettings, broker: number, template: string, name: string): string =>
  `${scopeOf(s, broker)}/${template.replace(/\{id\}/g, name)}`;
export const deviceRng = (s: RunSettings, name: string, label = ''): Rng =>
  new LeanRng((s.seed ^ hashString(`${name}/${label}`)) >>> 0);

/** The device's link profile name (a deterministic draw against the shares), or undefined for a clean link. */
export function linkOf(s: RunSettings, name: string): string | undefined {
  if (s.link === undefined) return undefined;
  if (typeof s.link === 'string') return s.link;
  const u = deviceRng(s, name, 'link').next();
  let acc = 0;
  const entries = Object.entries(s.link);
  for (const [p, share] of entries) {
    acc += share;
    if (u < acc) return p;
  }
  return entries[entries.length - 1]?.[0];
}

/** When device `i` opens its first connection, in ms after the slice's start. */
export const connectAt = (s: RunSettings, i: number): number => (i * 1000) / s.rate;

/**
 * The publish times (ms after start) of a device, bounded by the window and max_messages:
 * periodic with a seeded phase, Poisson with a seeded exponential gap, bursts of `burst`
 * messages every interval (bursty and sleepy).
 */
export function publishTimes(s: RunSettings, i: number, name: string): number[] {
  const p = s.scenario.devices.publish;
  const rng = deviceRng(s, name, 'publish');
  const start = connectAt(s, i);
  const out: number[] = [];
  const behaviour = s.scenario.devices.behaviour;
  let t = start + rng.next() * p.interval_ms;
  while (t < s.durationMs && out.length < p.max_messages) {
    if (behaviour === 'bursty' || behaviour === 'sleepy') {
      for (let k = 0; k < p.burst && out.length < p.max_messages; k++) out.push(t);
      t += p.interval_ms;
    } else if (behaviour === 'poisson') {
      out.push(t);
      t += -Math.log(1 - rng.next()) * p.interval_ms;
    } else {
      out.push(t);
      t += p.interval_ms;
    }
  }
  return out;
}

/** The fleet events device `name` takes part in (each event draws its share independently). */
export function eventsOf(
  s: RunSettings,
  name: string,
): { k: number; type: 'outage' | 'death'; at: number; until: number; existing: 'reset' | 'stall' }[] {
  return s.scenario.events.flatMap((e, k) => {
    if (!deviceRng(s, name, `event${k}`).chance(e.share)) return [];
    return [
      {
        k,
        type: e.type,
        at: e.at_ms,
        until: e.type === 'outage' ? e.at_ms + e.for_ms : Infinity,
        existing: e.type === 'outage' ? e.existing : 'reset',
      },
    ];
  });
}
