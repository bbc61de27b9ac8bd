/** Access-control and resource-limit checks over MQTT (5.0 where reason codes tell refusals apart). */
import { randomBytes } from 'node:crypto';
import type { Packet } from '../codec/index.ts';
import { connected, ProbeClient } from './probe-client.ts';
import type { AuditCheck, AuditOptions } from './types.ts';

const rid = (): string => randomBytes(4).toString('hex');
const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
type Sub = Extract<Packet, { type: 'suback' }>;

async function subscribe(c: ProbeClient, filters: string[], id: number, ms = 3000): Promise<Sub | undefined> {
  c.send({ type: 'subscribe', packetId: id, subscriptions: filters.map((f) => ({ topicFilter: f, qos: 1 as const })) });
  return c.next('suback', ms, (p) => p.packetId === id);
}
const granted = (s: Sub | undefined, i = 0): boolean => s !== undefined && s.reasonCodes[i] < 0x80;
const subText = (s: Sub | undefined): string =>
  s ? `SUBACK ${s.reasonCodes.map(hex).join(',')}` : 'no SUBACK (closed or timed out)';

export async function anonymousAccess(o: AuditOptions): Promise<AuditCheck> {
  const r = await connected(o.endpoint, 4, `audit-anon-${rid()}`, {});
  r.client?.end();
  return {
    id: 'anonymous-access',
    title: 'anonymous clients accepted',
    severity: 'high',
    verdict: r.code === 0 ? 'failed' : r.error && r.code === undefined ? 'inconclusive' : 'passed',
    tried: 'CONNECT without a user name or password',
    answer:
      r.code === 0
        ? 'accepted (CONNACK 0)'
        : r.code !== undefined
          ? `refused (CONNACK ${hex(r.code)})`
          : `inconclusive: ${r.error}`,
  };
}

/** '#' and '$SYS/#' readable by the (unprivileged) identity. */
export async function wildcardReads(o: AuditOptions): Promise<AuditCheck[]> {
  const r = await connected(o.endpoint, 5, `audit-read-${rid()}`, o.identity);
  if (!r.client) {
    const answer = `inconclusive: the audit identity was refused (${r.error ?? `CONNACK ${hex(r.code!)}`})`;
    return [
      {
        id: 'hash-readable',
        title: '"#" readable by an unprivileged user',
        severity: 'high',
        verdict: 'inconclusive',
        tried: 'CONNECT',
        answer,
      },
      {
        id: 'sys-readable',
        title: '"$SYS/#" readable by an unprivileged user',
        severity: 'low',
        verdict: 'inconclusive',
        tried: 'CONNECT',
        answer,
      },
    ];
  }
  const c = r.client;
  const all = await subscribe(c, ['#'], 1);
  let seen = '';
  if (granted(all)) {
    const pub = await connected(o.endpoint, 5, `audit-pub-${rid()}`, o.identity);
    const topic = `${o.prefix ?? 'audit'}/${rid()}/probe`;
    pub.client?.send({ type: 'publish', topic, payload: Buffer.from('audit'), qos: 0, retain: false, dup: false });
    const got = await c.next('publish', 2000, (p) => p.topic === topic);
    seen = got ? `; a message another client published to ${topic} arrived through it` : '';
    pub.client?.end();
  }
  const sys = await subscribe(c, ['$SYS/#'], 2);
  c.end();
  return [
    {
      id: 'hash-readable',
      title: '"#" readable by an unprivileged user',
      severity: 'high',
      verdict: granted(all) ? 'failed' : 'passed',
      tried: 'SUBSCRIBE "#" as the audit identity',
      answer: `${granted(all) ? 'granted' : 'refused'}: ${subText(all)}${seen}`,
    },
    {
      id: 'sys-readable',
      title: '"$SYS/#" readable by an unprivileged user',
      severity: 'low',
      verdict: granted(sys) ? 'failed' : 'passed',
      tried: 'SUBSCRIBE "$SYS/#" as the audit identity',
      answer: `${granted(sys) ? 'granted' : 'refused'}: ${subText(sys)}`,
    },
  ];
}

export async function clientIdTakeover(o: AuditOptions): Promise<AuditCheck> {
  const base = {
    id: 'client-id-takeover',
    title: 'a client id taken over by a different user',
    severity: 'high' as const,
    tried: 'connect as the audit identity with a client id, then as another identity with the same id',
  };
  const other = o.identity2 ?? (o.identity.username !== undefined ? {} : undefined);
  if (!other)
    return {
      ...base,
      verdict: 'not-applicable',
      answer: 'only one identity (anonymous): no different user to try (give --user2 user:pass)',
    };
  const id = `audit-takeover-${rid()}`;
  const a = await connected(o.endpoint, 5, id, o.identity);
  if (!a.client)
    return { ...base, verdict: 'inconclusive', answer: `the audit identity was refused (${a.error ?? hex(a.code!)})` };
  const b = await connected(o.endpoint, 5, id, other);
  const kicked = await a.client.waitClosed(1500);
  a.client.end();
  b.client?.end();
  if (b.code !== 0)
    return {
      ...base,
      verdict: 'passed',
      answer: `the other identity was refused (${b.error ?? `CONNACK ${hex(b.code!)}`})`,
    };
  return {
    ...base,
    verdict: kicked ? 'failed' : 'passed',
    answer: kicked
      ? 'accepted; the first connection was closed (session taken over)'
      : 'accepted, but the first connection stayed (separate sessions)',
  };
}

