/**
 * RFC 2047 encoded words (`=?charset?B|Q?text?=`) in unstructured text and in display names.
 *
 * Decoding follows the RFC where mail follows it and is lenient where mail commonly does not: an encoded word
 * need not be separated from the text around it (`Re:=?utf-8?…?=`), the charset may carry an RFC 2231 §5
 * language (`utf-8*en`), and adjacent encoded words in the same charset are decoded together, because encoders
 * routinely split a multi-byte character across two words. A word that does not decode (bad base64, empty
 * charset) is left as written. An unknown charset decodes as ISO-8859-1 (see charsets.ts).
 */
import { latin1Bytes } from './bytes.ts';
import { decodeCharset, normalizeCharset } from './charsets.ts';
import { decodeBase64, decodeQuotedPrintable, isStrictBase64 } from './transfer-encodings.ts';

/**
 * charset and encoded text exclude `?` and white space, so one match attempt stops at the next `?`: each char is
 * looked at a bounded number of times and the scan stays linear.
 */
const ENCODED_WORD = /=\?([^?\s]{1,64})\?([bBqQ])\?([^?\s]*)\?=/g;

/** RFC 2047 §6.2: white space between two adjacent encoded words is not displayed. */
const ONLY_WHITE_SPACE = /^[ \t\r\n]*$/;

/** The bytes an encoded word stands for, or undefined when it is malformed. */
function payloadBytes(encoding: string, text: string): Uint8Array | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7e) return undefined;
  }
  const raw = latin1Bytes(text);
  if (encoding === 'b' || encoding === 'B') {
    return isStrictBase64(raw) ? decodeBase64(raw) : undefined;
  }
  return decodeQuotedPrintable(raw, true);
}

/** Decodes every RFC 2047 encoded word in `text`; text without `=?` is returned as it is. */
export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  let out = '';
  let last = 0;
  let pending: { charset: string; chunks: Uint8Array[] } | undefined;
  const flush = (): void => {
    if (pending === undefined) return;
    const { charset, chunks } = pending;
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    out += decodeCharset(all, charset);
    pending = undefined;
  };

  for (const match of text.matchAll(ENCODED_WORD)) {
    const [word, rawCharset = '', encoding = '', payload = ''] = match;
    const at = match.index;
    const gap = text.slice(last, at);
    const charset = normalizeCharset(rawCharset);
    const bytes = charset === '' ? undefined : payloadBytes(encoding, payload);
    last = at + word.length;
    if (bytes === undefined) {
      flush();
      out += gap + word;
      continue;
    }
    const adjacent = pending !== undefined && ONLY_WHITE_SPACE.test(gap);
    if (adjacent && pending?.charset === charset) {
      pending.chunks.push(bytes);
      continue;
    }
    flush();
    if (!adjacent) out += gap;
    pending = { charset, chunks: [bytes] };
  }
  flush();
  return out + text.slice(last);
}
