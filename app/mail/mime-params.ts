/**
 * Content-Type and Content-Disposition values (RFC 2045 §5.1, RFC 2183 §2): a lower-cased value and its
 * parameters, with RFC 2231 extended parameters (`filename*=utf-8''%E2%82%AC.pdf`) and continuations
 * (`boundary*0=…; boundary*1=…`) joined and decoded.
 *
 * Lenient where mail is: a missing `;` between parameters (`charset=utf-8 format=flowed`), a quoted string that
 * never closes, RFC 2047 encoded words in a file name (Outlook writes `name="=?utf-8?B?…?="`). Nothing throws.
 */
import { latin1Bytes } from './bytes.ts';
import { decodeCharset } from './charsets.ts';
import { decodeEncodedWords } from './encoded-words.ts';

/** Parameters kept per field: far more than any real field has; the rest are ignored. */
const MAX_PARAMETERS = 64;
/** RFC 2231 §3 continuation sections joined per parameter. */
const MAX_SECTIONS = 100;

export interface MimeValue {
  /** The value before the first `;`, lower-cased and trimmed: `text/plain`, `attachment`. */
  readonly value: string;
  /** Parameter names lower-cased, values decoded. */
  readonly params: ReadonlyMap<string, string>;
}

interface Section {
  readonly text: string;
  /** RFC 2231 §4: the section is percent-encoded (its name ends in `*`). */
  readonly encoded: boolean;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** Reads `name=value` pairs after the first `;`. Linear: every step moves `i` forward. */
function rawParameters(s: string, from: number): [string, string][] {
  const out: [string, string][] = [];
  let i = from;
  while (i < s.length && out.length < MAX_PARAMETERS) {
    while (i < s.length && (isSpace(s.charAt(i)) || s.charAt(i) === ';')) i++;
    const nameStart = i;
    while (i < s.length && !'=;'.includes(s.charAt(i))) i++;
    const name = s.slice(nameStart, i).trim().toLowerCase();
    if (s.charAt(i) !== '=') continue;
    i++;
    while (i < s.length && isSpace(s.charAt(i))) i++;
    let value = '';
    if (s.charAt(i) === '"') {
      i++;
      while (i < s.length && s.charAt(i) !== '"') {
        if (s.charAt(i) === '\\' && i + 1 < s.length) i++;
        value += s.charAt(i);
        i++;
      }
      i++;
    } else {
      const start = i;
      while (i < s.length && s.charAt(i) !== ';' && !isSpace(s.charAt(i))) i++;
      value = s.slice(start, i);
    }
    if (name !== '') out.push([name, value]);
  }
  return out;
}

/** RFC 2231 §4: `%XX` to a byte; a `%` without two hex digits, like any other char, stays as written. */
function percentDecode(text: string): Uint8Array {
  const raw = latin1Bytes(text);
  const out = new Uint8Array(raw.length);
  let size = 0;
  for (let i = 0; i < raw.length; i++) {
    const hex = raw[i] === 0x25 ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out[size++] = parseInt(hex, 16);
      i += 2;
    } else {
      out[size++] = raw[i] ?? 0;
    }
  }
  return out.subarray(0, size);
}

/** Joins the sections of one RFC 2231 parameter in order and decodes them with the charset of the first. */
function joinSections(sections: ReadonlyMap<number, Section>): string {
  const ordered = [...sections.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  let charset: string | undefined;
  const chunks = ordered.map((section, index) => {
    let text = section.text;
    if (index === 0 && section.encoded) {
      // RFC 2231 §4: charset'language'text; the language is ignored.
      const quote1 = text.indexOf("'");
      const quote2 = quote1 === -1 ? -1 : text.indexOf("'", quote1 + 1);
      if (quote2 !== -1) {
        charset = text.slice(0, quote1);
        text = text.slice(quote2 + 1);
      }
    }
    return section.encoded ? percentDecode(text) : latin1Bytes(text);
  });
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return decodeCharset(bytes, charset === '' ? undefined : charset);
}

/** Parses a parameterised field value; an empty string gives an empty value and no parameters. */
export function parseMimeValue(field: string): MimeValue {
  const semi = field.indexOf(';');
  const value = (semi === -1 ? field : field.slice(0, semi)).replace(/\s+/g, '').toLowerCase();
  const params = new Map<string, string>();
  if (semi === -1) return { value, params };

  const extended = new Map<string, Map<number, Section>>();
  for (const [name, text] of rawParameters(field, semi + 1)) {
    const star = name.indexOf('*');
    if (star === -1) {
      if (!params.has(name)) params.set(name, text);
      continue;
    }
    const base = name.slice(0, star);
    const rest = name.slice(star + 1);
    const encoded = rest === '' || rest.endsWith('*');
    const number = rest === '' ? 0 : Number.parseInt(rest, 10);
    if (!Number.isInteger(number) || number < 0 || number >= MAX_SECTIONS) continue;
    let sections = extended.get(base);
    if (sections === undefined) extended.set(base, (sections = new Map<number, Section>()));
    if (!sections.has(number)) sections.set(number, { text, encoded });
  }
  // RFC 2231 §2: where both forms are sent (for old readers), the extended one is the truth.
  for (const [base, sections] of extended) params.set(base, joinSections(sections));
  for (const name of ['name', 'filename']) {
    const v = params.get(name);
    if (v !== undefined) params.set(name, decodeEncodedWords(v));
  }
  return { value, params };
}

export interface ContentType {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * RFC 2045 §5.2: no Content-Type, or one that does not parse, means text/plain (message/rfc822 inside a
 * multipart/digest, RFC 2046 §5.1.5).
 */
export function parseContentType(field: string | undefined, inDigest = false): ContentType {
  const parsed = parseMimeValue(field ?? '');
  const slash = parsed.value.indexOf('/');
  const type = slash === -1 ? '' : parsed.value.slice(0, slash);
  const subtype = slash === -1 ? '' : parsed.value.slice(slash + 1);
  if (type === '' || subtype === '') {
    return { type: inDigest ? 'message' : 'text', subtype: inDigest ? 'rfc822' : 'plain', params: parsed.params };
  }
  return { type, subtype, params: parsed.params };
}
