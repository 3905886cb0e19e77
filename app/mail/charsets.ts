/**
 * Bytes to text for a MIME charset (RFC 2045 §5.1, RFC 2047 §2). Decoding is TextDecoder's (the WHATWG Encoding
 * Standard, which both Node and Chromium implement with full ICU), except windows-1252 (see below); a label it
 * does not know is decoded as ISO-8859-1, so that text in a rare charset still shows its ASCII parts.
 */
import { isAscii, latin1 } from './bytes.ts';
import { MAX_CACHED_CHARSETS } from './limits.ts';

/** Labels mail software writes that the Encoding Standard does not list, mapped to what they mean. */
const ALIASES: Readonly<Record<string, string>> = {
  'cp936': 'gbk',
  'ms936': 'gbk',
  'windows-936': 'gbk',
  'cp932': 'shift_jis',
  'shift-jis-2004': 'shift_jis',
  'cp949': 'euc-kr',
  'ks_c_5601': 'euc-kr',
  'cp950': 'big5',
  'big5-hkscs:2008': 'big5',
  'latin-1': 'iso-8859-1',
  'cp819': 'iso-8859-1',
  'utf8mb4': 'utf-8',
  'cp65001': 'utf-8',
  'x-utf8': 'utf-8',
};

/** Labels that mean "no 8-bit text was expected": decoded like unlabelled text, since 8-bit bytes do occur. */
const UNLABELLED = new Set(['', 'us-ascii', 'ascii', 'ansi_x3.4-1968', 'x-unknown', 'unknown-8bit', 'default']);

/** Spelled this way because under Node's types (the test project) TextDecoder is a value, not a class type. */
type Decoder = InstanceType<typeof TextDecoder>;

const decoders = new Map<string, Decoder | null>();

/** The cached decoder for a label, `null` when TextDecoder refuses the label (unknown, or "replacement"). */
function decoderFor(label: string): Decoder | null {
  const cached = decoders.get(label);
  if (cached !== undefined) return cached;
  let decoder: Decoder | null;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = null;
  }
  if (decoders.size < MAX_CACHED_CHARSETS) decoders.set(label, decoder);
  return decoder;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** windows-1252 bytes 0x80-0x9F (Encoding Standard, index-windows-1252); every other byte is its own code point. */
const WINDOWS_1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * windows-1252, decoded here rather than by TextDecoder: Node 20.18.3 and later decode it as ISO-8859-1, so 0x80
 * comes out as U+0080 instead of the euro sign (nodejs/node#56542, #60888). It is the label of "latin1",
 * "iso-8859-1" and "us-ascii" too, so it is the most common single-byte charset in mail.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const codes = Uint16Array.from(bytes.subarray(i, i + CHUNK), (b) => (b >= 0x80 && b <= 0x9f ? (WINDOWS_1252_C1[b - 0x80] ?? b) : b));
    out += String.fromCharCode.apply(null, codes as unknown as number[]);
  }
  return out;
}

/** A charset label as written (any case, quoted, with an RFC 2231 `*language` suffix) to a lookup key. */
export function normalizeCharset(label: string): string {
  let key = label.trim().toLowerCase();
  if (key.startsWith('"') && key.endsWith('"') && key.length >= 2) key = key.slice(1, -1).trim();
  const star = key.indexOf('*');
  if (star !== -1) key = key.slice(0, star);
  return ALIASES[key] ?? key;
}

/**
 * Bytes in no declared charset (raw 8-bit header text, an unlabelled body): UTF-8 when they are valid UTF-8, which
 * is what modern software sends, else windows-1252, which is what older software meant (and a superset of
 * ISO-8859-1 for display). With `stream`, an incomplete UTF-8 sequence at the end is dropped, not an error: the
 * bytes may have been cut anywhere by TOP.
 */
export function decodeUnlabelled(bytes: Uint8Array, stream = false): string {
  try {
    // ASCII cannot end mid-character, so it needs no streaming decoder of its own.
    if (!stream || isAscii(bytes)) return utf8Fatal.decode(bytes);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return decodeWindows1252(bytes);
  }
}

/**
 * Bytes in the named charset. `stream` says the bytes may stop mid-character (a cut TOP response, a capped part):
 * an incomplete trailing sequence is then dropped rather than shown as U+FFFD.
 */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined, stream = false): string {
  const key = normalizeCharset(charset ?? '');
  if (UNLABELLED.has(key)) return decodeUnlabelled(bytes, stream);
  const decoder = decoderFor(key);
  if (decoder === null) return latin1(bytes);
  if (decoder.encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (!stream) return decoder.decode(bytes);
  // A streaming decode keeps state; a fresh decoder keeps the cached one stateless.
  try {
    return new TextDecoder(key).decode(bytes, { stream: true });
  } catch {
    return latin1(bytes);
  }
}