/** Will, retained and shared-subscription paths to a topic the identity may not write / read. */
export async function forbiddenTopic(o: AuditOptions): Promise<AuditCheck[]> {
  const t = o.denyTopic ?? `audit/forbidden/${rid()}`;
  const mk = (
    id: string,
    title: string,
    sev: AuditCheck['severity'],
    verdict: AuditCheck['verdict'],
    tried: string,
    answer: string,
  ): AuditCheck => ({ id, title, severity: sev, verdict, tried, answer });
  const r = await connected(o.endpoint, 5, `audit-acl-${rid()}`, o.identity);
  if (!r.client) {
    const a = `the audit identity was refused (${r.error ?? hex(r.code!)})`;
    return [
      mk(
        'retained-forbidden',
        'retained message to a topic the user may not write',
        'medium',
        'inconclusive',
        'CONNECT',
        a,
      ),
      mk('will-forbidden', 'will to a topic the user may not write', 'medium', 'inconclusive', 'CONNECT', a),
      mk(
        'shared-forbidden',
        'shared subscription reads a topic the user may not read',
        'medium',
        'inconclusive',
        'CONNECT',
        a,
      ),
    ];
  }
  const c = r.client;
  c.send({ type: 'publish', topic: t, payload: Buffer.from('probe'), qos: 1, retain: false, dup: false, packetId: 1 });
  const plain = await c.next('puback', 2000, (p) => p.packetId === 1);
  const writeDenied = plain !== undefined && (plain.reasonCode ?? 0) >= 0x80;
  const readSub = await subscribe(c, [t], 2);
  const readDenied = readSub !== undefined && !granted(readSub);
  const out: AuditCheck[] = [];
  if (!writeDenied) {
    const why = `the identity may write "${t}" (PUBACK ${plain ? hex(plain.reasonCode ?? 0) : 'none'}): no ACL to probe (give --deny-topic)`;
    out.push(
      mk(
        'retained-forbidden',
        'retained message to a topic the user may not write',
        'medium',
        'not-applicable',
        `PUBLISH QoS 1 to "${t}"`,
        why,
      ),
    );
    out.push(
      mk(
        'will-forbidden',
        'will to a topic the user may not write',
        'medium',
        'not-applicable',
        `PUBLISH QoS 1 to "${t}"`,
        why,
      ),
    );
  } else {
    c.send({
      type: 'publish',
      topic: t,
      payload: Buffer.from('retained-probe'),
      qos: 1,
      retain: true,
      dup: false,
      packetId: 3,
    });
    const ret = await c.next('puback', 2000, (p) => p.packetId === 3);
    const accepted = ret !== undefined && (ret.reasonCode ?? 0) < 0x80;
    out.push(
      mk(
        'retained-forbidden',
        'retained message to a topic the user may not write',
        'medium',
        accepted ? 'failed' : 'passed',
        `plain PUBLISH to "${t}" was refused (PUBACK ${hex(plain!.reasonCode ?? 0)}); then a retained PUBLISH QoS 1 to it`,
        accepted
          ? `accepted (PUBACK ${hex(ret!.reasonCode ?? 0)})`
          : `refused (${ret ? `PUBACK ${hex(ret.reasonCode ?? 0)}` : 'closed'})`,
      ),
    );
    // The will: CONNECT with it, drop the connection, and watch with a "#" subscription if the identity has one.
    const w = await connected(o.endpoint, 5, `audit-will-${rid()}`, o.identity, {
      will: { topic: t, payload: Buffer.from('will-probe'), qos: 0, retain: false },
    });
    if (w.code !== 0) {
      out.push(
        mk(
          'will-forbidden',
          'will to a topic the user may not write',
          'medium',
          'passed',
          `CONNECT with a will on "${t}"`,
          `refused (${w.error ?? `CONNACK ${hex(w.code!)}`})`,
        ),
      );
    } else {
      const watch = await connected(o.endpoint, 5, `audit-watch-${rid()}`, o.identity);
      const s = watch.client ? await subscribe(watch.client, [t], 9) : undefined;
      if (!granted(s)) {
        out.push(
          mk(
            'will-forbidden',
            'will to a topic the user may not write',
            'medium',
            'inconclusive',
            `CONNECT with a will on "${t}" (accepted), then an abnormal close`,
            'no identity available to the audit can read the topic, so whether the will went out is unknown (give --user2 with read access)',
          ),
        );
      } else {
        w.client!.socket.destroy();
        const got = await watch.client!.next('publish', 2000, (p) => p.topic === t);
        out.push(
          mk(
            'will-forbidden',
            'will to a topic the user may not write',
            'medium',
            got ? 'failed' : 'passed',
            `CONNECT with a will on "${t}", then an abnormal close`,
            got ? 'the will was published' : 'the will was not published',
          ),
        );
      }
      w.client?.end();
      watch.client?.end();
    }
  }
  if (!readDenied) {
    out.push(
      mk(
        'shared-forbidden',
        'shared subscription reads a topic the user may not read',
        'medium',
        'not-applicable',
        `SUBSCRIBE "${t}"`,
        `the identity may read "${t}" (${subText(readSub)}): no ACL to probe`,
      ),
    );
  } else {
    const sh = await subscribe(c, [`$share/audit/${t}`], 4);
    out.push(
      mk(
        'shared-forbidden',
        'shared subscription reads a topic the user may not read',
        'medium',
        granted(sh) ? 'failed' : 'passed',
        `SUBSCRIBE "${t}" was refused; then SUBSCRIBE "$share/audit/${t}"`,
        `${granted(sh) ? 'granted' : 'refused'}: ${subText(sh)}`,
      ),
    );
  }
  c.end();
  return out;
}
