/**
 * Session lifecycle (3.1.2.4 Clean Start / Clean Session, 3.1.2.11.2 Session Expiry, 3.1.3.2.2
 * Will Delay): create, resume, close, expire, end, and restore from persistence.
 */
import type { ProtocolLevel } from '../codec/packet-types.ts';
import { OutState, type Message } from './message.ts';
import { NEVER_EXPIRES, type ResolvedLimits } from './options.ts';
import type { PersistedState, Persistence, SubscriptionRecord } from './persistence.ts';
import type { Router } from './router.ts';
import { Session, type SubEntry } from './session.ts';
import { parseFilter, isProblem } from './topic-validate.ts';
import type { Logger } from './logger.ts';
import type { Scheduler } from '../common/index.ts';

export class SessionManager {
  readonly sessions = new Map<string, Session>();

  constructor(
    private readonly router: Router,
    private readonly persistence: Persistence,
    private readonly limits: ResolvedLimits,
    private readonly logger: Logger,
    /** Publish a will (or any broker-originated message) through the normal path. */
    private readonly publish: (msg: Message) => void,
    private readonly scheduler: Scheduler,
  ) {}

  /**
   * Attach a new connection's session: discard on clean start, else resume or create.
   * `expiry` is the effective Session Expiry Interval in seconds.
   */
  open(
    clientId: string,
    level: ProtocolLevel,
    clean: boolean,
    expiry: number,
    connectExpiryWasZero: boolean,
  ): { session: Session; present: boolean } {
    let s = this.sessions.get(clientId);
    if (s && clean) {
      this.end(s, 'clean start'); // 3.1.1 MQTT-3.1.2-6 / 5.0 MQTT-3.1.2-4
      s = undefined;
    }
    const present = s !== undefined;
    if (!s) {
      s = new Session(clientId, level, this.limits.maxQueuedMessages, this.limits.queueDropPolicy);
      this.sessions.set(clientId, s);
    } else {
      // 5.0 MQTT-3.1.3-9: a new connection before the will delay passes cancels the will.
      s.pendingWill = null;
      s.clearTimers();
    }
    s.protocolLevel = level;
    s.expiryInterval = expiry;
    s.connectExpiryWasZero = connectExpiryWasZero;
    s.disconnectedAt = undefined;
    s.out.receiveMaximum = 65535;
    if (s.persistent) this.persistence.putSession(s.toRecord());
    else if (present) this.persistence.deleteSession(clientId);
    return { session: s, present };
  }

  /** The connection went away. `will` is null after a normal DISCONNECT. `willDelay` in seconds. */
  closed(s: Session, now: number, will: Message | null, willDelay: number): void {
    s.conn = null;
    if (s.ended) {
      if (will) this.publish(will);
      return;
    }
    s.disconnectedAt = now;
    const ms = s.expiresInMs(now);
    if (ms === 0) {
      if (will) s.pendingWill = will;
      this.end(s, 'session expiry 0');
      return;
    }
    if (will) {
      if (willDelay <= 0) this.publish(will);
      else {
        // Persisted with the session (toRecord), so a restart keeps waiting for it.
        s.pendingWill = will;
        s.willFireAt = now + willDelay * 1000;
        this.armWill(s, now);
      }
    }
    if (s.persistent) this.persistence.putSession(s.toRecord());
    this.rerouteShared(s, false);
    this.scheduleExpiry(s, ms);
  }

  /**
   * Shared-subscription messages this session can no longer take (4.8.2): queued ones go to
   * another connected member; when the session ends, unacknowledged QoS 1 ones too. QoS 2
   * messages already sent are never re-sent elsewhere (4.8.2-5).
   */
  private rerouteShared(s: Session, ending: boolean): void {
    const candidates = ending ? s.out.all() : s.out.takeQueued();
    for (const o of candidates) {
      const movable = o.state === OutState.Queued || (ending && o.qos === 1);
      if (movable && this.router.reroute(o, s)) {
        if (s.persistent) this.persistence.removeOutbound(s.clientId, o.seq);
      } else if (!ending) s.out.restore(o);
    }
  }

