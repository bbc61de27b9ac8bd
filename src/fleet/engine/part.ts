/**
 * What one slice of a fleet reports: the live numbers it sends once a second, and the part it
 * leaves on disk (part.json next to its history.jsonl) for `fleet merge`.
 */
import type { OpLog } from './op-log.ts';
import type { SecondStats } from './metrics.ts';

export interface LiveStats {
  tag: string;
  t: number;
  connected: number;
  devices: number;
  faulty: number;
  published: number;
  received: number;
  errors: number;
  drops: number;
  phase: string;
  /** Encoded e2e histogram of the last second (µs). */
  e2e?: string;
}

export interface Part {
  tag: string;
  scenario: string;
  seed: number;
  version: string;
  runId: string;
  shard: { index: number; count: number };
  worker: { index: number; count: number };
  devices: number;
  brokers: string[];
  t0: number;
  durationMs: number;
  endedAt: number;
  counts: OpLog['counts'] & { distinctReceived?: number };
  errors: number;
  e2e: string;
  connect: string;
  timeline: SecondStats[];
  /** Fault windows of the fleet events (epoch ms). */
  windows: { from: number; to: number; label: string }[];
  rssPeakMb: number;
  /** The longest time this process's own event loop was stalled (0: never over 1.5 s). */
  stallMs?: number;
  /** RSS just before the devices were created (the worker's own footprint). */
  rssBaseMb: number;
  cpuMs: number;
  /** The scenario's checks and thresholds, so `fleet merge` needs no scenario file. */
  checks: string[];
  thresholds: string[];
  /** Processes that only watch (hub subscribers, the hub publisher); shared by every check chunk. */
  hubs: string[];
}
