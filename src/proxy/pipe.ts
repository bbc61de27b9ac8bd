/**
 * One direction of a link: source socket → framing → toxic chain → destination socket.
 * With no MQTT-aware toxic on the stream, chunks are only scanned for packet boundaries and
 * statistics and forwarded whole; otherwise they are split into packets for the stages.
 */
import type { Socket } from 'node:net';
import { decodePacket } from '../codec/index.ts';
import type { ProtocolLevel } from '../codec/packet-types.ts';
import { looksLikeConnect, MqttFramer, packetNames } from './mqtt-frame.ts';
import type { Stage } from './toxics/toxic.ts';
import type { DirectionStats, PacketInfo, Stream, Unit } from './types.ts';

const HIGH_WATER = 1 << 20;
const LOW_WATER = 1 << 18;

export interface PipeHost {
  /** The upstream CONNECT passed (client id, protocol level known). */
  onConnect(p: PacketInfo): void;
  /** Framing failed; the link goes to byte mode in both directions. */
  fallback(reason: string): void;
  /** The source ended with an error: pass on a reset instead of a FIN. */
  readonly resetOnEnd: boolean;
  /** Strict decoding with the codec (costly; off by default). */
  readonly decode: boolean;
  /** The link's protocol level (from CONNECT), for decoding the other packets. */
  readonly protocolLevel: ProtocolLevel;
  /** A packet the codec rejected. */
  violation(message: string): void;
}

export interface ChainNode {
  name: string;
  mqtt: boolean;
  stage: Stage;
  next: ChainNode | null;
}

export class Pipe {
  private bytes = 0;
  private packets = 0;
  private violations = 0;
  /** Packets by type number (0..15): a typed-array bump is cheaper on the hot path than a keyed object. */
  private readonly byTypeNum = new Float64Array(16);
  mode: 'mqtt' | 'bytes';
  private readonly framer = new MqttFramer();
  private needConnect: boolean;
  private first: ChainNode | null = null;
  private mqttStages = 0;
  private inflight = 0;
  private sinkBlocked = false;
  private paused = false;
  private stalled = false;
  private heldOut: Unit[] = [];
  private endPending = false;
  private sinkEnded = false;
  /** Blackholed admission: nothing is read until released. */
  gated = false;

  constructor(
    private readonly host: PipeHost,
    readonly stream: Stream,
    private readonly src: Socket,
    private readonly dst: Socket,
    mqtt: boolean,
  ) {
    this.mode = mqtt ? 'mqtt' : 'bytes';
    this.needConnect = mqtt && stream === 'upstream';
    dst.on('drain', () => {
      this.sinkBlocked = false;
      this.flow();
    });
  }

  get splitting(): boolean {
    return this.mode === 'mqtt' && (this.needConnect || this.mqttStages > 0 || this.host.decode);
  }

  private readonly count = (byte0: number): void => {
    this.packets++;
    this.byTypeNum[byte0 >> 4]++;
  };

  /** A fresh snapshot of this direction's counters. */
  get stats(): DirectionStats {
    const byType: DirectionStats['byType'] = {};
    for (let t = 0; t < 16; t++) if (this.byTypeNum[t] > 0) byType[packetNames[t]] = this.byTypeNum[t];
    return {
      bytes: this.bytes,
      packets: this.packets,
      ...(this.violations > 0 ? { violations: this.violations } : {}),
      byType,
    };
  }

  /** Source 'data' handler. */
  onData(chunk: Buffer): void {
    this.inflight += chunk.length;
    this.bytes += chunk.length;
    if (this.mode === 'bytes') return this.enter({ bytes: chunk });
    if (!this.splitting && !this.framer.splitPending()) {
      if (this.framer.scan(chunk, this.count) < 0) this.host.fallback(`${this.stream}: ${this.framer.failed?.message}`);
      return this.enter({ bytes: chunk });
    }
    if (this.needConnect && this.bytes === chunk.length && chunk[0] >> 4 !== 1) {
      this.host.fallback(`upstream: first byte 0x${chunk[0].toString(16)} is not a CONNECT`);
      return this.enter({ bytes: chunk });
    }
    this.dst.cork();
    const ok = this.framer.split(chunk, this.onUnit);
    if (!ok) {
      this.host.fallback(`${this.stream}: ${this.framer.failed?.message} at byte ${this.framer.failed?.offset}`);
      if (this.framer.failedRest !== undefined) this.enter({ bytes: this.framer.failedRest });
    } else if ((this.mode as Pipe['mode']) === 'bytes') {
      const rest = this.framer.takePending();
      if (rest !== undefined) this.enter({ bytes: rest });
    }
    this.dst.uncork();
  }

