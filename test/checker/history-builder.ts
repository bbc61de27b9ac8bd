/** Terse hand-written histories for checker tests. Each call advances the clock by 10 ms. */
import { ManualClock } from '../../src/common/index.ts';
import { HistoryRecorder, type CheckResult, type Op, type OpValue, type WillValue } from '../../src/checker/index.ts';

type Q = 0 | 1 | 2;

export class HB {
  readonly clock = new ManualClock(0);
  readonly rec = new HistoryRecorder(this.clock);
  private pid = 1;

  private tick(): void {
    this.clock.advance(10);
  }

  connect(
    p: string,
    o: {
      clean?: boolean;
      persistent?: boolean;
      present?: boolean;
      will?: WillValue;
      keepAlive?: number;
      sessionExpiry?: number;
      level?: 4 | 5 | 'none';
    } = {},
  ): this {
    this.tick();
    const clean = o.clean ?? true;
    const value: OpValue = {
      clientId: p,
      cleanStart: clean,
      persistent: o.persistent ?? !clean,
      keepAlive: o.keepAlive ?? 1,
    };
    if (o.will) value.will = o.will;
    if (o.sessionExpiry !== undefined) value.sessionExpiry = o.sessionExpiry;
    if (o.level !== 'none') value.protocolLevel = o.level ?? 4; // recorded histories carry it
    this.rec.invoke(p, 'connect', value, `conn:${p}`);
    this.tick();
    this.rec.complete(`conn:${p}`, 'ok', { sessionPresent: o.present ?? false });
    return this;
  }

  subscribe(p: string, filter: string, qos: Q = 1, granted: number = qos): this {
    this.tick();
    const packetId = this.pid++;
    this.rec.invoke(p, 'subscribe', { filters: [{ filter, qos }], packetId }, `sub:${p}:${packetId}`);
    this.tick();
    this.rec.complete(`sub:${p}:${packetId}`, 'ok', { granted: [granted] });
    return this;
  }

  /** Invoke a publish; complete it with `done` unless told to leave it open. */
  publish(
    p: string,
    msgId: string,
    topic: string,
    qos: Q = 1,
    o: { retain?: boolean; empty?: boolean; done?: 'ok' | 'fail' | 'info' | 'open' } = {},
  ): this {
    this.tick();
    this.rec.invoke(
      p,
      'publish',
      { msgId, topic, qos, retain: o.retain ?? false, ...(o.empty ? { empty: true } : {}) },
      `pub:${msgId}`,
    );
    const done = o.done ?? (qos === 0 ? 'info' : 'ok');
    if (done !== 'open') this.finishPublish(msgId, done);
    return this;
  }

  finishPublish(msgId: string, type: 'ok' | 'fail' | 'info' = 'ok'): this {
    this.tick();
    this.rec.complete(`pub:${msgId}`, type);
    return this;
  }

  recv(
    p: string,
    msgId: string,
    topic: string,
    qos: Q = 1,
    o: { dup?: boolean; retain?: boolean; repeat?: boolean } = {},
  ): this {
    this.tick();
    this.rec.record(p, 'ok', 'receive', {
      msgId,
      topic,
      qos,
      dup: o.dup ?? false,
      retain: o.retain ?? false,
      ...(o.repeat ? { repeat: true } : {}),
    });
    return this;
  }

  disconnect(p: string): this {
    this.tick();
    this.rec.invoke(p, 'disconnect', {}, `disc:${p}`);
    this.tick();
    this.rec.complete(`disc:${p}`, 'ok');
    return this;
  }

  drop(p: string, reason = 'network'): this {
    this.tick();
    this.rec.record(p, 'info', 'drop', { reason });
    return this;
  }

  fault(clientId: string, action: string, packet?: string): this {
    this.tick();
    this.rec.fault({ clientId, action, toxic: action, packet, link: clientId, direction: 'upstream' });
    return this;
  }

  wait(ms: number): this {
    this.clock.advance(ms);
    return this;
  }

  get ops(): Op[] {
    return [...this.rec.history];
  }
}

/** Renumbers ops 0..n-1 in their order: a slice read as a complete history of its own. */
export const asComplete = (ops: Op[]): Op[] => ops.map((o, i) => ({ ...o, index: i }));

/**
 * Asserts-by-return that a witness is 1-minimal: it fails, and dropping any one op makes it not
 * fail. Each slice is judged as a complete history (a witness has index gaps by design).
 */
export function witnessIsMinimal(
  check: (h: Op[]) => CheckResult,
  r: CheckResult,
): { fails: boolean; removable: number[] } {
  const w = r.witness ?? [];
  const fails = check(asComplete(w)).verdict === 'invalid';
  const removable: number[] = [];
  for (let i = 0; i < w.length; i++) {
    const sub = w.slice(0, i).concat(w.slice(i + 1));
    if (check(asComplete(sub)).verdict === 'invalid') removable.push(w[i].index);
  }
  return { fails, removable };
}