  /** End the session: drop its subscriptions and state; a pending will is published now (3.1.2-8). */
  end(s: Session, why: string): void {
    if (s.ended) return;
    s.ended = true;
    s.clearTimers();
    this.rerouteShared(s, true);
    for (const e of s.subscriptions.values()) this.router.tree.remove(e.match, s.clientId, e.group);
    s.subscriptions.clear();
    s.out.clear();
    s.inbound.clear();
    if (this.sessions.get(s.clientId) === s) this.sessions.delete(s.clientId);
    this.persistence.deleteSession(s.clientId);
    this.logger.debug('session ended', { clientId: s.clientId, why });
    this.fireWill(s);
  }

  addSubscription(s: Session, rec: SubscriptionRecord): { existed: boolean } {
    const parsed = parseFilter(rec.filter, s.protocolLevel);
    if (isProblem(parsed)) throw new Error(`addSubscription: ${parsed.message}`);
    const existed = s.subscriptions.has(rec.filter);
    const entry: SubEntry = { ...rec, session: s, match: parsed.filter, group: parsed.group };
    s.subscriptions.set(rec.filter, entry);
    this.router.tree.add(parsed.filter, s.clientId, entry, parsed.group);
    return { existed };
  }

  removeSubscription(s: Session, filter: string): boolean {
    const e = s.subscriptions.get(filter);
    if (!e) return false;
    s.subscriptions.delete(filter);
    this.router.tree.remove(e.match, s.clientId, e.group);
    return true;
  }

  /** Rebuild sessions, subscriptions and deliveries from persisted state (broker start). */
  restore(state: PersistedState, now: number): void {
    // Wills and endings run once every session is back, so that their wills reach all of them.
    const due: Array<() => void> = [];
    for (const rec of state.sessions) {
      const s = new Session(
        rec.clientId,
        rec.protocolLevel,
        this.limits.maxQueuedMessages,
        this.limits.queueDropPolicy,
      );
      s.expiryInterval = rec.expiryInterval;
      s.connectExpiryWasZero = false;
      // A session that was connected when the broker died counts as disconnected now.
      s.disconnectedAt = rec.disconnectedAt ?? now;
      this.sessions.set(rec.clientId, s);
      for (const sub of rec.subscriptions) {
        try {
          this.addSubscription(s, sub);
        } catch (e) {
          this.logger.warn('dropping unreadable persisted subscription', {
            clientId: rec.clientId,
            filter: sub.filter,
            error: String(e),
          });
        }
      }
      for (const o of state.outbound.get(rec.clientId) ?? []) s.out.restore(o);
      for (const id of state.inbound.get(rec.clientId) ?? []) s.inbound.publish(id);
      if (rec.will) {
        s.pendingWill = rec.will.msg;
        s.willFireAt = rec.will.fireAt;
      }
      const ms = s.expiresInMs(now);
      if (ms === 0) due.push(() => this.end(s, 'expired while broker was down'));
      else {
        this.scheduleExpiry(s, ms);
        if (s.pendingWill) {
          if (s.willFireAt <= now) due.push(() => this.fireWill(s));
          else this.armWill(s, now);
        }
      }
    }
    for (const f of due) f();
  }

  /** Arm the timer of a pending will, due at s.willFireAt (capped by the session's expiry, which fires it too). */
  private armWill(s: Session, now: number): void {
    if (s.willTimer) s.willTimer();
    s.willTimer = this.scheduler.setTimer(Math.min(s.willFireAt - now, s.expiresInMs(now)), () => this.fireWill(s));
  }

  /**
   * Broker shutdown: wills still waiting out their 5.0 Will Delay Interval are published now
   * rather than lost with their timers (they are not persisted, so they could not fire after a
   * restart). Returns how many were published.
   */
  firePendingWills(): number {
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      if (!s.pendingWill) continue;
      this.fireWill(s);
      n++;
    }
    return n;
  }

  /** Stop every timer (broker shutdown). */
  stopTimers(): void {
    for (const s of this.sessions.values()) s.clearTimers();
  }

  private scheduleExpiry(s: Session, ms: number): void {
    if (ms === Infinity || s.expiryInterval === NEVER_EXPIRES) return;
    s.expiryTimer = this.scheduler.setTimer(ms, () => {
      s.expiryTimer = null;
      this.end(s, 'expired');
    });
  }

  private fireWill(s: Session): void {
    const w = s.pendingWill;
    s.pendingWill = null;
    if (s.willTimer) s.willTimer();
    s.willTimer = null;
    if (!w) return;
    // Record that it went out, so that a restart does not publish it again.
    if (s.persistent && !s.ended) this.persistence.putSession(s.toRecord());
    this.publish(w);
  }
}
