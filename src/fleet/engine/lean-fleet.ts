/**
 * The MQTT half of the lean devices: CONNACK and session resume, QoS 1/2 in both directions,
 * subscriptions, publishing with the in-flight window, sleepy devices going back to sleep, and
 * the end of the history. Every operation goes to the OpLog in the checkers' vocabulary.
 */
import type { Packet, QoS } from '../../codec/index.ts';
import type { OpValue } from '../../checker/index.ts';
import { K, LeanLink, type Dev } from './lean-link.ts';

export { K, Dev, type DevInit, type Flight, type FleetOptions } from './lean-link.ts';

export class LeanFleet extends LeanLink {
  /** QoS and retain of the devices' scheduled publications. */
  publishing: { qos: QoS; retain: boolean } = { qos: 1, retain: false };

  /** Arms a device's publishing schedule (`times`: ms after `t0`), one wheel entry at a time. */
  schedule(d: Dev, t0: number, times: readonly number[], topic: string): void {
    if (times.length === 0) return;
    d.pubTimes = times;
    d.pubNext = 0;
    d.pubT0 = t0;
    d.pubTopic = topic;
    this.wheel.at(t0 + times[0], K.schedule, d.slot);
  }

  protected override scheduled(d: Dev): void {
    const times = d.pubTimes;
    if (times === null) return;
    d.pubNext++;
    if (d.pubNext < times.length) this.wheel.at(d.pubT0 + times[d.pubNext], K.schedule, d.slot);
    else d.pubTimes = null;
    if (d.want || d.sleepy) this.publish(d, d.pubTopic, this.publishing.qos, this.publishing.retain);
  }

  // ---- MQTT ----------------------------------------------------------------------------------
  protected override onPacket(d: Dev, p: Packet): void {
    const now = this.o.now();
    switch (p.type) {
      case 'connack': {
        if (d.state !== 1) return;
        if (p.reasonCode !== 0) return this.fail(d, `CONNACK refused 0x${p.reasonCode.toString(16)}`);
        d.state = 2;
        d.attempt = 0;
        d.ever = true;
        this.o.log.op(now, d.cid, 'ok', 'connect', { clientId: d.cid, sessionPresent: p.sessionPresent });
        this.timeline.at(now).connects++;
        this.connectLatency.recordValue(Math.max(1, Math.round((now - d.dialAt) * 1000)));
        if (p.sessionPresent && d.persistent) {
          for (const f of d.flights?.values() ?? []) {
            f.sentAt = now;
            this.send(
              d,
              f.state === 0
                ? {
                    type: 'publish',
                    topic: f.topic,
                    payload: f.payload,
                    qos: f.qos,
                    retain: f.retain,
                    dup: true,
                    packetId: f.pid,
                  }
                : { type: 'pubrel', packetId: f.pid },
            );
          }
        } else {
          for (const f of d.flights?.values() ?? [])
            this.o.log.op(now, d.cid, f.state === 0 ? 'info' : 'ok', 'publish', {
              msgId: f.msgId,
              topic: f.topic,
              qos: f.qos,
              retain: f.retain,
              reason: 'session not resumed',
            });
          d.flights = null;
          d.inQos2 = null;
          if (d.subs.length > 0) {
            d.subOk = false;
            this.subscribe(d);
          }
        }
        return this.pump(d);
      }
      case 'publish': {
        const text = p.payload.toString('latin1');
        const sp = text.indexOf(' ');
        const msgId = sp < 0 ? text : text.slice(0, sp);
        const repeat = p.qos === 2 && p.packetId !== undefined && d.inQos2?.has(p.packetId) === true;
        d.received++;
        this.o.log.op(now, d.cid, 'ok', 'receive', {
          msgId,
          topic: p.topic,
          qos: p.qos,
          retain: p.retain,
          dup: p.dup,
          packetId: p.packetId,
          ...(repeat ? { repeat: true } : {}),
        });
        const sec = this.timeline.at(now);
        sec.recvs++;
        if (sp > 0 && !p.retain && !repeat) {
          const t0 = Number(text.slice(sp + 1, text.indexOf(' ', sp + 1) < 0 ? undefined : text.indexOf(' ', sp + 1)));
          if (Number.isFinite(t0)) {
            const us = Math.max(1, Math.round((now - t0) * 1000));
            this.e2e.recordValue(us);
            this.timeline.latency(now, us);
          }
        }
        if (p.qos === 1) this.send(d, { type: 'puback', packetId: p.packetId! });
        else if (p.qos === 2) {
          (d.inQos2 ??= new Set()).add(p.packetId!);
          this.send(d, { type: 'pubrec', packetId: p.packetId! });
        }
        return;
      }
      case 'pubrel':
        d.inQos2?.delete(p.packetId);
        return this.send(d, { type: 'pubcomp', packetId: p.packetId });
      case 'puback':
      case 'pubrec':
      case 'pubcomp':
        return this.onAck(d, p.type, p.packetId, (p as { reasonCode?: number }).reasonCode ?? 0, now);
      case 'suback':
        d.subOk = true;
        this.o.log.op(now, d.cid, 'ok', 'subscribe', { filters: d.subs, packetId: p.packetId, granted: p.reasonCodes });
        return;
      case 'pingresp':
        d.pingAt = 0;
        return;
      case 'disconnect':
        return this.lost(d, `server DISCONNECT 0x${(p.reasonCode ?? 0).toString(16)}`);
      default:
        return;
    }
  }

