/**
 * One client connection through the proxy: the client socket, its upstream socket, and a Pipe
 * (with its own toxic chain) per direction. Toxicity is rolled per link and toxic from the seed,
 * so a given (seed, link number, toxic name) always gets the same decision and random draws.
 */
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- the upstream socket must exist before it dials: its pipes are wired first, and a blackholed admission defers the dial (openTcp dials at once)
import { Socket } from 'node:net';
import { createRng, hashString } from '../common/rng.ts';
import type { ProtocolLevel } from '../codec/packet-types.ts';
import { Pipe, type ChainNode, type PipeHost } from './pipe.ts';
import type { Scheduler } from './scheduler.ts';
import { passStage, type LinkControl, type StageEnv, type StageToxicDef } from './toxics/toxic.ts';
import type { FaultAction, FaultEvent, LinkStats, PacketInfo, Stream, ToxicSpec, Unit } from './types.ts';

/** A stage toxic as the proxy holds it: validated spec + parsed attributes + per-toxic shared state. */
export interface StageToxicInstance {
  spec: ToxicSpec;
  def: StageToxicDef<unknown>;
  attrs: unknown;
  shared: Record<string, unknown>;
  addedAt: number;
}

export interface LinkHost {
  sched: Scheduler;
  /** Strict-decode every packet with the codec (PacketInfo.decoded / violation). */
  decode?: boolean;
  seed: number;
  emitFault(ev: FaultEvent): void;
  linkClosed(link: Link): void;
  /** Called on every chunk read, when busy polling is on (see busy-poll.ts). */
  activity?: () => void;
}

export interface UpstreamAddr {
  host: string;
  port: number;
}

export class Link implements LinkControl {
  clientId: string | undefined;
  protocolLevel: ProtocolLevel | undefined;
  fallbackReason: string | undefined;
  firstViolation: string | undefined;
  readonly openedAt: number;
  closedAt: number | undefined;
  readonly faults: Record<string, number> = {};
  readonly up: Pipe;
  readonly down: Pipe;
  readonly server: Socket;
  private errored = false;
  private closedCount = 0;
  private terminated = false;
  private halfOpen = 0;
  private connectPending: boolean;

  constructor(
    private readonly host: LinkHost,
    readonly id: number,
    readonly client: Socket,
    private readonly upstream: UpstreamAddr,
    mqtt: boolean,
    blackholed: boolean,
  ) {
    this.openedAt = host.sched.now();
    client.setNoDelay(true);
    this.server = new Socket({ allowHalfOpen: true });
    // socket.connect() ignores a noDelay option (only the constructor / setNoDelay set it): without
    // this, Nagle holds small writes to the broker behind delayed ACKs (ms-scale p99 latency).
    this.server.setNoDelay(true);
    this.connectPending = true;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getter below is on an object literal, where `this` is that object
    const link = this;
    const pipeHost: PipeHost = {
      onConnect: (p: PacketInfo) => {
        this.clientId = p.clientId;
        this.protocolLevel = p.protocolLevel;
      },
      fallback: (reason: string) => this.fallback(reason),
      get resetOnEnd() {
        return link.errored;
      },
      decode: host.decode === true,
      get protocolLevel() {
        return link.protocolLevel ?? 4;
      },
      violation: (m: string) => {
        this.firstViolation ??= m;
      },
    };
    this.up = new Pipe(pipeHost, 'upstream', client, this.server, mqtt);
    this.down = new Pipe(pipeHost, 'downstream', this.server, client, mqtt);
    this.wire(client, this.up, this.server);
    this.wire(this.server, this.down, client);
    this.server.once('connect', () => (this.connectPending = false));
    if (blackholed) this.gate(true);
    else this.dial();
  }

  private dialed = false;
  /** Opens the upstream connection (deferred while a blackholed admission holds the link). */
  private dial(): void {
    if (this.dialed || this.client.destroyed) return;
    this.dialed = true;
    this.server.connect({ host: this.upstream.host, port: this.upstream.port });
  }

  private wire(src: Socket, pipe: Pipe, other: Socket): void {
    const activity = this.host.activity;
    if (activity === undefined) src.on('data', (c: Buffer) => pipe.onData(c));
    else src.on('data', (c: Buffer) => (activity(), pipe.onData(c)));
    src.on('end', () => {
      if (this.halfOpen === 0) pipe.srcEnded();
    });
    src.on('error', () => {
      this.errored = true;
      if (this.halfOpen > 0) return;
      if (!other.destroyed) other.resetAndDestroy();
    });
    src.on('close', () => {
      // Upstream unreachable: close the client, as Toxiproxy does.
      if (src === this.server && this.connectPending && !other.destroyed) other.destroy();
      // A client that leaves while still held (never dialled): the upstream socket never opened.
      if (src === this.client && !this.dialed) {
        this.dialed = true;
        this.server.destroy();
      }
      if (++this.closedCount === 2) this.closed();
    });
  }

