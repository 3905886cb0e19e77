/**
 * Just enough MIME writing for the demo's sample mail (RFC 5322 headers and dates, RFC 2045-2047 encodings,
 * multiparts). Output is ASCII with CRLF line endings, except 8bit UTF-8 text parts where asked for.
 */

export interface Part {
  /** Header lines of the part, without line endings. */
  readonly headers: readonly string[];
  /** The body, lines separated by CRLF. */
  readonly body: string;
}

const CRLF = '\r\n';
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const crlf = (text: string): string => text.replace(/\r?\n/g, CRLF);
const two = (n: number): string => String(n).padStart(2, '0');
const hex = (byte: number): string => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** RFC 5322 §3.3, as seen by a sender whose clock is `offsetMinutes` east of UTC. */
export function rfc5322Date(epochMs: number, offsetMinutes: number): string {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()] ?? ''}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()} ${time} ${zone}`;
}

/**
 * RFC 2047 encoded words for a header's text (or a display name: the Q form escapes everything a phrase may not
 * hold). Words are at most 75 characters and split between characters, never inside one.
 */
export function encodedWords(text: string, encoding: 'B' | 'Q', charset: 'UTF-8' | 'ISO-8859-1' = 'UTF-8'): string {
  const bytesOf = (s: string): Buffer => Buffer.from(s, charset === 'UTF-8' ? 'utf8' : 'latin1');
  const encode = (s: string): string =>
    encoding === 'B'
      ? bytesOf(s).toString('base64')
      : [...bytesOf(s)].map((b) => (b === 0x20 ? '_' : /[A-Za-z0-9!*+\-/]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : hex(b))).join('');
  const room = 75 - `=?${charset}?${encoding}??=`.length;
  const words: string[] = [];
  let current = '';
  for (const char of text) {
    if (current !== '' && encode(current + char).length > room) {
      words.push(current);
      current = '';
    }
    current += char;
  }
  if (current !== '') words.push(current);
  return words.map((w) => `=?${charset}?${encoding}?${encode(w)}?=`).join(`${CRLF} `);
}

/** `Name <address>`, the name quoted when it needs to be, or given already encoded. */
export function mailbox(name: string, address: string): string {
  if (name === '') return `<${address}>`;
  if (/^=\?/.test(name) || /^[A-Za-z0-9 .'-]*$/.test(name)) return `${name} <${address}>`;
  return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

/** A header field, folded at spaces so that lines stay within 78 characters where they can (RFC 5322 §2.2.3). */
export function field(name: string, value: string): string {
  const out: string[] = [];
  let line = `${name}:`;
  for (const word of value.split(' ')) {
    if (line.length + 1 + word.length > 78 && line.length > name.length + 1) {
      out.push(line);
      line = '';
    }
    line += ` ${word}`;
  }
  out.push(line);
  return out.join(CRLF);
}

/** RFC 2045 §6.8, lines of 76. */
export function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

/** RFC 2045 §6.7 quoted-printable of `text` in `charset`, with soft line breaks before column 76. */
export function quotedPrintable(text: string, charset: 'UTF-8' | 'ISO-8859-1' = 'UTF-8'): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const bytes = Buffer.from(line, charset === 'UTF-8' ? 'utf8' : 'latin1');
      const out: string[] = [];
      let current = '';
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        const plain = (b >= 0x21 && b <= 0x7e && b !== 0x3d) || (b === 0x20 && !last);
        const piece = plain ? String.fromCharCode(b) : hex(b);
        if (current.length + piece.length > 75) {
          out.push(`${current}=`);
          current = '';
        }
        current += piece;
      });
      out.push(current);
      return out.join(CRLF);
    })
    .join(CRLF);
}

export interface TextOptions {
  readonly subtype?: 'plain' | 'html';
  readonly charset?: 'UTF-8' | 'ISO-8859-1' | 'US-ASCII';
  readonly transfer?: '7bit' | '8bit' | 'quoted-printable' | 'base64';
  readonly headers?: readonly string[];
}

export function textPart(text: string, options: TextOptions = {}): Part {
  const charset = options.charset ?? 'UTF-8';
  const transfer = options.transfer ?? (charset === 'UTF-8' ? '8bit' : '7bit');
  const byteCharset = charset === 'ISO-8859-1' ? 'ISO-8859-1' : 'UTF-8';
  const body =
    transfer === 'quoted-printable'
      ? quotedPrintable(text, byteCharset)
      : transfer === 'base64'
        ? base64Lines(Buffer.from(crlf(text), byteCharset === 'UTF-8' ? 'utf8' : 'latin1'))
        : crlf(text);
  return {
    headers: [
      `Content-Type: text/${options.subtype ?? 'plain'}; charset=${charset}`,
      `Content-Transfer-Encoding: ${transfer}`,
      ...(options.headers ?? []),
    ],
    body,
  };
}

export function binaryPart(contentType: string, data: Buffer, headers: readonly string[] = []): Part {
  return { headers: [`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: base64', ...headers], body: base64Lines(data) };
}

export function multipart(subtype: 'mixed' | 'alternative' | 'related', boundary: string, parts: readonly Part[]): Part {
  const body = parts.map((p) => `--${boundary}${CRLF}${p.headers.join(CRLF)}${CRLF}${CRLF}${p.body}${CRLF}`).join('');
  const related = subtype === 'related' ? '; type="text/html"' : '';
  return {
    headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"${related}`],
    body: `This is a message in MIME format.${CRLF}${CRLF}${body}--${boundary}--${CRLF}`,
  };
}

/** A whole message: the given header fields, then the root part's own headers and body. */
export function compose(fields: readonly string[], root: Part): Buffer {
  const own = ['MIME-Version: 1.0', ...root.headers];
  const body = root.body.endsWith(CRLF) ? root.body : root.body + CRLF;
  return Buffer.from(`${[...fields, ...own].join(CRLF)}${CRLF}${CRLF}${body}`, 'utf8');
}
