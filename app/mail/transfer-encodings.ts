/**
 * Content-Transfer-Encoding decoders (RFC 2045 §6), tolerant of what a TOP response does to a body: it stops at a
 * line count, so the encoded text may end in the middle of a base64 quantum or a quoted-printable escape. Neither
 * decoder throws; what cannot be decoded is dropped (base64) or kept as written (quoted-printable).
 */

const BASE64_VALUES = (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

const EQUALS = 0x3d;
const HT = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;

/** Whether every byte is in the base64 alphabet or is `=` padding (RFC 2047 §4.1 forbids anything else). */
export function isStrictBase64(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b !== EQUALS && (BASE64_VALUES[b] ?? -1) < 0) return false;
  }
  return true;
}

/**
 * RFC 2045 §6.8. Characters outside the alphabet (line breaks, spaces, garbage) are ignored, as the RFC says.
 * Padding ends a quantum early, so base64 streams joined together still decode; a trailing partial quantum of two
 * or three characters yields the one or two whole bytes it holds, and a lone trailing character is dropped.
 */
export function decodeBase64(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((src.length * 3) / 4) + 3);
  let size = 0;
  let quantum = 0;
  let count = 0;
  const flush = (): void => {
    // A partial quantum of n characters holds n-1 whole bytes, left-aligned in 6n bits.
    if (count >= 2) out[size++] = (quantum >> (6 * count - 8)) & 0xff;
    if (count >= 3) out[size++] = (quantum >> (6 * count - 16)) & 0xff;
    quantum = 0;
    count = 0;
  };
  for (const b of src) {
    const v = BASE64_VALUES[b] ?? -1;
    if (v < 0) {
      if (b === EQUALS) flush();
      continue;
    }
    quantum = (quantum << 6) | v;
    count++;
    if (count === 4) {
      out[size++] = (quantum >> 16) & 0xff;
      out[size++] = (quantum >> 8) & 0xff;
      out[size++] = quantum & 0xff;
      quantum = 0;
      count = 0;
    }
  }
  flush();
  return out.subarray(0, size);
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/**
 * RFC 2045 §6.7. `=XX` is a byte (lower-case hex accepted, as rule (1) recommends for robustness); `=` at the end of
 * a line, possibly after transport padding, is a soft line break; an `=` cut off by the end of the input, alone or
 * with one hex digit, is dropped; any other `=` stays as written. With `underscoreIsSpace` it decodes the "Q"
 * encoding of RFC 2047 §4.2, where `_` stands for a space.
 */
export function decodeQuotedPrintable(src: Uint8Array, underscoreIsSpace = false): Uint8Array {
  const out = new Uint8Array(src.length);
  let size = 0;
  let i = 0;
  while (i < src.length) {
    const b = src[i] ?? 0;
    if (b !== EQUALS && underscoreIsSpace) {
      out[size++] = b === 0x5f ? SP : b;
      i++;
      continue;
    }
    if (b !== EQUALS) {
      // Copy the run up to the next '=' at once: most of a quoted-printable body is literal.
      const eq = src.indexOf(EQUALS, i);
      const stop = eq === -1 ? src.length : eq;
      out.set(src.subarray(i, stop), size);
      size += stop - i;
      i = stop;
      continue;
    }
    const hi = hexValue(src[i + 1]);
    const lo = hexValue(src[i + 2]);
    if (hi >= 0 && lo >= 0) {
      out[size++] = (hi << 4) | lo;
      i += 3;
      continue;
    }
    if (i + 1 >= src.length || (hi >= 0 && i + 2 >= src.length)) break;
    let j = i + 1;
    while (j < src.length && (src[j] === SP || src[j] === HT)) j++;
    if (j < src.length && src[j] === CR) j++;
    if (j >= src.length) break;
    if (src[j] === LF) {
      i = j + 1;
      continue;
    }
    out[size++] = b;
    i++;
  }
  return out.subarray(0, size);
}

export type TransferEncoding = 'base64' | 'quoted-printable' | 'identity';

/** The Content-Transfer-Encoding field value to a decoder; 7bit, 8bit, binary and anything unknown are identity. */
export function transferEncodingOf(value: string | undefined): TransferEncoding {
  const v = (value ?? '').trim().toLowerCase();
  if (v === 'base64') return 'base64';
  if (v === 'quoted-printable') return 'quoted-printable';
  return 'identity';
}

export function decodeTransferEncoding(src: Uint8Array, encoding: TransferEncoding): Uint8Array {
  switch (encoding) {
    case 'base64':
      return decodeBase64(src);
    case 'quoted-printable':
      return decodeQuotedPrintable(src);
    case 'identity':
      return src;
  }
}