  private readonly onUnit = (u: Unit): void => {
    const p = u.packet;
    if (p !== undefined) {
      this.count(u.bytes[0]);
      if (this.needConnect) {
        this.needConnect = false;
        const bad = looksLikeConnect(u.bytes);
        if (bad !== undefined) this.host.fallback(`upstream: ${bad}`);
        else this.host.onConnect(p);
      }
      if (this.host.decode && this.mode === 'mqtt') this.decode(u.bytes, p);
    }
    this.enter(u);
  };

  private decode(frame: Buffer, p: PacketInfo): void {
    const r = decodePacket(frame, {
      protocolLevel: this.host.protocolLevel,
      from: this.stream === 'upstream' ? 'client' : 'server',
    });
    if (r.ok) p.decoded = r.packet;
    else {
      p.violation = `${r.violation.statement.id}: ${r.violation.message}`;
      this.violations++;
      this.host.violation(`${this.stream} ${p.type}: ${p.violation}`);
    }
  }

  private enter(u: Unit): void {
    if (this.first === null) this.sink(u);
    else this.first.stage.push(u);
  }

  /** The last stage hands units here. */
  readonly sink = (u: Unit): void => {
    this.inflight = Math.max(0, this.inflight - u.bytes.length);
    if (this.stalled) {
      this.heldOut.push(u);
      return;
    }
    if (this.sinkEnded || this.dst.destroyed || this.dst.writableEnded) return;
    if (!this.dst.write(u.bytes)) {
      this.sinkBlocked = true;
      this.flow();
    } else if (this.paused) this.flow();
  };

  readonly discard = (u: Unit): void => {
    this.inflight = Math.max(0, this.inflight - u.bytes.length);
    if (this.paused) this.flow();
  };

  /** The source ended: pass end-of-stream down the chain. */
  srcEnded(): void {
    if (this.first === null) this.sinkEnd();
    else this.first.stage.end();
  }

  readonly sinkEnd = (): void => {
    if (this.stalled) {
      this.endPending = true;
      return;
    }
    if (this.sinkEnded) return;
    this.sinkEnded = true;
    if (this.dst.destroyed) return;
    if (this.host.resetOnEnd) this.dst.resetAndDestroy();
    else this.dst.end();
  };

  /** Holds all output (and stops reading) until stall(false). */
  stall(on: boolean): void {
    if (this.stalled === on) return;
    this.stalled = on;
    if (!on) {
      const held = this.heldOut;
      this.heldOut = [];
      for (const u of held) this.sink(u);
      if (this.endPending) this.sinkEnd();
    }
    this.flow();
  }

  /** Pauses or resumes reading from the source as flow conditions require. */
  flow(): void {
    const stop = this.gated || this.stalled || this.sinkBlocked || this.inflight > HIGH_WATER;
    if (stop && !this.paused) {
      this.paused = true;
      this.src.pause();
    } else if (!stop && this.paused && this.inflight < LOW_WATER) {
      this.paused = false;
      this.src.resume();
    }
  }

  /** Byte mode from now on (framing failed or is off). */
  toBytes(): void {
    this.mode = 'bytes';
    this.needConnect = false;
  }

  /** Adds a stage: MQTT-aware stages go before all byte stages, otherwise in insertion order. */
  insert(node: ChainNode): void {
    if (node.mqtt) this.mqttStages++;
    let prev: ChainNode | null = null;
    let cur = this.first;
    while (cur !== null && (!node.mqtt || cur.mqtt)) {
      prev = cur;
      cur = cur.next;
    }
    node.next = cur;
    if (prev === null) this.first = node;
    else prev.next = node;
  }

  /** Removes a stage; what it held is passed on (flush) or dropped. */
  remove(name: string, flush: boolean): boolean {
    let prev: ChainNode | null = null;
    for (let cur = this.first; cur !== null; prev = cur, cur = cur.next) {
      if (cur.name !== name) continue;
      if (prev === null) this.first = cur.next;
      else prev.next = cur.next;
      if (cur.mqtt) this.mqttStages--;
      cur.stage.dispose(flush);
      return true;
    }
    return false;
  }

  disposeAll(): void {
    for (let cur = this.first; cur !== null; cur = cur.next) cur.stage.dispose(false);
    this.first = null;
    this.mqttStages = 0;
    this.heldOut = [];
  }

  names(): string[] {
    const out: string[] = [];
    for (let cur = this.first; cur !== null; cur = cur.next) out.push(cur.name);
    return out;
  }
}
