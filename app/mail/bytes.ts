/** Small byte helpers shared by the preview modules. Nothing here allocates more than its output. */

export const HT = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SP = 0x20;
export const DASH = 0x2d;
export const COLON = 0x3a;

const LATIN1_CHUNK = 8192;

/**
 * Bytes as a string of one char per byte (ISO-8859-1, the identity mapping), so that string offsets stay byte
 * offsets. This is also the fallback for a charset no decoder knows.
 */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i += LATIN1_CHUNK) {
    // apply takes the typed array as it is; spreading it would go through the iterator, several times slower.
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + LATIN1_CHUNK)) as unknown as number[]);
  }
  return out;
}

/** A string of chars up to U+00FF back to its bytes; a higher char (which latin1 never yields) becomes `?`. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c <= 0xff ? c : 0x3f;
  }
  return out;
}

export function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] ?? 0) >= 0x80) return false;
  }
  return true;
}

export function isWsp(b: number | undefined): boolean {
  return b === SP || b === HT;
}

/** Where the line that starts at `from` ends: the index of its LF, or `bytes.length` when it has none. */
export function lineEnd(bytes: Uint8Array, from: number): number {
  const lf = bytes.indexOf(LF, from);
  return lf === -1 ? bytes.length : lf;
}

/** The end of a line's content: `end` (its LF or the end of input) less a CR just before it. */
export function contentEnd(bytes: Uint8Array, start: number, end: number): number {
  return end > start && bytes[end - 1] === CR ? end - 1 : end;
}

/** Whether `bytes` holds `needle` at `at`. */
export function bytesAt(bytes: Uint8Array, at: number, needle: Uint8Array): boolean {
  const last = needle.length - 1;
  if (at + needle.length > bytes.length) return false;
  // The last byte first: boundaries of nested multiparts often share a long prefix ("----=_Part_1", "_2").
  if (last >= 0 && bytes[at + last] !== needle[last]) return false;
  for (let i = 0; i < last; i++) {
    if (bytes[at + i] !== needle[i]) return false;
  }
  return true;
}

/** Concatenates byte ranges of `bytes` into one new array. */
export function gather(bytes: Uint8Array, ranges: readonly (readonly [number, number])[]): Uint8Array {
  let size = 0;
  for (const [s, e] of ranges) size += e - s;
  const out = new Uint8Array(size);
  let at = 0;
  for (const [s, e] of ranges) {
    out.set(bytes.subarray(s, e), at);
    at += e - s;
  }
  return out;
}

/** Cuts `text` to at most `max` UTF-16 code units without splitting a surrogate pair. */
export function cutChars(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, Math.floor(max));
  const last = text.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut--;
  return text.slice(0, cut);
}
