/** I/O for one fuzz connection and for the control connection that checks the broker is alive. */
import { openTcp } from '../transport/index.ts';
import { PacketReader, encodePacket, type Packet, type ProtocolLevel, type ProtocolViolation } from '../codec/index.ts';
import {
  expectationOf,
  judge,
  missing,
  RAW_CAP,
  settled,
  type Expectation,
  type Judgement,
  type Observation,
} from './oracle.ts';

export interface Target {
  host: string;
  port: number;
  username?: string;
  password?: Buffer;
}

export interface CaseResult {
  expectation: Expectation;
  observation: Observation;
  judgement: Judgement;
}

/** Grace for answers still missing after the probe's PINGRESP came back. */
const GRACE_MS = 400;

/** Send `frames` on a fresh connection and judge what comes back (never rejects). */
export function runFrames(
  t: Target,
  frames: readonly Buffer[],
  level: ProtocolLevel,
  timeoutMs: number,
): Promise<CaseResult> {
  const expectation = expectationOf(frames, level);
  const obs: Observation = { packets: [], closed: false, timedOut: false };
  return new Promise((resolve) => {
    const reader = new PacketReader({ protocolLevel: expectation.level, from: 'server' });
    const s = openTcp(t);
    let done = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (grace) clearTimeout(grace);
      s.destroy();
      resolve({ expectation, observation: obs, judgement: judge(expectation, obs) });
    };
    const check = (): void => {
      if (settled(expectation, obs)) return finish();
      if (
        !grace &&
        expectation.kind === 'valid' &&
        obs.packets.reduce((n, p) => n + (p.type === 'pingresp' ? 1 : 0), 0) >= expectation.pings &&
        missing(expectation, obs).length > 0
      ) {
        grace = setTimeout(finish, GRACE_MS);
      }
    };
    const timer = setTimeout(() => {
      obs.timedOut = true;
      finish();
    }, timeoutMs);
    s.on('connect', () => {
      const all = Buffer.concat(frames as Buffer[]);
      if (expectation.kind === 'incomplete' || expectation.kind === 'ended') s.end(all);
      else s.write(all);
    });
    s.on('data', (d: Buffer) => {
      if (expectation.levelUnknown) {
        // Which version's CONNACK may come is judged from the bytes, at the close.
        const have = obs.raw ?? Buffer.alloc(0);
        if (have.length < RAW_CAP) obs.raw = Buffer.concat([have, d.subarray(0, RAW_CAP - have.length)]);
        return;
      }
      if (obs.serverViolation) return;
      for (const r of reader.push(d)) {
        // (A broken CONNECT of known version is answered in that version's form, if at all.)
        if (r.ok) obs.packets.push(r.packet);
        else obs.serverViolation = r.violation as ProtocolViolation;
      }
      check();
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      obs.closed = true;
      finish();
    });
  });
}

export interface ControlResult {
  ok: boolean;
  detail: string;
  refused?: boolean;
}

/** CONNECT, CONNACK, PINGREQ, PINGRESP within `timeoutMs`: the broker is alive and answering. */
export function controlCheck(
  t: Target,
  level: ProtocolLevel,
  clientId: string,
  timeoutMs: number,
): Promise<ControlResult> {
  return new Promise((resolve) => {
    const s = openTcp(t);
    const reader = new PacketReader({ protocolLevel: level, from: 'server' });
    let done = false;
    const finish = (r: ControlResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, detail: `no CONNACK/PINGRESP within ${timeoutMs} ms` }),
      timeoutMs,
    );
    s.on('connect', () => {
      const c: Packet = {
        type: 'connect',
        protocolName: 'MQTT',
        protocolLevel: level,
        clean: true,
        keepAlive: 30,
        clientId,
      };
      if (t.username !== undefined) c.username = t.username;
      if (t.password !== undefined) c.password = t.password;
      s.write(encodePacket(c, level));
    });
    s.on('data', (d: Buffer) => {
      for (const r of reader.push(d)) {
        if (!r.ok) return finish({ ok: false, detail: `malformed answer: ${r.violation.message}` });
        const p = r.packet;
        if (p.type === 'connack') {
          if (p.reasonCode !== 0)
            return finish({
              ok: false,
              refused: true,
              detail: `CONNACK refused the control client (reason ${p.reasonCode})`,
            });
          s.write(Buffer.from([0xc0, 0x00]));
        } else if (p.type === 'pingresp') {
          s.write(encodePacket(level === 5 ? { type: 'disconnect', reasonCode: 0 } : { type: 'disconnect' }, level));
          return finish({ ok: true, detail: 'alive' });
        }
      }
    });
    s.on('error', (e: Error) => finish({ ok: false, detail: `connection failed: ${e.message}` }));
    s.on('close', () => finish({ ok: false, detail: 'closed by the broker before PINGRESP' }));
  });
}
