/**
 * The toxic contract. A toxic is plain data (ToxicSpec) plus, per link and direction, a Stage:
 * units (whole MQTT packets, or raw chunks in byte mode) are pushed in and passed on to `next`
 * in order, possibly later, changed, twice, or not at all. Proxy-level toxics (outage, refuse,
 * flaky) act on the listener and on all links instead of on one stream.
 */
import type { Rng } from '../../common/rng.ts';
import type { z } from 'zod';
import type { Scheduler } from '../scheduler.ts';
import type { FaultAction, FaultEvent, Stream, Unit } from '../types.ts';

/** What a stage may do to its link. */
export interface LinkControl {
  readonly id: number;
  /** Known once CONNECT has passed upstream. */
  readonly clientId: string | undefined;
  /** Ends both sockets: 'close' = FIN, 'reset' = TCP RST. */
  terminate(how: 'close' | 'reset'): void;
}

export interface StageEnv {
  link: LinkControl;
  stream: Stream;
  toxic: string;
  rng: Rng;
  sched: Scheduler;
  /** Passes a unit on to the next stage. */
  next(u: Unit): void;
  /** Passes end-of-stream on (after the stage has flushed what it holds). */
  end(): void;
  /** Records a fault (fills in time, link, client id, toxic, direction). */
  fault(action: FaultAction, u?: Unit, detail?: FaultEvent['detail']): void;
  /** Tells the link a unit left the chain without being written (for flow-control accounting). */
  discard(u: Unit): void;
  /** Shared per-toxic state across links (e.g. "nth match" counters). */
  shared: Record<string, unknown>;
  /** When the toxic was added (scheduler time), for time windows. */
  addedAt: number;
}

export interface Stage {
  push(u: Unit): void;
  /** The upstream side of this stream ended; pass it on when appropriate. */
  end(): void;
  /** Cancels timers and releases held units; called when the toxic is removed or the link closes. */
  dispose(flush: boolean): void;
}

export interface StageToxicDef<A> {
  kind: 'stage';
  type: string;
  /** MQTT-aware toxics need whole packets; the link frames its streams while one is present. */
  mqtt: boolean;
  /** Toxics that act on both streams whatever `stream` says (half_open). */
  bothStreams?: boolean;
  schema: z.ZodType<A>;
  create(attrs: A, env: StageEnv): Stage;
}

/** What proxy-level toxics may do to the whole proxy. */
export interface ProxyControl {
  sched: Scheduler;
  rng: Rng;
  toxic: string;
  /** How new connections are treated: accepted, refused (closed at once) or blackholed (held). */
  setAdmission(state: 'open' | 'refuse' | 'blackhole'): void;
  /** Acts on every open link. 'stall' holds data until 'release'. */
  cutLinks(how: 'close' | 'reset'): void;
  stallLinks(on: boolean): void;
  fault(action: FaultAction, detail?: FaultEvent['detail']): void;
}

export interface ProxyToxic {
  dispose(): void;
}

export interface ProxyToxicDef<A> {
  kind: 'proxy';
  type: string;
  schema: z.ZodType<A>;
  create(attrs: A, ctl: ProxyControl): ProxyToxic;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one registry holds toxics whose attribute types differ; each def checks its own with its schema
export type ToxicDef = StageToxicDef<any> | ProxyToxicDef<any>;

/** A stage that passes everything straight on. */
export function passStage(env: StageEnv): Stage {
  return { push: env.next, end: env.end, dispose: () => {} };
}