  get mode(): 'mqtt' | 'bytes' {
    return this.up.mode;
  }

  get open(): boolean {
    return this.closedAt === undefined;
  }

  /** Blackholed admission: hold the connection (nothing read) until released. */
  gate(on: boolean): void {
    this.up.gated = on;
    this.down.gated = on;
    this.up.flow();
    this.down.flow();
    if (!on) this.dial();
  }

  stall(on: boolean): void {
    this.up.stall(on);
    this.down.stall(on);
  }

  terminate(how: 'close' | 'reset'): void {
    if (this.terminated) return;
    this.terminated = true;
    for (const s of [this.client, this.server]) {
      if (s.destroyed) continue;
      if (how === 'reset') s.resetAndDestroy();
      else {
        s.pause();
        s.removeAllListeners('data');
        s.end();
        setTimeout(() => s.destroy(), 1000).unref();
      }
    }
  }

  private fallback(reason: string): void {
    if (this.fallbackReason !== undefined) return;
    this.fallbackReason = reason;
    this.up.toBytes();
    this.down.toBytes();
  }

  /** Adds a stage toxic to this link if its toxicity roll (seeded per link and toxic) says so. */
  addToxic(t: StageToxicInstance): boolean {
    const rng = createRng((this.host.seed ^ hashString(`${this.id}/${t.spec.name}`)) >>> 0);
    if (!rng.chance(t.spec.toxicity)) return false;
    const streams: Stream[] = t.def.bothStreams ? ['upstream', 'downstream'] : [t.spec.stream];
    for (const stream of streams) {
      const pipe = stream === 'upstream' ? this.up : this.down;
      const env = this.env(t, stream, pipe, streams.length > 1 ? rng.fork(stream) : rng);
      const node: ChainNode = { name: t.spec.name, mqtt: t.def.mqtt, stage: passStage(env), next: null };
      env.next = (u) => (node.next !== null ? node.next.stage.push(u) : pipe.sink(u));
      env.end = () => (node.next !== null ? node.next.stage.end() : pipe.sinkEnd());
      if (t.def.bothStreams) this.halfOpen++;
      node.stage = t.def.create(t.attrs, env);
      pipe.insert(node);
    }
    return true;
  }

  removeToxic(name: string, bothStreams: boolean): void {
    const a = this.up.remove(name, true);
    const b = this.down.remove(name, true);
    if (bothStreams && (a || b)) {
      this.halfOpen = Math.max(0, this.halfOpen - 1);
      // The sockets were kept open while half-open; whatever ended meanwhile ends now.
      if (this.client.readableEnded) this.up.srcEnded();
      if (this.server.readableEnded) this.down.srcEnded();
    }
  }

  private env(t: StageToxicInstance, stream: Stream, pipe: Pipe, rng: ReturnType<typeof createRng>): StageEnv {
    const host = this.host;
    return {
      link: this,
      stream,
      toxic: t.spec.name,
      rng,
      sched: host.sched,
      next: pipe.sink,
      end: pipe.sinkEnd,
      discard: pipe.discard,
      shared: t.shared,
      addedAt: t.addedAt,
      fault: (action: FaultAction, u?: Unit, detail?: FaultEvent['detail']) => {
        this.faults[t.spec.name] = (this.faults[t.spec.name] ?? 0) + 1;
        const p = u?.packet;
        host.emitFault({
          time: host.sched.now(),
          link: this.id,
          ...(this.clientId !== undefined ? { clientId: this.clientId } : {}),
          toxic: t.spec.name,
          action,
          ...(p !== undefined
            ? {
                packet: {
                  type: p.type,
                  ...(p.packetId !== undefined ? { packetId: p.packetId } : {}),
                  ...(p.topic !== undefined ? { topic: p.topic } : {}),
                },
              }
            : {}),
          direction: stream,
          ...(detail !== undefined ? { detail } : {}),
        });
      },
    };
  }

  private closed(): void {
    if (this.closedAt !== undefined) return;
    this.closedAt = this.host.sched.now();
    this.up.disposeAll();
    this.down.disposeAll();
    this.host.linkClosed(this);
  }

  /** Destroys both sockets (proxy shutdown). */
  destroy(): void {
    this.client.destroy();
    this.server.destroy();
  }

  stats(): LinkStats {
    return {
      id: this.id,
      ...(this.clientId !== undefined ? { clientId: this.clientId } : {}),
      ...(this.protocolLevel !== undefined ? { protocolLevel: this.protocolLevel } : {}),
      mode: this.mode,
      ...(this.fallbackReason !== undefined ? { fallbackReason: this.fallbackReason } : {}),
      ...(this.firstViolation !== undefined ? { firstViolation: this.firstViolation } : {}),
      open: this.open,
      openedAt: this.openedAt,
      ...(this.closedAt !== undefined ? { closedAt: this.closedAt } : {}),
      upstream: this.up.stats,
      downstream: this.down.stats,
      faults: { ...this.faults },
    };
  }
}
