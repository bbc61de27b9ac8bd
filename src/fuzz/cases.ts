/**
 * A fuzz case: the frames one fuzz connection sends, built from a seed. Three families:
 * grammar-aware mutation, byte-level mutation, and valid packets in the wrong state.
 * Every case ends with a PINGREQ probe: its PINGRESP shows the broker read past everything before it.
 */
import { createRng, type Rng } from '../common/rng.ts';
import { encodePacket, type Packet } from '../codec/index.ts';
import * as g from './grammar.ts';
import { mutateGrammar } from './mutate-grammar.ts';
import { mutateBytes } from './mutate-bytes.ts';
import { expectationOf } from './oracle.ts';

export type CaseFamily = 'grammar' | 'bytes' | 'state';

export interface FuzzCase {
  /** Index of the case within its run (with the run seed, it rebuilds the case). */
  index: number;
  level: g.FuzzLevel;
  family: CaseFamily;
  mutation: string;
  /** The frames in order; the last one is the PINGREQ probe. */
  frames: Buffer[];
  /** Index of the frame that was mutated (or that is in the wrong state), -1 when none. */
  target: number;
  /** Cases carried by this connection (indices index..index+chained-1), when more than one. */
  chained?: number;
  /** Their mutations, in order, when more than one. */
  mutations?: string[];
}

export const PINGREQ = Buffer.from([0xc0, 0x00]);

export interface CaseOptions {
  /** Most valid filler packets before the mutated one. */
  maxFillers?: number;
  username?: string;
  password?: Buffer;
  clientIdPrefix?: string;
  /**
   * Most cases one connection carries: while everything sent so far is valid (the broker must
   * answer and stay open), the next case's frames after its CONNECT follow on the same connection.
   */
  maxChain?: number;
}

const enc = (p: Packet, level: g.FuzzLevel): Buffer => encodePacket(p, level);

/**
 * Build case `index` of the run with `seed` at `level` (deterministic), followed on the same
 * connection by cases index+1, ... (at the same level) while all its frames are valid and the
 * next case does not break its CONNECT or send before it (up to `maxChain` cases).
 */
export function buildCase(seed: number, index: number, level: g.FuzzLevel, o: CaseOptions = {}): FuzzCase {
  const first = buildOne(seed, index, level, o);
  const max = o.maxChain ?? 1;
  if (max <= 1) return first;
  let c = first;
  const mutations = [first.mutation];
  while (mutations.length < max && expectationOf(c.frames, level).kind === 'valid') {
    const nx = buildOne(seed, index + mutations.length, level, o);
    if (nx.target < 1) break;
    const base = c.frames.length - 1;
    c = { ...nx, index, frames: [...c.frames, ...nx.frames.slice(1)], target: base + nx.target };
    mutations.push(nx.mutation);
  }
  return mutations.length === 1 ? first : { ...c, chained: mutations.length, mutations };
}

function buildOne(seed: number, index: number, level: g.FuzzLevel, o: CaseOptions): FuzzCase {
  const rng = createRng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const prefix = `fz/${seed.toString(36)}/${index.toString(36)}`;
  const clientId = `${o.clientIdPrefix ?? 'fz'}-${seed.toString(36)}-${index.toString(36)}`;
  const connect = g.connectPacket(rng, level, clientId, { username: o.username, password: o.password });
  const r = rng.next();
  const family: CaseFamily = r < 0.5 ? 'grammar' : r < 0.85 ? 'bytes' : 'state';
  const fillers = (n: number): Buffer[] =>
    Array.from({ length: n }, () => enc(g.fillerPacket(rng, level, prefix), level));
  const nFill = rng.int(0, o.maxFillers ?? 40);
  if (family === 'state') return stateCase(rng, index, level, enc(connect, level), prefix, fillers(Math.min(nFill, 8)));
  const mutateConnect = rng.chance(0.12);
  const victim = mutateConnect ? connect : g.anyClientPacket(rng, level, prefix);
  const m = family === 'grammar' ? mutateGrammar(rng, victim, level) : mutateBytes(rng, enc(victim, level));
  const frames = mutateConnect ? [m.bytes] : [enc(connect, level), ...fillers(nFill), m.bytes];
  return { index, level, family, mutation: m.mutation, frames: [...frames, PINGREQ], target: frames.length - 1 };
}

function stateCase(
  rng: Rng,
  index: number,
  level: g.FuzzLevel,
  connect: Buffer,
  prefix: string,
  fill: Buffer[],
): FuzzCase {
  const kinds = ['before-connect', 'second-connect', 'pubrel-unknown', 'acks-unknown', 'server-packet'];
  if (level === 5) kinds.push('auth-without-method');
  const kind = g.pick(rng, kinds);
  const mk = (frames: Buffer[], target: number): FuzzCase => ({
    index,
    level,
    family: 'state',
    mutation: `state:${kind}`,
    frames: [...frames, PINGREQ],
    target,
  });
  switch (kind) {
    case 'before-connect': {
      const p = g.pick(rng, ['subscribe', 'publish', 'pingreq', 'unsubscribe', 'pubrel'] as const);
      const pk: Packet =
        p === 'subscribe'
          ? g.subscribePacket(rng, level, prefix)
          : p === 'publish'
            ? g.publishPacket(rng, level, prefix)
            : p === 'unsubscribe'
              ? g.unsubscribePacket(rng, level, prefix)
              : p === 'pubrel'
                ? g.ackPacket(rng, level, 'pubrel')
                : { type: 'pingreq' };
      return mk([enc(pk, level)], 0);
    }
    case 'second-connect':
      return mk([connect, ...fill, connect], fill.length + 1);
    case 'pubrel-unknown': {
      const n = rng.int(1, 4);
      const rels = Array.from({ length: n }, () => enc(g.ackPacket(rng, level, 'pubrel'), level));
      return mk([connect, ...fill, ...rels], fill.length + 1);
    }
    case 'acks-unknown': {
      const acks = Array.from({ length: rng.int(1, 4) }, () =>
        enc(g.ackPacket(rng, level, g.pick(rng, ['puback', 'pubrec', 'pubcomp'] as const)), level),
      );
      return mk([connect, ...fill, ...acks], fill.length + 1);
    }
    case 'server-packet': {
      const p: Packet = g.pick(rng, [
        { type: 'connack', sessionPresent: false, reasonCode: 0 },
        { type: 'suback', packetId: 1, reasonCodes: [0] },
        { type: 'unsuback', packetId: 1, ...(level === 5 ? { reasonCodes: [0] } : {}) },
        { type: 'pingresp' },
      ] as Packet[]);
      return mk([connect, ...fill, enc(p, level)], fill.length + 1);
    }
    default: // auth-without-method
      return mk(
        [connect, ...fill, enc({ type: 'auth', reasonCode: g.pick(rng, [0x18, 0x19, 0]) }, level)],
        fill.length + 1,
      );
  }
}
