import { encodePacket, hexToBuffer, peekConnectHeader, type Packet } from '../../src/codec/index.ts';
import {
  ExpectationError,
  completePacket,
  describePacket,
  mismatch,
  parsePacketSpec,
  prefixRawConnectClientIds,
  type PacketPattern,
} from '../../src/client/index.ts';
import { NotApplicableError } from './capability-guard.ts';
import { WorldConnect } from './world-connect.ts';

/** Whether raw bytes are a CONNECT whose flags say it carries no user name (so no credentials). */
function rawConnectWithoutUsername(b: Buffer): boolean {
  const flags = peekConnectHeader(b)?.flags;
  return flags !== undefined && (flags & 0x80) === 0;
}

/**
 * Sending and receiving single packets in the step grammar (topics prefixed, `packet id last`
 * resolved, defaults filled, capability gates applied), raw bytes, and what a step received.
 */
export class WorldPackets extends WorldConnect {
  /**
   * Sends one packet in a WebSocket TEXT message (MQTT-6.0.0-1 forbids it). Its bytes must all
   * be ASCII, so the text message carries exactly the packet's bytes.
   */
  sendAsWebSocketText(name: string, spec: string): void {
    const c = this.client(name);
    const p = completePacket(this.withTopics(this.resolveLast(name, parsePacketSpec(spec))), c.protocolLevel);
    const bytes = encodePacket(p, c.protocolLevel);
    const bad = bytes.findIndex((b) => b >= 0x80);
    if (bad >= 0)
      throw new Error(
        `${describePacket(p)} is not all ASCII (byte ${bad} is 0x${bytes[bad].toString(16)}), so a text message cannot carry it unchanged`,
      );
    c.sendWebSocketText(bytes.toString('latin1'));
  }

  /** Sends one packet described in the step grammar (topics prefixed, defaults filled). */
  send(name: string, spec: string | PacketPattern): void {
    const c = this.client(name);
    let pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    if (pattern.type === 'connect') pattern = this.prepareConnect(name, pattern);
    const p = completePacket(this.withTopics(pattern), c.protocolLevel);
    this.guardPacket(p, p.type === 'connect' ? p.protocolLevel : c.protocolLevel);
    if (p.type === 'publish' && p.retain && p.payload.length > 0) this.retainedTopics.add(p.topic);
    c.send(p);
  }

  /**
   * Sends raw bytes (hex, `#` comments allowed). A CONNECT among them gets the scenario's
   * client-id prefix in front of its client id (see prefixRawConnectClientIds), so scenarios
   * running at the same time against a shared broker never take over each other's sessions.
   */
  sendRaw(name: string, hex: string): void {
    const bytes = prefixRawConnectClientIds(hexToBuffer(hex), this.idPrefix);
    if (rawConnectWithoutUsername(bytes)) this.rawConnects.add(name);
    this.client(name).sendRaw(bytes);
  }

  /**
   * Sends a CONNECT described in the step grammar (client id and credentials as for
   * `sendConnect`) as raw bytes in two writes, split after `at` bytes: over WebSocket, two
   * binary messages.
   */
  sendConnectSplit(name: string, spec: string, at: number): void {
    const c = this.client(name);
    const p = completePacket(
      this.withTopics(this.prepareConnect(name, parsePacketSpec(`CONNECT ${spec}`))),
      this.level,
    );
    const bytes = encodePacket(p, this.level);
    if (at < 1 || at >= bytes.length) throw new Error(`cannot split a ${bytes.length}-byte CONNECT after byte ${at}`);
    c.sendRaw(bytes.subarray(0, at));
    c.sendRaw(bytes.subarray(at));
  }

  async receive(name: string, spec: string | PacketPattern, withinMs?: number): Promise<Packet> {
    const pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    this.guardPattern(this.withTopics(pattern), this.client(name).protocolLevel, name);
    if (pattern.type === 'suback' && Array.isArray(pattern.reasonCodes) && this.guardCapabilities)
      return this.receiveSuback(name, pattern, withinMs);
    return this.remember(name, await this.client(name).expect(this.withTopics(pattern), withinMs ?? this.waitMs));
  }

  /**
   * A SUBACK expected to grant QoS n may legally grant less (MQTT-3.8.4-6): the scenario then
   * cannot check what it meant to, and is not applicable, naming the SUBACK. Any other
   * difference fails the step as usual.
   */
  private async receiveSuback(name: string, pattern: PacketPattern, withinMs?: number): Promise<Packet> {
    const want = pattern.reasonCodes as unknown[];
    const { reasonCodes: _drop, ...rest } = pattern;
    const got = (await this.client(name).expect(
      this.withTopics(rest as PacketPattern),
      withinMs ?? this.waitMs,
    )) as Extract<Packet, { type: 'suback' }>;
    const lower = want.some(
      (w, i) => typeof w === 'number' && w <= 2 && got.reasonCodes[i] !== undefined && got.reasonCodes[i] < w,
    );
    const otherwise = want.every(
      (w, i) => typeof w !== 'number' || got.reasonCodes[i] === w || (w <= 2 && got.reasonCodes[i] < w),
    );
    if (lower && otherwise && want.length === got.reasonCodes.length) {
      throw new NotApplicableError(
        `the broker granted less than the scenario asked for (${describePacket(got)}, expected reason codes ${JSON.stringify(want)}), as it may`,
      );
    }
    const m = mismatch(got, this.withTopics(pattern));
    if (m)
      throw new ExpectationError(`${name}: got ${describePacket(got)}, expected ${describePacket(pattern)} (${m})`);
    return this.remember(name, got);
  }

  async receiveNext(name: string, spec: string | PacketPattern, withinMs?: number): Promise<Packet> {
    const pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    this.guardPattern(this.withTopics(pattern), this.client(name).protocolLevel, name);
    return this.remember(name, await this.client(name).expectNext(this.withTopics(pattern), withinMs ?? this.waitMs));
  }

  async receiveNothing(name: string, spec: string | undefined, forMs: number): Promise<void> {
    const pattern = spec ? this.withTopics(parsePacketSpec(spec)) : undefined;
    await this.client(name).expectNothing(pattern, forMs);
  }

  /** The first packet matching any of the descriptions. */
  async receiveOneOf(name: string, specs: string[], withinMs?: number): Promise<Packet> {
    const patterns = specs.map((s) => this.withTopics(this.resolveLast(name, parsePacketSpec(s))));
    return this.remember(name, await this.client(name).expectAny(patterns, withinMs ?? this.waitMs));
  }
}
