import type { Properties, UserProperty } from './packet-types.ts';
import { EncodeError, binLen, strLen } from './encode-common.ts';
import {
  Cursor,
  VARINT_MAX,
  varintLength,
  writeBinary,
  writeU16,
  writeU32,
  writeUtf8,
  writeVarint,
} from './primitives.ts';
import { PROPERTY_BY_ID, PROPERTY_BY_KEY, WILL, allowedIn, repeatableIn } from './property-table.ts';
import type { PropertyDef, PropertyHolder } from './property-table.ts';
import { MALFORMED, PROTOCOL_ERROR } from './violations.ts';
import { PACKET_NAMES } from './primitives.ts';

const holderName = (h: PropertyHolder): string => (h === WILL ? 'Will Properties' : PACKET_NAMES[h]);

/**
 * Read a Property Length and the properties after it (level 5). Returns undefined when the
 * list is empty or on error (then `cur.err` is set).
 */
export function decodeProperties(cur: Cursor, holder: PropertyHolder): Properties | undefined {
  const lenAt = cur.pos;
  const len = cur.varint('Property Length');
  if (len <= 0) return undefined;
  const end = cur.pos + len;
  if (end > cur.end) {
    return cur.fail(
      null,
      null,
      `Property Length ${len} at offset ${lenAt} runs past the end of the packet`,
      MALFORMED,
      lenAt,
    );
  }
  const outerEnd = cur.end;
  cur.end = end;
  const props: Properties = {};
  let seenLo = 0; // bit per identifier 0..31
  let seenHi = 0; // bit per identifier 32..63
  while (cur.pos < end && !cur.err) {
    const at = cur.pos;
    const id = cur.varint('Property Identifier');
    if (id < 0) break;
    const def = id < PROPERTY_BY_ID.length ? PROPERTY_BY_ID[id] : undefined;
    if (!def) {
      cur.fail(null, null, `unknown Property Identifier 0x${id.toString(16)} at offset ${at}`, MALFORMED, at);
      break;
    }
    if (!allowedIn(def, holder)) {
      cur.fail(
        null,
        null,
        `${def.label} (0x${id.toString(16).padStart(2, '0')}) at offset ${at} is not allowed in ${holderName(holder)}`,
        MALFORMED,
        at,
      );
      break;
    }
    const bit = 1 << (id & 31);
    const dup = id < 32 ? (seenLo & bit) !== 0 : (seenHi & bit) !== 0;
    if (dup && !repeatableIn(def, holder)) {
      cur.fail(
        null,
        null,
        `${def.label} at offset ${at} appears more than once in ${holderName(holder)}`,
        PROTOCOL_ERROR,
        at,
      );
      break;
    }
    if (id < 32) seenLo |= bit;
    else seenHi |= bit;
    readValue(cur, def, props, at);
  }
  cur.end = outerEnd;
  if (cur.err) return undefined;
  return props;
}

function readValue(cur: Cursor, def: PropertyDef, props: Properties, at: number): void {
  const what = def.label;
  let v: number | string | Buffer | UserProperty | undefined;
  switch (def.wire) {
    case 'byte':
      v = cur.u8(what);
      break;
    case 'u16':
      v = cur.u16(what);
      break;
    case 'u32':
      v = cur.u32(what);
      break;
    case 'varint':
      v = cur.varint(what);
      break;
    case 'utf8':
      v = cur.utf8(what);
      break;
    case 'binary':
      v = cur.binary(what);
      break;
    case 'pair': {
      const k = cur.utf8(`${what} name`);
      const val = k === undefined ? undefined : cur.utf8(`${what} value`);
      if (k !== undefined && val !== undefined) v = [k, val];
      break;
    }
  }
  if (cur.err || v === undefined) return;
  if (def.check && (typeof v === 'number' || typeof v === 'string') && !def.check.ok(v)) {
    const shown = typeof v === 'string' ? JSON.stringify(v) : String(v);
    cur.fail(
      null,
      def.check.statement ?? null,
      `${def.label} at offset ${at} ${def.check.rule} (got ${shown})`,
      PROTOCOL_ERROR,
      at,
    );
    return;
  }
  const rec = props as Record<string, unknown>;
  if (def.key === 'userProperties' || def.key === 'subscriptionIdentifiers') {
    const list = rec[def.key] as unknown[] | undefined;
    if (list) list.push(v);
    else rec[def.key] = [v];
  } else {
    rec[def.key] = v;
  }
}