  private onAck(d: Dev, type: 'puback' | 'pubrec' | 'pubcomp', pid: number, rc: number, now: number): void {
    const f = d.flights?.get(pid);
    if (f === undefined) return;
    const v: OpValue = { msgId: f.msgId, topic: f.topic, qos: f.qos, retain: f.retain };
    if (type === 'puback' && f.qos === 1) {
      d.flights!.delete(pid);
      this.o.log.op(now, d.cid, rc >= 0x80 ? 'fail' : 'ok', 'publish', { ...v, packetId: pid });
      this.timeline.at(now).acks++;
    } else if (type === 'pubrec' && f.qos === 2) {
      if (rc >= 0x80) {
        d.flights!.delete(pid);
        this.o.log.op(now, d.cid, 'fail', 'publish', v);
        return this.pump(d);
      }
      if (f.state === 0) {
        this.o.log.op(now, d.cid, 'ok', 'publish', { ...v, packetId: pid });
        this.timeline.at(now).acks++;
      }
      f.state = 1;
      f.sentAt = now;
      this.send(d, { type: 'pubrel', packetId: pid });
      return;
    } else if (type === 'pubcomp' && f.state === 1) d.flights!.delete(pid);
    else return;
    this.pump(d);
    if (d.sleepy && this.idle(d)) this.disconnect(d, true);
  }

  private subscribe(d: Dev): void {
    const packetId = 60000 + (d.conns % 5000);
    this.o.log.op(this.o.now(), d.cid, 'invoke', 'subscribe', { filters: d.subs, packetId });
    this.send(d, {
      type: 'subscribe',
      packetId,
      subscriptions: d.subs.map((s) => ({ topicFilter: s.filter, qos: s.qos })),
    });
  }

  /** Publishes one application message now (payload "msgId t0 [padding]"); queued while offline. */
  publish(d: Dev, topic: string, qos: QoS, retain = false, pad = 0): void {
    const now = this.o.now();
    const msgId = `${d.cid}:${d.seq++}`;
    this.o.log.op(now, d.cid, 'invoke', 'publish', { msgId, topic, qos, retain });
    this.timeline.at(now).pubs++;
    const payload = Buffer.from(`${msgId} ${now.toFixed(3)}${pad > 0 ? ' ' + 'x'.repeat(pad) : ''}`, 'latin1');
    if (qos === 0) {
      if (d.state !== 2) {
        this.errors++;
        this.o.log.op(now, d.cid, 'fail', 'publish', { msgId, topic, qos, retain, reason: 'not connected' });
        return;
      }
      this.send(d, { type: 'publish', topic, payload, qos: 0, retain, dup: false });
      this.o.log.op(now, d.cid, 'info', 'publish', {
        msgId,
        topic,
        qos,
        retain,
        reason: 'QoS 0 has no acknowledgement',
      });
      return;
    }
    (d.queue ??= []).push({ msgId, topic, qos, retain, payload, t0: now });
    if (d.state === 2) this.pump(d);
    else if (d.sleepy && d.state === 0 && !d.want) {
      d.want = true;
      this.dial(d);
    }
  }

  pump(d: Dev): void {
    if (d.state !== 2 || d.queue === null) return;
    const now = this.o.now();
    while (d.queue.length > 0 && (d.flights?.size ?? 0) < 20) {
      const m = d.queue.shift()!;
      let pid = d.nextPid;
      while (d.flights?.has(pid)) pid = pid >= 59999 ? 1 : pid + 1;
      d.nextPid = pid >= 59999 ? 1 : pid + 1;
      (d.flights ??= new Map()).set(pid, {
        pid,
        msgId: m.msgId,
        topic: m.topic,
        qos: m.qos,
        retain: m.retain,
        payload: m.payload,
        state: 0,
        sentAt: now,
      });
      this.send(d, {
        type: 'publish',
        topic: m.topic,
        payload: m.payload,
        qos: m.qos,
        retain: m.retain,
        dup: false,
        packetId: pid,
      });
    }
    if (d.queue.length === 0) d.queue = null;
  }

  /** At the end of the history: every operation still open completes as `info` (outcome unknown). */
  finishOpen(d: Dev, reason: string): void {
    const now = this.o.now();
    if (d.state === 1) this.o.log.op(now, d.cid, 'info', 'connect', { clientId: d.cid, reason });
    for (const f of d.flights?.values() ?? [])
      if (f.state === 0)
        this.o.log.op(now, d.cid, 'info', 'publish', {
          msgId: f.msgId,
          topic: f.topic,
          qos: f.qos,
          retain: f.retain,
          reason,
        });
    for (const m of d.queue ?? [])
      this.o.log.op(now, d.cid, 'info', 'publish', {
        msgId: m.msgId,
        topic: m.topic,
        qos: m.qos,
        retain: m.retain,
        reason,
      });
    if (d.state === 2 && d.subs.length > 0 && !d.subOk)
      this.o.log.op(now, d.cid, 'info', 'subscribe', { filters: d.subs, reason });
  }

  idle(d: Dev): boolean {
    return (d.flights === null || d.flights.size === 0) && d.queue === null;
  }
}
