import { ExpectationError, describePacket, type CloseInfo } from '../../src/client/index.ts';
import type { Packet } from '../../src/codec/index.ts';
import { AdvisoryError } from './failure-classes.ts';
import { WorldPackets } from './world-packets.ts';

/** A reason code as written in the spec: 0x87. */
export const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * Ending connections: the broker closing one (silently, or saying why with a reason code), a
 * connection that stays open, and the client disconnecting or dropping its own.
 */
export class WorldClose extends WorldPackets {
  /** Closed by the broker with no packet received that no step claimed (no CONNACK, no DISCONNECT...). */
  async closedSilently(name: string, withinMs?: number): Promise<void> {
    await this.closed(name, withinMs);
    const c = this.client(name);
    if (c.inbox.length > 0) {
      throw new ExpectationError(
        `${name}: the broker sent ${c.inbox.map(describePacket).join('; ')} before closing; expected no packet`,
      );
    }
  }

  async closed(name: string, withinMs?: number): Promise<CloseInfo> {
    let info: CloseInfo;
    try {
      info = await this.client(name).expectClosed(withinMs ?? this.waitMs);
    } catch (e) {
      throw this.undetected(name, (e as Error).message) ?? e;
    }
    if (info.byUs) throw new Error(`the connection of "${name}" was closed by the test itself, not by the broker`);
    return info;
  }

  /**
   * A 5.0 broker that kept the connection open and said nothing about a malformed packet or a
   * protocol error did not detect it; 4.13.1 leaves the rigor of checks to the implementation,
   * and MQTT-4.13.1-1 binds a server that detects one. When that is all the step checks, its
   * failure is an advisory finding, not a violation.
   */
  undetected(name: string, observed: string): AdvisoryError | undefined {
    const st = this.account.stepStatements;
    if (st.length === 0 || !st.every((s) => s.version === '5.0' && s.id === 'MQTT-4.13.1-1')) return undefined;
    const said = this.trace.entries.some(
      (t) =>
        t.client === name &&
        t.direction === 'received' &&
        (t.packet?.type === 'disconnect' || t.packet?.type === 'connack') &&
        (t.packet.reasonCode ?? 0) >= 0x80,
    );
    if (said) return undefined;
    return new AdvisoryError(
      `${observed}\nThe broker did not detect the malformed packet or protocol error: it went on as if the packet were valid and sent no reason code. ` +
        'MQTT 5.0 4.13.1 leaves the rigor of checking received packets to the implementation, and MQTT-4.13.1-1 binds a server that detects one: an advisory finding, not a failure.',
    );
  }

  /**
   * Closed by the broker. If the broker said why before closing (a DISCONNECT, or a CONNACK
   * no step claimed), its reason code must be `code`; with `required` it must have said so
   * with a DISCONNECT.
   */
  async closedWithReason(name: string, codes0: number[], required: boolean, withinMs?: number): Promise<void> {
    // 4.13.1: for a malformed packet or a protocol error the server uses 0x81 or 0x82 (unless a
    // more specific code is defined), so either answers a scenario that names one of them.
    const codes = codes0.some((c) => c === 0x81 || c === 0x82) ? [...new Set([...codes0, 0x81, 0x82])] : codes0;
    const info = await this.closed(name, withinMs);
    const c = this.client(name);
    const connack = c.inbox.find((p) => p.type === 'connack');
    const said = info.disconnect ?? (required ? undefined : connack);
    this.account.optionalPacket(said !== undefined, said?.type === 'connack' ? 'CONNACK' : 'DISCONNECT');
    const got = said ? (said.reasonCode ?? 0) : undefined;
    const want = codes.map(hex).join(' or ');
    if (got === undefined && required) {
      throw new ExpectationError(
        `${name}: the broker closed the connection without a DISCONNECT (expected reason code ${want})`,
      );
    }
    if (said && !codes.includes(got!)) {
      throw new ExpectationError(
        `${name}: the broker closed the connection after ${describePacket(said)}; expected reason code ${want}`,
      );
    }
    if (said === connack && connack) c.inbox.splice(c.inbox.indexOf(connack), 1);
  }

  async staysOpen(name: string, forMs: number): Promise<void> {
    const c = this.client(name);
    await c.expectNothing({ type: 'disconnect' }, forMs);
    if (c.closed) throw new ExpectationError(`${name}: the broker closed the connection within ${forMs} ms`);
  }

  /** Normal DISCONNECT, then close. */
  async disconnect(name: string): Promise<void> {
    const c = this.client(name);
    c.send({ type: 'disconnect' });
    await c.close(this.ms(1000));
  }

  /**
   * Drops the network connection without DISCONNECT (a Will is then published). Resolves once
   * the socket is closed, so a reconnect right after it opens a new connection.
   */
  async drop(name: string): Promise<void> {
    const c = this.client(name);
    c.destroy();
    await c.expectClosed(this.ms(1000)).catch(() => undefined);
  }

  /**
   * Closed by the broker; a DISCONNECT sent before the close must carry a failure code (≥ 0x80),
   * one of `codes` when given.
   */
  async closedWithFailure(name: string, ms: number, codes?: number[]): Promise<void> {
    const info = await this.closed(name, ms);
    // `# checks if sent …` statements of the step are checked only when a DISCONNECT came.
    this.account.optionalPacket(info.disconnect !== undefined, 'DISCONNECT');
    const rc = info.disconnect ? (info.disconnect.reasonCode ?? 0) : undefined;
    if (rc !== undefined && rc < 0x80) {
      throw new ExpectationError(
        `${name}: the broker closed the connection after DISCONNECT reason code ${hex(rc)}; expected a failure code (0x80 or above)`,
      );
    }
    if (rc !== undefined && codes && !codes.includes(rc)) {
      throw new ExpectationError(
        `${name}: the broker closed the connection after DISCONNECT reason code ${hex(rc)}; expected ${codes.map(hex).join(' or ')}`,
      );
    }
  }

  /**
   * The CONNACK `name` gets, or undefined when the broker closed without one and that is allowed
   * (`closeAllowed`): the step's `checks if sent` statements (`what`) are then not applicable.
   */
  async connackOrClose(
    name: string,
    ms: number,
    closeAllowed: boolean,
    what: string,
  ): Promise<Extract<Packet, { type: 'connack' }> | undefined> {
    try {
      return (await this.receive(name, { type: 'connack' }, ms)) as Extract<Packet, { type: 'connack' }>;
    } catch (e) {
      if (!closeAllowed || !this.client(name).closed) throw e;
      this.account.optionalPacket(false, what);
      await this.closed(name, 0);
      return undefined;
    }
  }
}