// ---------------------------------------------------------------- encoding

function intIn(v: unknown, max: number, def: PropertyDef): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new EncodeError(`properties.${def.key}`, `expected an integer 0..${max}, got ${String(v)}`);
  }
  return v;
}

function valueLength(def: PropertyDef, v: unknown): number {
  switch (def.wire) {
    case 'byte':
      intIn(v, 0xff, def);
      return 1;
    case 'u16':
      intIn(v, 0xffff, def);
      return 2;
    case 'u32':
      intIn(v, 0xffffffff, def);
      return 4;
    case 'varint':
      return varintLength(intIn(v, VARINT_MAX, def));
    case 'utf8':
      return 2 + strLen(v, `properties.${def.key}`);
    case 'binary':
      return 2 + binLen(v, `properties.${def.key}`);
    case 'pair': {
      if (!Array.isArray(v) || v.length !== 2)
        throw new EncodeError(`properties.${def.key}`, 'expected [name, value] pairs');
      return 4 + strLen(v[0], `properties.${def.key} name`) + strLen(v[1], `properties.${def.key} value`);
    }
  }
}

/** Byte length of the property list, without the Property Length prefix. */
export function propertiesLength(props: Properties | undefined): number {
  if (!props) return 0;
  let n = 0;
  for (const key in props) {
    const v = (props as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const def = PROPERTY_BY_KEY.get(key as keyof Properties);
    if (!def) throw new EncodeError(`properties.${key}`, 'not an MQTT 5.0 property');
    if (key === 'userProperties' || key === 'subscriptionIdentifiers') {
      if (!Array.isArray(v)) throw new EncodeError(`properties.${key}`, 'expected an array');
      for (const item of v) n += 1 + valueLength(def, item);
    } else {
      n += 1 + valueLength(def, v);
    }
  }
  return n;
}

function writeValue(buf: Buffer, off: number, def: PropertyDef, v: unknown): number {
  buf[off++] = def.id;
  switch (def.wire) {
    case 'byte':
      buf[off] = v as number;
      return off + 1;
    case 'u16':
      return writeU16(buf, off, v as number);
    case 'u32':
      return writeU32(buf, off, v as number);
    case 'varint':
      return writeVarint(buf, off, v as number);
    case 'utf8':
      return writeUtf8(buf, off, v as string, Buffer.byteLength(v as string));
    case 'binary':
      return writeBinary(buf, off, v as Uint8Array);
    case 'pair': {
      const [k, val] = v as UserProperty;
      off = writeUtf8(buf, off, k, Buffer.byteLength(k));
      return writeUtf8(buf, off, val, Buffer.byteLength(val));
    }
  }
}

/** Write Property Length (`len` from propertiesLength) then the properties. */
export function writeProperties(buf: Buffer, off: number, props: Properties | undefined, len: number): number {
  off = writeVarint(buf, off, len);
  if (!props || len === 0) return off;
  for (const key in props) {
    const v = (props as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const def = PROPERTY_BY_KEY.get(key as keyof Properties);
    if (!def) continue;
    if (Array.isArray(v) && (key === 'userProperties' || key === 'subscriptionIdentifiers')) {
      for (const item of v) off = writeValue(buf, off, def, item);
    } else {
      off = writeValue(buf, off, def, v);
    }
  }
  return off;
}
