import { peekVarint, varintBytes, varintIsMinimal, varintSize, varintValue } from '../codec/index.ts';

/**
 * Raw CONNECT bytes in a scenario carry a fixed client id ("a", "w" ...). Against a shared broker,
 * scenarios running at the same time would then take over each other's sessions, so the harness
 * puts its per-scenario prefix in front of the id, the way it does for named clients.
 *
 * The bytes may be malformed on purpose (that is why they are raw), so this reads them leniently
 * and changes nothing it cannot locate exactly: every complete CONNECT frame at the start of
 * `bytes` whose client id field lies inside the frame gets `prefix` in front of a non-empty id,
 * with the client id length and the Remaining Length adjusted. An empty client id stays empty
 * (it means "assign one"). Whatever follows (other packets, an incomplete frame) is kept as is.
 * MQTT 5 layout (a property length before the client id) is read for protocol level 5 only.
 */
export function prefixRawConnectClientIds(bytes: Buffer, prefix: string): Buffer {
  const pre = Buffer.from(prefix, 'utf8');
  if (pre.length === 0) return bytes;
  const out: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const frame = frameAt(bytes, at);
    if (!frame) break;
    const whole = bytes.subarray(at, frame.end);
    out.push(bytes[at] >> 4 === 1 ? (prefixed(whole, frame.bodyAt - at, pre) ?? whole) : whole);
    at = frame.end;
  }
  if (out.length === 0) return bytes;
  out.push(bytes.subarray(at));
  return Buffer.concat(out);
}

/** A complete frame at `at`: where its body starts and where it ends; undefined when incomplete or unreadable. */
function frameAt(b: Buffer, at: number): { bodyAt: number; end: number } | undefined {
  const r = peekVarint(b, at + 1);
  // A longer encoding than needed may be the defect under test: leave such a frame alone.
  if (r < 0 || !varintIsMinimal(b, at + 1, r)) return undefined;
  const bodyAt = at + 1 + varintSize(r);
  const end = bodyAt + varintValue(r);
  return end <= b.length ? { bodyAt, end } : undefined;
}

/** The CONNECT frame with `pre` before its client id, or undefined when the id cannot be located or is empty. */
function prefixed(frame: Buffer, bodyAt: number, pre: Buffer): Buffer | undefined {
  const u16 = (i: number): number | undefined => (i + 2 <= frame.length ? frame.readUInt16BE(i) : undefined);
  const nameLen = u16(bodyAt);
  if (nameLen === undefined) return undefined;
  const levelAt = bodyAt + 2 + nameLen;
  // level, flags, keep alive (2)
  let idAt = levelAt + 4;
  if (idAt > frame.length) return undefined;
  if (frame[levelAt] === 5) {
    const props = frameAt(frame, idAt - 1); // a property length is a varint like a Remaining Length
    if (!props) return undefined;
    idAt = props.end;
  }
  const idLen = u16(idAt);
  if (idLen === undefined || idLen === 0 || idAt + 2 + idLen > frame.length) return undefined;
  const newIdLen = idLen + pre.length;
  if (newIdLen > 0xffff) return undefined;
  const body = Buffer.concat([
    frame.subarray(bodyAt, idAt),
    Buffer.from([newIdLen >> 8, newIdLen & 0xff]),
    pre,
    frame.subarray(idAt + 2),
  ]);
  return Buffer.concat([frame.subarray(0, 1), varintBytes(body.length), body]);
}
