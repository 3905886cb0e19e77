import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractPreviewUnguarded } from '../../../app/mail/preview.ts';
import type { MessagePreview } from '../../../app/mail/types.ts';
import { ALTERNATIVE_QP, BASE64_TEXT, HTML_NEWSLETTER, MIXED_PDF, PLAIN_ASCII, RFC2047_SUBJECTS, topPrefix, UTF8_EIGHT_BIT } from './samples.ts';

const SAMPLES = [PLAIN_ASCII, UTF8_EIGHT_BIT, RFC2047_SUBJECTS, ALTERNATIVE_QP, HTML_NEWSLETTER, MIXED_PDF, BASE64_TEXT];
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Byte strings that mean something to one of the parsers, for mutations that reach past the first check. */
const TOKENS = [
  '\r\n', '\n', '\r\n\r\n', '\r', ' ', '\t', ':', ';', ',', '"', '\\', '(', ')', '<', '>', '@', '=', '?', '_', '--',
  '--b', '--outer42', '------=_Part_77_1234567.1699471351000', '--outer42--', '=?', '?=', '=?utf-8?B?', '=?utf-8?Q?',
  '=C3', '=\r\n', 'Content-Type: multipart/mixed; boundary=b\r\n', 'Content-Transfer-Encoding: base64\r\n',
  'Content-Type: text/html; charset=koi8-r\r\n', "filename*0*=utf-8''%E2", '<script>', '<!--', '&#x', '&amp', '\u0000',
  '\u00ff', '\u00c3', '\u00e2\u0082', '> ', 'From ', 'Subject:', 'Date: ', 'GMT', '+0', '(',
].map((t) => Uint8Array.from(t, (c) => c.charCodeAt(0) & 0xff));

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly token: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number; readonly times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.nat(TOKENS.length - 1) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }), times: fc.integer({ min: 2, max: 200 }) }),
);

function mutate(message: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(message);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
    switch (m.kind) {
      case 'flip':
        if (at < bytes.length) bytes[at] = m.byte;
        break;
      case 'insert':
        bytes.splice(at, 0, ...(TOKENS[m.token] ?? []));
        break;
      case 'delete':
        bytes.splice(at, m.length);
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'repeat': {
        const chunk = bytes.slice(at, at + m.length);
        bytes.splice(at, 0, ...Array.from({ length: m.times - 1 }, () => chunk).flat());
        break;
      }
    }
  }
  return Uint8Array.from(bytes);
}

function expectWellFormed(preview: MessagePreview, cap: number): void {
  expect(preview.previewText.length).toBeLessThanOrEqual(cap);
  expect(typeof preview.subject).toBe('string');
  expect(preview.date === undefined || Number.isFinite(preview.date)).toBe(true);
  const last = preview.previewText.charCodeAt(preview.previewText.length - 1);
  expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
}

describe('extractPreview properties', () => {
  it('never throws on arbitrary bytes, and respects the cap', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.integer({ min: 0, max: 400 }), (bytes, cap) => {
        expectWellFormed(extractPreviewUnguarded(bytes, { maxPreviewChars: cap }), cap);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text built from meaningful tokens', () => {
    const tokenText = fc.array(fc.oneof(fc.nat(TOKENS.length - 1).map((i) => TOKENS[i] ?? new Uint8Array()), fc.uint8Array({ maxLength: 8 })), { maxLength: 300 });
    fc.assert(
      fc.property(tokenText, (chunks) => {
        const bytes = Uint8Array.from(chunks.flatMap((c) => Array.from(c)));
        expectWellFormed(extractPreviewUnguarded(bytes), 300);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary mutations of valid messages, and respects the cap', () => {
    fc.assert(
      fc.property(fc.nat(SAMPLES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 400 }), (i, mutations, cap) => {
        const message = mutate(SAMPLES[i] ?? new Uint8Array(), mutations);
        expectWellFormed(extractPreviewUnguarded(message, { maxPreviewChars: cap }), cap);
      }),
      { numRuns: 1000 },
    );
  });

  const headerValue = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom(
      'Alice Example <alice@example.org>',
      '"Smith, John" <john@example.com>, bob@example.net (Bob)',
      'Undisclosed recipients:;',
      '=?UTF-8?B?8J+OiSBQYXJ0eQ==?= =?UTF-8?B?IHRvbmlnaHQ=?=',
      '=?ISO-8859-1?Q?R=E9union_de_l=27=E9quipe?=',
      'Tue, 14 Mar 2023 09:12:40 +0000',
      '14 Mar 23 09:12 EST',
      '<id@example.org>',
      'multipart/mixed; boundary=b',
    ),
  );
  const field = fc.record({
    name: fc.constantFrom('From', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'Content-Type', 'Received', 'X-Other', 'subject', 'TO'),
    value: headerValue.map((v) => v.replace(/[\r\n]/g, ' ')),
    foldAt: fc.option(fc.nat(60)),
  });
  const bodyLine = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('--b', '', '> quoted', '=C3=A9', 'QUJD'));

  it('a TOP prefix (headers and the first n body lines) gives the same header fields as the whole message', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 12 }), fc.array(bodyLine.map((l) => l.replace(/[\r\n]/g, ' ')), { maxLength: 30 }), fc.nat(40), (fields, body, n) => {
        const head = fields
          .map(({ name, value, foldAt }) => {
            const at = foldAt ?? -1;
            // Fold only before white space, as RFC 5322 §2.2.3 allows.
            return at > 0 && value.charAt(at) === ' ' ? `${name}: ${value.slice(0, at)}\r\n${value.slice(at)}` : `${name}: ${value}`;
          })
          .map((line) => `${line}\r\n`)
          .join('');
        const headBytes = utf8(`${head}\r\n`);
        const whole = new Uint8Array([...headBytes, ...utf8(body.join('\r\n'))]);
        const top = topPrefix(whole, headBytes.length, n);
        expect(headerFields(extractPreviewUnguarded(top))).toEqual(headerFields(extractPreviewUnguarded(whole)));
      }),
      { numRuns: 500 },
    );
  });

  it('for the sample messages, every TOP prefix agrees with the whole message on the header fields', () => {
    for (const message of SAMPLES) {
      const whole = extractPreviewUnguarded(message);
      const bodyStart = message.indexOf(0x0a, findEmptyLine(message)) + 1;
      for (let n = 0; n < 40; n++) {
        expect(headerFields(extractPreviewUnguarded(topPrefix(message, bodyStart, n)))).toEqual(headerFields(whole));
      }
    }
  });
});

/** What a preview reads from the header block alone. */
function headerFields({ from, to, cc, subject, date, messageId }: MessagePreview) {
  return { from, to, cc, subject, date, messageId };
}

/** The offset of the empty line that ends a sample's header block (its CR). */
function findEmptyLine(message: Uint8Array): number {
  for (let i = 0; i + 3 < message.length; i++) {
    if (message[i] === 0x0d && message[i + 1] === 0x0a && message[i + 2] === 0x0d && message[i + 3] === 0x0a) return i + 2;
  }
  return message.length;
}
