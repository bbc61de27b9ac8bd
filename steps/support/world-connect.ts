import type { Packet } from '../../src/codec/index.ts';
import {
  ExpectationError,
  TargetError,
  TestClient,
  completePacket,
  describePacket,
  levelOf,
  parsePacketSpec,
  type PacketPattern,
} from '../../src/client/index.ts';
import { WorldBase } from './world-base.ts';
import { NotApplicableError } from './capability-guard.ts';

export type Credentials = 'default' | 'second' | 'none';

/**
 * Connecting named clients: the network connection (TCP, TLS or the target's WebSocket
 * endpoint), the CONNECT with the name's per-scenario client id and the target's credentials,
 * and the CONNACK that accepts it, with the gates a CONNACK can set.
 */
export class WorldConnect extends WorldBase {
  /**
   * Opens a network connection for `name` (no MQTT traffic); a closed earlier one is replaced.
   * `url` dials another endpoint of the target (its WebSocket one) instead of the run's URL.
   */
  async open(name: string, version?: string, url?: string): Promise<TestClient> {
    const old = this.clients.get(name);
    if (old && !old.closed)
      throw new Error(`client "${name}" already has an open connection; close it first or use another name`);
    const run = this.run;
    const c = await TestClient.open({
      url: url ?? this.endpoint ?? run.url,
      connectTimeoutMs: this.ms(3000),
      caFile: run.config.caFile,
      insecure: run.config.insecure,
      name,
      protocolLevel: version ? levelOf(version) : this.level,
      trace: this.trace,
      autoAck: this.autoAck,
    });
    this.clients.set(name, c);
    return c;
  }

  /**
   * Sends CONNECT for `name` (opening a connection first if needed). `spec` holds CONNECT
   * fields in the packet grammar ("clean start false and session expiry 300"). Resolves with
   * the CONNECT sent; `connected` also awaits a successful CONNACK.
   */
  async sendConnect(
    name: string,
    o: { version?: string; spec?: string; credentials?: Credentials } = {},
  ): Promise<TestClient> {
    const existing = this.clients.get(name);
    // A connection this scenario is closing must not be reused: wait until it is gone.
    if (existing && !existing.closed && existing.closing) await existing.close(this.ms(1000));
    const pattern = this.prepareConnect(name, parsePacketSpec(`CONNECT ${o.spec ?? ''}`), o.credentials);
    const level = o.version ? levelOf(o.version) : this.level;
    const packet = completePacket(this.withTopics(pattern), level);
    this.guardPacket(packet, level);
    const c = existing && !existing.closed ? existing : await this.open(name, o.version);
    c.send(packet);
    return c;
  }

  /**
   * Client id and credentials of a CONNECT: no `client id` → the name's scenario id;
   * `client id "x"` → prefixed; `exact client id "x"` → as written; no username/password →
   * the target's credentials (or the second ones, or none).
   */
  protected prepareConnect(name: string, spec: PacketPattern, credentials: Credentials = 'default'): PacketPattern {
    const pattern = { ...spec } as Record<string, unknown>;
    if (typeof pattern.exactClientId === 'string') {
      pattern.clientId = pattern.exactClientId;
      delete pattern.exactClientId;
    } else if (typeof pattern.clientId === 'string') {
      pattern.clientId = pattern.clientId === '' ? '' : this.idPrefix + pattern.clientId;
    } else pattern.clientId = this.clientIdOf(name);
    const cfg = this.run.config;
    if (pattern.username === undefined && pattern.password === undefined) {
      if (credentials === 'second' && cfg.username2 === undefined)
        throw new TargetError('this scenario needs second credentials (username2 / MQTT_USERNAME2)');
      const [u, pw] =
        credentials === 'default'
          ? [cfg.username, cfg.password]
          : credentials === 'second'
            ? [cfg.username2, cfg.password2]
            : [];
      if (u !== undefined) pattern.username = u;
      if (pw !== undefined) pattern.password = Buffer.from(pw);
    }
    return pattern as PacketPattern;
  }

