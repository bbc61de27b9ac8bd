/** The programmatic API of one proxy (what createProxy returns) and its options. */
import type { LinkProfile } from './profiles.ts';
import type { Scheduler } from './scheduler.ts';
import type { FaultEvent, LinkStats, ProxyStats, ToxicInput, ToxicSpec } from './types.ts';

export interface ProxyOptions {
  /** Name used by the HTTP API (default "mqtt"). */
  name?: string;
  /** "host:port"; default "127.0.0.1:0". */
  listen?: string;
  /** mqtt://host:port (framed), tcp://, host:port, or mqtts:// ws:// wss:// (passed byte-wise). */
  upstream: string;
  /** Seed for every random choice; default MQTT_HARNESS_SEED or a random one (see `seed`). */
  seed?: number;
  toxics?: ToxicInput[];
  /** A profile name from scenarios/links, a path to a YAML file, or a loaded profile. */
  profile?: string | LinkProfile;
  /** MQTT framing; default true for mqtt:// tcp:// and bare host:port upstreams. */
  mqtt?: boolean;
  scheduler?: Scheduler;
  /**
   * Strict-decode every packet with the codec (src/codec decodePacket, at the level the CONNECT
   * announced, `from` client/server by direction): toxics and fault hooks then see
   * PacketInfo.decoded, and packets the codec rejects are counted (stats violations) but still
   * forwarded unchanged. Costs CPU; off by default.
   */
  decode?: boolean;
  /** How many fault events faults() keeps (oldest dropped first). Default 100000. */
  faultLogLimit?: number;
  /**
   * Busy polling: keep the event loop spinning for this many ms after each chunk of traffic
   * instead of sleeping (0..1000; default 0 = off). Cuts the latency the proxy adds where
   * waking a process is slow, at the price of a core at 100% while traffic flows.
   */
  busyPollMs?: number;
}

export interface Proxy {
  readonly name: string;
  readonly seed: number;
  readonly host: string;
  readonly port: number;
  /** URL of the proxy's listener: mqtt://host:port (ws://host:port/path, mqtts://… for such upstreams). */
  readonly url: string;
  readonly upstream: string;
  readonly enabled: boolean;
  addToxic(t: ToxicInput): ToxicSpec;
  removeToxic(name: string): void;
  /** Merges attributes (and toxicity/stream if given); the toxic restarts (its counters reset). */
  updateToxic(name: string, change: Partial<Omit<ToxicInput, 'name' | 'type'>>): ToxicSpec;
  toxic(name: string): ToxicSpec | undefined;
  toxics(): ToxicSpec[];
  /** Removes every toxic and re-enables the proxy (Toxiproxy's reset). */
  reset(): Promise<void>;
  /** Disabled: listener closed (connections refused) and every link closed. */
  setEnabled(on: boolean): Promise<void>;
  stats(): ProxyStats;
  links(): LinkStats[];
  /**
   * Cuts open links now (all, or those of one client id / link id): 'close' = FIN, 'reset' = RST.
   * Recorded as a fault of toxic "(manual)". Returns how many links were cut.
   */
  cut(filter?: { clientId?: string; link?: number }, how?: 'close' | 'reset'): number;
  onFault(fn: (ev: FaultEvent) => void): () => void;
  /** Recorded fault events, oldest first. */
  faults(): FaultEvent[];
  close(): Promise<void>;
}
