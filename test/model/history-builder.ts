/** A small builder for hand-written model histories: each call advances time by 1 ms. */
import type { HEvent, QoS, SubReq, WillSpec } from '../../src/model/types.ts';

export class H {
  readonly events: HEvent[] = [];
  private t = 0;
  private conn = 0;
  private tick(): number {
    return (this.t += 1);
  }
  connect(
    clientId: string,
    o: { clean?: boolean; expiry?: number; will?: WillSpec; rm?: number; sp?: boolean } = {},
  ): number {
    const c = ++this.conn;
    const t = this.tick();
    this.events.push({
      k: 'connect',
      t,
      t1: this.tick(),
      conn: c,
      clientId,
      clean: o.clean ?? true,
      expiry: o.expiry,
      will: o.will,
      receiveMaximum: o.rm,
      sessionPresent: o.sp ?? false,
      reasonCode: 0,
    });
    return c;
  }
  sub(conn: number, filter: string, qos: QoS, opts: Omit<SubReq, 'filter' | 'qos'> = {}, granted?: number): this {
    const t = this.tick();
    this.events.push({
      k: 'subscribe',
      t,
      t1: this.tick(),
      conn,
      subs: [{ filter, qos, ...opts }],
      granted: [granted ?? qos],
    });
    return this;
  }
  unsub(conn: number, filter: string): this {
    const t = this.tick();
    this.events.push({ k: 'unsubscribe', t, t1: this.tick(), conn, filters: [filter] });
    return this;
  }
  pub(
    conn: number,
    msg: string,
    topic: string,
    qos: QoS,
    o: { retain?: boolean; empty?: boolean; acked?: boolean } = {},
  ): this {
    this.events.push({
      k: 'publish',
      t: this.tick(),
      conn,
      msg,
      topic,
      qos,
      retain: o.retain ?? false,
      empty: o.empty ?? false,
    });
    if (o.acked !== false) this.events.push({ k: 'published', t: this.tick(), conn, msg });
    return this;
  }
  recv(
    conn: number,
    msg: string | undefined,
    topic: string,
    qos: QoS,
    o: { retain?: boolean; dup?: boolean; pid?: number; subIds?: number[]; ack?: boolean } = {},
  ): this {
    const pid = qos > 0 ? (o.pid ?? 1) : undefined;
    this.events.push({
      k: 'receive',
      t: this.tick(),
      conn,
      topic,
      msg,
      qos,
      retain: o.retain ?? false,
      dup: o.dup ?? false,
      packetId: pid,
      subIds: o.subIds,
    });
    if (pid !== undefined && o.ack !== false) this.events.push({ k: 'ack', t: this.tick(), conn, packetId: pid });
    return this;
  }
  ack(conn: number, pid: number): this {
    this.events.push({ k: 'ack', t: this.tick(), conn, packetId: pid });
    return this;
  }
  disconnect(conn: number, abrupt = false): this {
    this.events.push({ k: 'disconnect', t: this.tick(), conn, abrupt });
    return this;
  }
  wait(ms: number): this {
    this.t += ms;
    return this;
  }
  end(): HEvent[] {
    this.events.push({ k: 'end', t: this.tick(), settled: true });
    return this.events;
  }
}