  /**
   * For steps: 'skipped' (not applicable) when the scenario needs second credentials the
   * target configuration does not have; the broker is not at fault then.
   */
  lacksCredentials(credentials: Credentials | undefined): 'skipped' | undefined {
    return credentials === 'second' && this.run.config.username2 === undefined
      ? this.notApplicable(
          'the scenario needs a second identity: set username2 / password2 (MQTT_USERNAME2 / MQTT_PASSWORD2)',
        )
      : undefined;
  }

  /** CONNECT and wait for a CONNACK that accepts it. */
  async connected(name: string, o: { version?: string; spec?: string; credentials?: Credentials } = {}): Promise<void> {
    const c = await this.sendConnect(name, o);
    const asked = parsePacketSpec(`CONNECT ${o.spec ?? ''}`);
    let ack: Packet;
    try {
      ack = await c.expect({ type: 'connack' }, this.waitMs);
    } catch (e) {
      this.guardConnackSize(c, asked);
      throw e;
    }
    if (ack.type === 'connack' && ack.reasonCode !== 0) {
      throw new ExpectationError(`${name}: connection refused: ${describePacket(ack)}`);
    }
    // A scenario that chose its Keep Alive relies on it; a broker that imposes its own makes it not
    // applicable. Keep Alive 0 (off) is only contradicted by a Server Keep Alive short enough for a
    // scenario to notice (the suite never waits a minute; mosquitto answers 0 with 65535).
    const serverKeepAlive = ack.type === 'connack' ? ack.properties?.serverKeepAlive : undefined;
    const k = asked.keepAlive;
    const overridden =
      typeof k === 'number' &&
      serverKeepAlive !== undefined &&
      serverKeepAlive !== k &&
      (k > 0 || serverKeepAlive < 60);
    if (this.guardCapabilities && overridden) {
      throw new NotApplicableError(
        `the scenario connects with Keep Alive ${asked.keepAlive}, and the broker imposes its Server Keep Alive ${serverKeepAlive}`,
      );
    }
  }

  /**
   * The broker closed instead of answering a CONNECT whose Maximum Packet Size is smaller than
   * the CONNACK it sent at discovery: it could not answer within that limit (MQTT-3.1.2-24), so
   * the scenario is not applicable there.
   */
  private guardConnackSize(c: TestClient, asked: PacketPattern): void {
    const max = (asked.properties as { maximumPacketSize?: unknown } | undefined)?.maximumPacketSize;
    const bytes = this.capabilitiesAt(c.protocolLevel)?.connackBytes;
    if (
      this.guardCapabilities &&
      c.closed &&
      typeof max === 'number' &&
      max > 0 &&
      bytes !== undefined &&
      bytes > max
    ) {
      throw new NotApplicableError(
        `the broker's CONNACK (${bytes} bytes at discovery) does not fit the scenario's Maximum Packet Size ${max}`,
      );
    }
  }

  /** The endpoint every client of this scenario dials, when a step chose one other than the run's URL. */
  private endpoint?: string;

  /**
   * Makes every client of this scenario dial the target's WebSocket endpoint (the run's URL when
   * it is ws://, else wsUrl / the embedded broker's WS listener); not applicable without one.
   */
  useWebSocketEndpoint(): 'skipped' | undefined {
    const ws = this.run.wsUrl;
    if (!ws) {
      return this.notApplicable(
        `the target ${this.run.display} has no known WebSocket endpoint (run at a ws:// URL, or set wsUrl / MQTT_WS_URL)`,
      );
    }
    this.endpoint = ws;
    return undefined;
  }

  async connectedOverWebSocket(
    name: string,
    o: { version?: string; spec?: string } = {},
  ): Promise<'skipped' | undefined> {
    const ws = this.run.wsUrl;
    if (!ws) {
      return this.notApplicable(
        `the target ${this.run.display} has no known WebSocket endpoint (run at a ws:// URL, or set wsUrl / MQTT_WS_URL)`,
      );
    }
    await this.open(name, o.version, ws);
    await this.connected(name, o);
    return undefined;
  }
}
