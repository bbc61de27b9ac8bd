/**
 * UTF-8 validation for MQTT strings: well-formed (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF) and free of U+0000. A BOM (EF BB BF) is an ordinary character
 * and is kept. Pure byte scanning, no exceptions.
 */

/** Where a string went wrong: index of the first bad byte, and whether it is U+0000. */
export interface Utf8Problem {
  index: number;
  nul: boolean;
}

/** Check buf[start..end); null when the bytes are a valid MQTT UTF-8 string. */
export function checkUtf8(buf: Uint8Array, start: number, end: number): Utf8Problem | null {
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) {
      if (b === 0) return { index: i, nul: true };
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else return { index: i, nul: false };
    if (i + need >= end) return { index: i, nul: false }; // truncated sequence
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if ((c & 0xc0) !== 0x80) return { index: i, nul: false };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { index: i, nul: false };
    i += need + 1;
  }
  return null;
}
