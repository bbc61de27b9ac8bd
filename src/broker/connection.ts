/**
 * The I/O shell for one client: turns socket events into the protocol core's events (bytes ->
 * frames and decoded packets with the codec's PacketReader; end, close, error) and carries out
 * the core's actions: the transport's (writes batched per event-loop tick with cork/uncork;
 * closing the socket) and, inherited from BrokerEffects (conn-effects.ts), the broker-side ones
 * (route, persist, sync, timers, session end). Any exception inside closes only this
 * connection. The protocol lives in conn-core.ts.
 */
import type { Duplex } from 'node:stream';
import {
  bodyOffset,
  PacketReader,
  peekConnectHeader,
  type ProtocolLevel,
  type ProtocolViolation,
} from '../codec/index.ts';
import type { BrokerContext } from './context.ts';
import { ConnCore } from './conn-core.ts';
import { ConnState, type ConnSink, type ConnStateT } from './conn-api.ts';
import { BrokerEffects } from './conn-effects.ts';

// Listeners are shared functions (not per-connection closures) to keep idle connections small.
const CONN = Symbol('mqtt-harness.connection');

/**
 * The level of a broken first CONNECT. The reader falls back to 5 when the CONNECT is too short
 * to show its level: such a CONNECT, or one not named "MQTT" (version unknown), is refused by the
 * close alone, never by a 5.0 CONNACK that a 3.1.1 client could not read (a fuzz finding; 3.1.1
 * MQTT-3.1.4-1).
 */
function violationLevel(v: ProtocolViolation, level: ProtocolLevel, chunk: Buffer, isNew: boolean): ProtocolLevel {
  if (!isNew || v.packetType !== 1 || level !== 5) return level;
  return peekConnectHeader(chunk)?.level === 5 && namedMqtt(chunk) ? 5 : 4;
}

/** The CONNECT at the start of `b` names the protocol "MQTT". */
function namedMqtt(b: Buffer): boolean {
  const i = bodyOffset(b);
  return i >= 0 && b.length >= i + 6 && b.readUInt16BE(i) === 4 && b.toString('latin1', i + 2, i + 6) === 'MQTT';
}
type Tagged = Duplex & { [CONN]: Connection };
function onStreamData(this: Duplex, chunk: Buffer): void {
  (this as Tagged)[CONN].onData(chunk);
}
function onStreamGone(this: Duplex): void {
  (this as Tagged)[CONN].core.cleanup();
}
function onStreamEnd(this: Duplex): void {
  (this as Tagged)[CONN].core.close();
}
function uncork(c: Connection): void {
  c.corked = false;
  c.stream.uncork();
}
/** A connected client's reader is dropped after this long without input (it is rebuilt on the next byte). */
const READER_IDLE_MS = 1000;

export class Connection extends BrokerEffects implements ConnSink {
  readonly core: ConnCore;
  corked = false;
  /** Null while the connection idles (see idle()); `reader` rebuilds it. */
  private rd: PacketReader | null;

  constructor(
    ctx: BrokerContext,
    readonly stream: Duplex,
    transport: string,
    remoteAddress: string | undefined,
  ) {
    super(ctx);
    this.rd = new PacketReader({ maximumPacketSize: ctx.caps.maximumPacketSize, from: 'client' });
    this.core = new ConnCore(ctx, this, transport, remoteAddress);
    (stream as Tagged)[CONN] = this;
    stream.on('data', onStreamData);
    stream.on('error', onStreamGone);
    stream.on('close', onStreamGone);
    stream.on('end', onStreamEnd);
  }

  /** The framer/decoder; rebuilt at the negotiated level after an idle spell released it. */
  get reader(): PacketReader {
    return (this.rd ??= new PacketReader({
      protocolLevel: this.core.protocolLevel,
      maximumPacketSize: this.ctx.caps.maximumPacketSize,
      from: 'client',
    }));
  }

  onData(chunk: Buffer): void {
    const core = this.core;
    if (core.state === ConnState.Closed) return;
    core.onInput(this.ctx.scheduler.now());
    try {
      const reader = this.reader;
      const results = reader.push(chunk);
      for (let i = 0; i < results.length; i++) {
        if ((core.state as ConnStateT) === ConnState.Closed) return; // a handler may close it
        const r = results[i];
        if (!r.ok)
          return core.onViolation(
            r.violation,
            violationLevel(r.violation, reader.protocolLevel, chunk, core.state === ConnState.New),
          );
        core.onPacket(r.packet);
      }
    } catch (e) {
      core.fail(e);
    }
  }

  // ---- ConnSink: the core's transport output (ConnEffects: inherited) ----

  send(buf: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(uncork, this);
    }
    this.stream.write(buf);
  }

  end(): void {
    const st = this.stream;
    if (!st.destroyed) st.end(() => st.destroy());
    this.ctx.scheduler.setTimer(2000, () => st.destroy());
  }

  get writableLength(): number {
    return this.stream.writableLength;
  }

  idle(idleMs: number, busy: boolean): void {
    const rd = this.rd;
    if (rd !== null && idleMs >= READER_IDLE_MS && rd.buffered === 0 && !rd.dead && !busy) this.rd = null;
  }
}
