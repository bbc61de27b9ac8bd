/**
 * A shrunk program as a ready-to-paste scenario in the suite's step vocabulary
 * (features/README.md "Step vocabulary", steps/depth.steps.ts for bursts), ending with
 * the checks the findings say failed.
 */
import type { ModelFinding } from '../model/types.ts';
import type { Program } from './program.ts';

export interface GherkinInput {
  program: Program;
  findings: ModelFinding[];
  /** Runner's map from message id to the step that sent it. */
  msgStep: Record<string, { step: number; i: number; will?: boolean }>;
  /** The program's prefix (topics, client ids, message ids), replaced by the scenario's names. */
  prefix?: string;
  seed?: number;
}

const topic = (t: string): string => `ex/${t}`;
const clientOf = (clientId: string): string => clientId.match(/c(\d+)$/)?.[0] ?? clientId;

export function toGherkin(g: GherkinInput): string {
  const { program: p, findings } = g;
  const v5 = p.version === '5.0';
  const ids = [...new Set(findings.flatMap((f) => f.statements.map((s) => s.id)))];
  const tags = [v5 ? '@v5' : '@v3.1.1', ...ids.map((id) => `@${id}`)].join(' ');
  const payload = (msg: string | undefined): string => {
    const w = msg ? g.msgStep[msg] : undefined;
    if (!w) return msg ?? '';
    if (w.will) return `w${w.step}`;
    const st = p.steps[w.step];
    return st?.k === 'publish' && st.count > 1 && !st.empty
      ? `m${w.step}-${w.i}`
      : st?.k === 'publish' && st.empty
        ? ''
        : `m${w.step}`;
  };
  const lines: string[] = [];
  const connected = new Set<number>();
  const everConnected = new Set<number>();
  const spFinding = new Map<string, number>();
  for (const f of findings)
    if (f.about?.kind === 'session-present') spFinding.set(clientOf(f.about.clientId), f.about.allowed ?? 0);
  const lastConnect = new Map<number, number>();
  p.steps.forEach((s, i) => {
    if (s.k === 'connect') lastConnect.set(s.c, i);
  });
  let pid = 100;
  p.steps.forEach((s, i) => {
    if (s.k === 'pause') {
      lines.push(`When ${s.ms} ms pass`);
      return;
    }
    const name = `"c${s.c}"`;
    if (s.k === 'connect') {
      if (connected.has(s.c)) lines.push(`When ${name} disconnects`);
      const f: string[] = [];
      if (!s.clean) f.push(v5 ? 'clean start false' : 'clean session false');
      if (v5 && s.persistent) f.push('session expiry 300');
      if (v5 && s.receiveMaximum) f.push(`receive maximum ${s.receiveMaximum}`);
      if (s.will)
        f.push(
          `will topic "${topic(s.will.topic)}" will payload "w${i}" will qos ${s.will.qos} will retain ${s.will.retain}${v5 && s.will.delay ? ` will delay interval ${s.will.delay}` : ''}`,
        );
      lines.push(`When ${name} connects${f.length ? ` with ${f.join(' and ')}` : ''}`);
      const sp = spFinding.get(`c${s.c}`);
      lines.push(
        `Then ${name} receives CONNACK reason code 0${sp !== undefined && lastConnect.get(s.c) === i ? ` session present ${sp === 1}` : ''} within 2 s`,
      );
      connected.add(s.c);
      everConnected.add(s.c);
      return;
    }
    if (!connected.has(s.c)) {
      if (s.k === 'disconnect') {
        lines.push(`# (step ${i} skipped: c${s.c} is not connected)`);
        return;
      }
      lines.push(
        v5
          ? `Given client ${name} connected with clean start false and session expiry 300`
          : `When ${name} connects with clean session false`,
        ...(v5 ? [] : [`Then ${name} receives CONNACK reason code 0 within 2 s`]),
      );
      connected.add(s.c);
      everConnected.add(s.c);
    }
    switch (s.k) {
      case 'subscribe': {
        const filter = s.share ? `$share/g/${topic(s.filter)}` : topic(s.filter);
        const opts: string[] = [];
        if (s.noLocal && !s.share) opts.push('no local true');
        if (s.rap) opts.push('retain as published true');
        if (s.rh) opts.push(`retain handling ${s.rh}`);
        if (v5 && (opts.length || s.subId)) {
          const id = ++pid;
          lines.push(
            `When ${name} sends SUBSCRIBE packet id ${id} topic filter "${filter}" qos ${s.qos}${opts.length ? ` ${opts.join(' ')}` : ''}${s.subId ? ` subscription identifier ${i + 1}` : ''}`,
          );
          lines.push(`Then ${name} receives SUBACK packet id ${id} within 2 s`);
        } else lines.push(`When ${name} subscribes to "${filter}" with qos ${s.qos}`);
        return;
      }
      case 'unsubscribe':
        lines.push(`When ${name} unsubscribes from "${s.share ? `$share/g/${topic(s.filter)}` : topic(s.filter)}"`);
        return;
      case 'publish': {
        const q = s.qos ? ` with qos ${s.qos}` : '';
        if (s.count > 1 && !s.empty)
          lines.push(
            `When ${name} publishes ${s.count} messages "m${i}-" to "${topic(s.topic)}"${s.qos ? ` with qos ${s.qos}` : ''}${s.retain ? ' retained' : ''} without waiting`,
          );
        else
          lines.push(
            `When ${name} publishes "${s.empty ? '' : `m${i}`}" to "${topic(s.topic)}"${q}${s.retain ? ' retained' : ''}`,
          );
        return;
      }
      case 'disconnect':
        lines.push(s.abrupt ? `When ${name} drops the connection` : `When ${name} disconnects`);
        connected.delete(s.c);
        return;
    }
  });
  const shown = findings.slice(0, 5);
  if (findings.length > shown.length)
    lines.push(`# … and ${findings.length - shown.length} more finding(s) like these`);
  for (const f of shown) {
    const a = f.about;
    let text = f.message;
    if (g.prefix) {
      const pre = g.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      text = text
        .replace(new RegExp(`${pre}:(e|w)?\\d+`, 'g'), (id) => `"${payload(id)}"`)
        .replace(new RegExp(`${pre}c(\\d+)`, 'g'), 'c$1')
        .replace(new RegExp(`${pre}/`, 'g'), 'ex/');
    }
    lines.push(`# ${f.statements.map((s) => s.id).join(', ')}: ${text}`);
    if (!a) continue;
    const who = `"${clientOf(a.clientId)}"`;
    const t = a.topic ? `ex/${a.topic.split('/').slice(1).join('/')}` : '';
    const pl = payload(a.msg);
    switch (a.kind) {
      case 'missing':
        lines.push(`Then ${who} receives message "${pl}" on "${t}" with qos ${a.qos ?? 0} within 2 s`);
        break;
      case 'unexpected':
        lines.push(
          `Then ${who} receives nothing like PUBLISH topic "${t}" payload "${pl}" qos ${a.qos ?? 0}${a.retain !== undefined ? ` retain ${a.retain}` : ''} for 300 ms`,
        );
        break;
      case 'extra':
        for (let k = 0; k < (a.allowed ?? 1); k++)
          lines.push(`Then ${who} receives PUBLISH topic "${t}" payload "${pl}" within 2 s`);
        lines.push(`And ${who} receives nothing like PUBLISH topic "${t}" payload "${pl}" for 300 ms`);
        break;
      case 'order':
        lines.push(`Then ${who} receives PUBLISH topic "${t}" payload "${payload(a.msg)}" within 2 s`);
        lines.push(`# ... and it must arrive before "${payload(a.before)}" (same publisher, topic and QoS ${a.qos})`);
        break;
      default:
        break;
    }
  }
  const title = findings[0] ? `explored: ${findings[0].family} (${ids.join(', ')})` : 'explored program';
  return [
    `${tags}`,
    `Scenario: ${title}${g.seed !== undefined ? ` — seed ${g.seed}` : ''}`,
    ...lines.map((l) => `  ${l}`),
  ].join('\n');
}
