/**
 * Routes one Application Message to every matching session (4.5, 4.7, 4.8) and hands each
 * delivery to the session: QoS 0 straight to a live connection, QoS>0 through the session's
 * OutboundQos window. Overlapping subscriptions of one client (5.0 and 3.1.1 alike) give ONE
 * copy at the highest granted QoS carrying every matching Subscription Identifier (3.3.4-2..4);
 * shared groups are served separately, one member per group, round-robin preferring connected
 * members. No I/O beyond calling the session's link.
 */
import type { QoS } from '../codec/packet-types.ts';
import { isExpired, OutState, type Message, type Outgoing } from './message.ts';
import type { Persistence } from './persistence.ts';
import type { Session, SubEntry } from './session.ts';
import { MatchResult, TopicTree, type SharedGroup } from './topic-tree.ts';
import { isProblem, parseFilter } from './topic-validate.ts';

export class Router {
  readonly tree = new TopicTree<SubEntry>();
  private readonly result = new MatchResult<SubEntry>();
  private readonly targets: Session[] = [];
  private readonly dropped: Outgoing[] = [];
  private epoch = 0;

  constructor(
    private readonly persistence: Persistence,
    /** Variant: one copy per matching subscription instead of one per client (3.3.4 MAY). */
    private readonly copyPerSubscription = false,
  ) {}

  /** Route a message; returns the number of sessions it was handed to. `now` (broker clock) is read only when the message has an expiry. */
  route(msg: Message, now: number): number {
    if (isExpired(msg, now)) return 0;
    const res = this.tree.match(msg.topic, this.result);
    const subs = res.subs;
    let n = 0;
    if (subs.length === 1) {
      const e = subs[0];
      if (!(e.noLocal && e.session.clientId === msg.publisher)) {
        this.deliver(
          e.session,
          msg,
          minQos(msg.qos, e.qos),
          forwardRetain(e, msg),
          e.subscriptionId === undefined ? undefined : [e.subscriptionId],
        );
        n++;
      }
    } else if (subs.length > 1) {
      n += this.routeMany(msg, subs);
    }
    if (res.groups.length > 0) {
      // copy: deliver() may re-enter the tree through the session link
      const groups = res.groups.slice();
      for (const g of groups) if (this.routeShared(msg, g)) n++;
    }
    return n;
  }

  private routeMany(msg: Message, subs: SubEntry[]): number {
    if (this.copyPerSubscription) return this.routeEach(msg, subs);
    const epoch = ++this.epoch;
    const targets = this.targets;
    targets.length = 0;
    for (let i = 0; i < subs.length; i++) {
      const e = subs[i];
      const s = e.session;
      if (e.noLocal && s.clientId === msg.publisher) continue;
      const q = minQos(msg.qos, e.qos);
      const r = forwardRetain(e, msg);
      // Per-session scratch fields merge overlapping subscriptions without allocating.
      if (s.routeEpoch !== epoch) {
        s.routeEpoch = epoch;
        s.routeQos = q;
        s.routeRetain = r;
        s.routeSubIds = e.subscriptionId === undefined ? undefined : [e.subscriptionId];
        targets.push(s);
      } else {
        if (q > s.routeQos) s.routeQos = q;
        s.routeRetain ||= r;
        if (e.subscriptionId !== undefined) (s.routeSubIds ??= []).push(e.subscriptionId);
      }
    }
    const list = targets.slice();
    for (const s of list) {
      const subIds = s.routeSubIds;
      s.routeSubIds = undefined;
      this.deliver(s, msg, s.routeQos, s.routeRetain, subIds);
    }
    return list.length;
  }

  /** One copy per matching subscription, each at its own QoS with its own Subscription Identifier (3.3.4-5). */
  private routeEach(msg: Message, subs: SubEntry[]): number {
    const list = subs.slice(); // deliver() may re-enter the tree through the session link
    let n = 0;
    for (const e of list) {
      if (e.noLocal && e.session.clientId === msg.publisher) continue;
      this.deliver(
        e.session,
        msg,
        minQos(msg.qos, e.qos),
        forwardRetain(e, msg),
        e.subscriptionId === undefined ? undefined : [e.subscriptionId],
      );
      n++;
    }
    return n;
  }

  private routeShared(msg: Message, g: SharedGroup<SubEntry>): boolean {
    const members = [...g.members.values()];
    if (members.length === 0) return false;
    let pick: SubEntry | undefined;
    for (let i = 0; i < members.length; i++) {
      const e = members[(g.cursor + i) % members.length];
      if (e.session.conn) {
        pick = e;
        g.cursor = (g.cursor + i + 1) % members.length;
        break;
      }
    }
    if (!pick) {
      pick = members[g.cursor % members.length];
      g.cursor = (g.cursor + 1) % members.length;
    }
    this.deliver(
      pick.session,
      msg,
      minQos(msg.qos, pick.qos),
      forwardRetain(pick, msg),
      pick.subscriptionId === undefined ? undefined : [pick.subscriptionId],
      pick.filter,
    );
    return true;
  }

  /**
   * Offer a shared-subscription delivery that `from` cannot make (it went offline or ended)
   * to another connected member of the same group (4.8.2). False when there is none.
   */
  reroute(o: Outgoing, from: Session): boolean {
    if (o.share === undefined) return false;
    const parsed = parseFilter(o.share, 5);
    if (isProblem(parsed) || parsed.group === undefined) return false;
    const g = this.tree.group(parsed.filter, parsed.group);
    if (!g) return false;
    for (const e of g.members.values()) {
      if (e.session === from || !e.session.conn) continue;
      this.deliver(
        e.session,
        o.msg,
        minQos(o.msg.qos, e.qos),
        o.retain,
        e.subscriptionId === undefined ? undefined : [e.subscriptionId],
        e.filter,
      );
      return true;
    }
    return false;
  }

  /** Hand one delivery to one session. (misbehave.ts may replace this on one instance.) */
  deliver(s: Session, msg: Message, qos: QoS, retain: boolean, subIds: number[] | undefined, share?: string): void {
    if (s.ended) return;
    if (qos === 0) {
      s.conn?.sendQos0(msg, retain, subIds);
      return;
    }
    this.submit(s, msg, qos, retain, subIds, share);
  }

  private submit(
    s: Session,
    msg: Message,
    qos: QoS,
    retain: boolean,
    subIds: number[] | undefined,
    share: string | undefined,
  ): void {
    const o: Outgoing = {
      seq: s.out.newSeq(),
      msg,
      qos,
      retain,
      subIds,
      packetId: 0,
      state: OutState.Queued,
      sent: false,
    };
    if (share !== undefined) o.share = share;
    const dropped = this.dropped;
    dropped.length = 0;
    const ready = s.out.submit(o, s.conn !== null, dropped);
    if (s.persistent) {
      if (dropped[0] !== o) this.persistence.putOutbound(s.clientId, o);
      for (const d of dropped) if (d !== o) this.persistence.removeOutbound(s.clientId, d.seq);
    }
    if (ready && s.conn) s.conn.sendOutgoing(ready);
  }
}

const minQos = (a: QoS, b: QoS): QoS => (a < b ? a : b);

/** RETAIN on a forwarded (not retained-on-subscribe) message: 0 at 3.1.1 (3.3.1-9); Retain As Published at 5.0 (3.3.1-12/13). */
function forwardRetain(e: SubEntry, msg: Message): boolean {
  return msg.retain && e.retainAsPublished === true && e.session.protocolLevel === 5;
}
