import { describe, expect, it } from 'vitest';
import { extractPreview, extractPreviewUnguarded } from '../../../app/mail/preview.ts';
import type { MessagePreview } from '../../../app/mail/types.ts';
import {
  ALTERNATIVE_QP,
  BASE64_TEXT,
  BASE64_TEXT_LINES,
  bytesOf,
  concat,
  HTML_NEWSLETTER,
  mail,
  MIXED_PDF,
  NO_HEADERS,
  PLAIN_ASCII,
  RFC2047_SUBJECTS,
  UTF8_EIGHT_BIT,
} from './samples.ts';

const EMPTY: MessagePreview = { from: [], to: [], cc: [], subject: '', previewText: '', hasAttachments: false };

describe('extractPreview: sample messages', () => {
  const cases: readonly [name: string, message: Uint8Array, expected: MessagePreview][] = [
    [
      'plain ASCII',
      PLAIN_ASCII,
      {
        from: [{ name: 'Alice Example', address: 'alice@example.org' }],
        to: [{ name: 'Bob', address: 'bob@example.net' }],
        cc: [],
        subject: 'Lunch on Thursday?',
        date: Date.UTC(2023, 2, 14, 9, 12, 40),
        messageId: '<20230314091240.ABC123@example.org>',
        previewText: 'Hi Bob, Are we still on for lunch on Thursday? The new place on 5th street opens at noon. Alice',
        firstLines: 'Hi Bob,\n\nAre we still on for lunch on Thursday? The new place on 5th street\nopens at noon.\n\nAlice',
        hasAttachments: false,
      },
    ],
    [
      'UTF-8 8-bit headers and body',
      UTF8_EIGHT_BIT,
      {
        from: [{ name: 'Jürgen Müller', address: 'juergen@example.de' }],
        to: [{ name: 'Zoë Dubois', address: 'zoe@example.fr' }],
        cc: [],
        subject: 'Grüße aus München – Oktoberfest',
        date: Date.UTC(2023, 8, 23, 16, 30),
        messageId: '<b7e1@mail.example.de>',
        previewText: 'Hallo Zoë, die Weißwürste waren großartig! 🍺 Bis bald.',
        firstLines: 'Hallo Zoë,\n\ndie Weißwürste waren großartig! 🍺 Bis bald.',
        hasAttachments: false,
      },
    ],
    [
      'RFC 2047 subject and names, ISO-8859-1 quoted-printable body',
      RFC2047_SUBJECTS,
      {
        from: [{ name: 'André Lefèvre', address: 'andre@example.fr' }],
        to: [
          { name: '李明', address: 'li.ming@example.cn' },
          { name: 'Zoë', address: 'zoe@example.fr' },
        ],
        cc: [],
        subject: "🎉 Party tonight à la maison de l'équipe",
        date: Date.UTC(2023, 11, 1, 16, 5),
        previewText: 'On se retrouve à 20h. Apportez du fromage et du vin.',
        firstLines: 'On se retrouve à 20h. Apportez du fromage et du vin.',
        hasAttachments: false,
      },
    ],
    [
      'multipart/alternative: the quoted-printable text/plain part',
      ALTERNATIVE_QP,
      {
        from: [{ name: 'Support Team', address: 'support@shop.example' }],
        to: [{ name: '', address: 'customer@example.com' }],
        cc: [],
        subject: 'Your order #48213 has shipped',
        date: Date.UTC(2023, 10, 8, 19, 22, 31),
        messageId: '<order-48213-shipped@shop.example>',
        previewText: 'Good news – your order is on its way! Track it at https://shop.example/track/48213. Estimated delivery: Friday.',
        firstLines: 'Good news – your order is on its way! Track it at https://shop.example/track/48213. Estimated delivery: Friday.',
        hasAttachments: false,
      },
    ],
    [
      'HTML-only newsletter',
      HTML_NEWSLETTER,
      {
        from: [{ name: 'Weekly Digest', address: 'news@digest.example' }],
        to: [{ name: '', address: 'reader@example.com' }],
        cc: [],
        subject: 'This week: 5 things you missed',
        date: Date.UTC(2023, 11, 4, 6),
        previewText: 'Five stories, one coffee — read in 4 minutes Hello reader, Rates & fees <changed> "again" \'today\' — see below.',
        firstLines: 'Five stories, one coffee — read in 4 minutes\n\nHello\u00a0reader,\n\nRates & fees <changed> "again" \'today\' — see below.',
        hasAttachments: false,
      },
    ],
    [
      'multipart/mixed with a PDF attachment',
      MIXED_PDF,
      {
        from: [{ name: 'Carol', address: 'carol@example.com' }],
        to: [{ name: 'Dave', address: 'dave@example.com' }],
        cc: [{ name: 'Finance, Team', address: 'finance@example.com' }],
        subject: 'Q3 report',
        date: Date.UTC(2023, 9, 12, 9),
        messageId: '<q3-report@example.com>',
        previewText: 'Dave, the Q3 report is attached.',
        firstLines: 'Dave, the Q3 report is attached.',
        hasAttachments: true,
      },
    ],
    [
      'no header block',
      NO_HEADERS,
      { ...EMPTY, previewText: 'Just a body, no header block at all. Second line of it.', firstLines: 'Just a body, no header block at all.\nSecond line of it.' },
    ],
    ['empty input', new Uint8Array(), EMPTY],
    ['only an empty line', mail(['', '']), EMPTY],
  ];
  it.each(cases)('%s', (_name, message, expected) => {
    expect(extractPreviewUnguarded(message)).toEqual(expected);
    expect(extractPreview(message)).toEqual(expected);
  });
});

describe('extractPreview: input views', () => {
  it('reads a Node Buffer and a view into a larger buffer alike', () => {
    const expected = extractPreviewUnguarded(MIXED_PDF);
    expect(extractPreview(Buffer.from(MIXED_PDF))).toEqual(expected);
    const padded = concat(new Uint8Array(7).fill(0x41), MIXED_PDF, new Uint8Array(5).fill(0x42));
    expect(extractPreview(padded.subarray(7, 7 + MIXED_PDF.length))).toEqual(expected);
  });
});

describe('extractPreview: TOP responses cut anywhere', () => {
  const whole = extractPreviewUnguarded(BASE64_TEXT);

  it('reads a base64 body', () => {
    expect(whole.previewText).toBe('Frank — the flight lands at 9:40 on Tuesday. Can you pick me up? Café first, then the hotel.');
  });

  it.each([1, 2, 3, 5, 10, 17, 29, 30, 31, 40, 55, 76])('a cut %i characters into the base64 keeps the whole characters before it', (n) => {
    const lines = [...BASE64_TEXT_LINES.slice(0, 7), (BASE64_TEXT_LINES[7] ?? '').slice(0, n)];
    const preview = extractPreviewUnguarded(mail(lines));
    expect(whole.previewText.startsWith(preview.previewText)).toBe(true);
    expect(preview.previewText).not.toContain('\ufffd');
    expect(preview.subject).toBe('Travel plans');
  });

  it('a cut inside a quoted-printable escape drops the partial escape', () => {
    const head = ['Subject: q', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', ''];
    expect(extractPreviewUnguarded(mail([...head, 'caf=C3=A9 cr=C3=A8me =E2=82=AC'])).previewText).toBe('café crème €');
    expect(extractPreviewUnguarded(mail([...head, 'caf=C3=A9 cr=C3=A8me =E2=82='])).previewText).toBe('café crème');
    expect(extractPreviewUnguarded(mail([...head, 'caf=C3=A9 cr=C3=A8me =E2=8'])).previewText).toBe('café crème');
    expect(extractPreviewUnguarded(mail([...head, 'caf=C3=A9 cr=C3='])).previewText).toBe('café cr');
  });

  it('a TOP n 0 of a multipart message has no preview text (the preamble boilerplate is not one)', () => {
    const top = mail([
      'Subject: s',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      'This is a multi-part message in MIME format.',
      '',
    ]);
    expect(extractPreviewUnguarded(top)).toEqual({ ...EMPTY, subject: 's' });
  });

  it('a multipart body cut inside its first part still gives that part', () => {
    const cut = mail(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'first line', 'second']);
    expect(extractPreviewUnguarded(cut).previewText).toBe('first line second');
  });
});

/** A multipart body from parts, each a header block and a body, with boundary `b`. */
function multipart(type: string, parts: readonly (readonly [headers: readonly string[], body: string])[], boundary = 'b'): string[] {
  const lines = [`Content-Type: multipart/${type}; boundary="${boundary}"`, ''];
  for (const [headers, body] of parts) lines.push(`--${boundary}`, ...headers, '', body);
  lines.push(`--${boundary}--`, '');
  return lines;
}

describe('extractPreview: MIME structure', () => {
  it('prefers the first text/plain part at any depth over an earlier text/html one', () => {
    const message = mail([
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html',
      '',
      '<p>html text</p>',
      '--b',
      ...multipart('alternative', [[['Content-Type: text/plain'], 'plain text']], 'inner'),
      '--b--',
    ]);
    expect(extractPreviewUnguarded(message).previewText).toBe('plain text');
  });

  it('uses the text/html part when the text/plain one is empty', () => {
    const message = mail(multipart('alternative', [[['Content-Type: text/plain'], ' \r\n'], [['Content-Type: text/html'], '<p>rich</p>']]));
    expect(extractPreviewUnguarded(message).previewText).toBe('rich');
  });

  it('uses the first text/html part when there is no text/plain one', () => {
    const message = mail(multipart('related', [[['Content-Type: text/html; charset=utf-8'], '<p>Only &amp; html</p>'], [['Content-Type: image/png', 'Content-ID: <logo>'], 'iVBORw0KGgo=']]));
    expect(extractPreviewUnguarded(message)).toMatchObject({ previewText: 'Only & html', hasAttachments: false });
  });

  it('skips a text part that is an attachment', () => {
    const message = mail(
      multipart('mixed', [
        [['Content-Type: text/plain; name="notes.txt"', 'Content-Disposition: attachment'], 'attached notes'],
        [['Content-Type: text/plain'], 'the body'],
      ]),
    );
    expect(extractPreviewUnguarded(message)).toMatchObject({ previewText: 'the body', hasAttachments: true });
  });

  it('finds a boundary that the Content-Type does not name', () => {
    const message = mail(['Content-Type: multipart/mixed', '', 'preamble', '--guessed', 'Content-Type: text/plain', '', 'found it', '--guessed--']);
    expect(extractPreviewUnguarded(message).previewText).toBe('found it');
  });

  it('reads a boundary given as RFC 2231 continuations', () => {
    const message = mail(['Content-Type: multipart/mixed; boundary*0="ab"; boundary*1="cd"', '', '--abcd', '', 'continued', '--abcd--']);
    expect(extractPreviewUnguarded(message).previewText).toBe('continued');
  });

  it('shows the body of a multipart whose boundary never appears, if it is not boilerplate', () => {
    const message = mail(['Content-Type: multipart/mixed; boundary="never"', '', 'Mislabelled plain text.']);
    expect(extractPreviewUnguarded(message).previewText).toBe('Mislabelled plain text.');
  });

  it('does not take a boundary that is a prefix of a longer line', () => {
    const message = mail(['Content-Type: multipart/mixed; boundary=b', '', '--b', '', 'one', '--bx not a boundary', 'two', '--b--']);
    expect(extractPreviewUnguarded(message).previewText).toBe('one --bx not a boundary two');
  });

  it('reads a text part in a charset from an HTML meta element', () => {
    const message = concat(mail(['Content-Type: text/html', '', '<meta charset="koi8-r"><p>']), bytesOf('\u00f0\u00d2\u00c9\u00d7\u00c5\u00d4'));
    expect(extractPreviewUnguarded(message).previewText).toBe('Привет');
  });

  it('caps multipart nesting and still walks the rest', () => {
    const depth = 50;
    const lines = ['Subject: deep'];
    for (let i = 0; i < depth; i++) lines.push(`Content-Type: multipart/mixed; boundary="d${i}"`, '', `--d${i}`);
    lines.push('Content-Type: text/plain', '', 'too deep to find');
    const preview = extractPreviewUnguarded(mail(lines));
    expect(preview.subject).toBe('deep');
    expect(preview.previewText).toBe('');
  });

  const attachments: readonly [name: string, headers: readonly string[], parent: string, expected: boolean][] = [
    ['Content-Disposition: attachment', ['Content-Type: text/plain', 'Content-Disposition: attachment'], 'mixed', true],
    ['a filename', ['Content-Type: image/jpeg', 'Content-Disposition: inline; filename="photo.jpg"'], 'mixed', true],
    ['an RFC 2231 filename', ['Content-Type: application/octet-stream', "Content-Disposition: inline; filename*=utf-8''%E2%82%AC.bin"], 'mixed', true],
    ['a name parameter', ['Content-Type: text/csv; name="data.csv"'], 'mixed', true],
    ['an application/* part', ['Content-Type: application/zip'], 'mixed', true],
    ['an unnamed image', ['Content-Type: image/png'], 'mixed', true],
    ['a forwarded message', ['Content-Type: message/rfc822'], 'mixed', true],
    ['an inline image the HTML references', ['Content-Type: image/png; name="logo.png"', 'Content-ID: <logo@x>', 'Content-Disposition: inline'], 'related', false],
    ['a referenced image declared an attachment', ['Content-Type: image/png', 'Content-ID: <logo@x>', 'Content-Disposition: attachment'], 'related', true],
    ['a PGP signature', ['Content-Type: application/pgp-signature; name="signature.asc"'], 'signed', false],
    ['an S/MIME signature', ['Content-Type: application/pkcs7-signature; name="smime.p7s"', 'Content-Disposition: attachment; filename="smime.p7s"'], 'signed', false],
    ['a PDF in a signed message', ['Content-Type: application/pdf'], 'signed', true],
    ['a PGP-encrypted payload', ['Content-Type: application/octet-stream'], 'encrypted', false],
    ['a plain text part', ['Content-Type: text/plain'], 'mixed', false],
    ['a calendar part', ['Content-Type: text/calendar; method=REQUEST'], 'alternative', false],
  ];
  it.each(attachments)('hasAttachments: %s → %s', (_name, headers, parent, expected) => {
    const message = mail(multipart(parent, [[['Content-Type: text/plain'], 'body'], [headers, 'content']]));
    expect(extractPreviewUnguarded(message).hasAttachments).toBe(expected);
  });

  it('hasAttachments for a single-part message that is a file', () => {
    expect(extractPreviewUnguarded(mail(['Content-Type: application/pdf', '', 'JVBERi0='])).hasAttachments).toBe(true);
    expect(extractPreviewUnguarded(mail(['Content-Type: text/plain; name=readme.txt', '', 'read me'])).previewText).toBe('read me');
  });
});

describe('extractPreview: options', () => {
  it.each([
    [undefined, 95],
    [10, 10],
    [0, 0],
    [-5, 0],
    [12.7, 12],
    [Number.NaN, 95],
    [Number.POSITIVE_INFINITY, 95],
  ])('maxPreviewChars %s → %i chars of this message', (max, length) => {
    const preview = extractPreviewUnguarded(PLAIN_ASCII, max === undefined ? {} : { maxPreviewChars: max });
    expect(preview.previewText.length).toBeLessThanOrEqual(length);
    expect(preview.previewText.length).toBeGreaterThanOrEqual(length - 1);
  });
});

describe('extractPreview: hostile input', () => {
  const head = ['From: a@example.com', 'Subject: still here', 'Date: Tue, 14 Mar 2023 09:12:40 +0000'];

  it('a 5 MB header block: fields from its first 256 KB, and the body where it starts', () => {
    const filler = `X-Filler: ${'x'.repeat(68)}\r\n`.repeat(Math.ceil((5 * 1024 * 1024) / 80));
    const message = concat(mail([...head, '']), new TextEncoder().encode(filler), mail(['To: late@example.com', '', 'the body']));
    const preview = extractPreviewUnguarded(message);
    expect(preview).toMatchObject({ subject: 'still here', to: [], previewText: 'the body' });
    expect(preview.from).toEqual([{ name: '', address: 'a@example.com' }]);
  });

  it('a 5 MB single header line', () => {
    const message = mail([...head, `X-Long: ${'y'.repeat(5 * 1024 * 1024)}`, '', 'body']);
    expect(extractPreviewUnguarded(message)).toMatchObject({ subject: 'still here', previewText: 'body' });
  });

  it('a 5 MB subject is capped', () => {
    const message = mail([`Subject: ${'z'.repeat(5 * 1024 * 1024)}`, '', 'body']);
    const preview = extractPreviewUnguarded(message);
    expect(preview.subject.length).toBeLessThanOrEqual(4096);
    expect(preview.previewText).toBe('body');
  });

  it('NUL bytes in headers and body', () => {
    const message = mail(['Subject: nul\u0000here', 'From: a\u0000b <a@example.com>', '', 'text\u0000with nul']);
    expect(extractPreviewUnguarded(message)).toMatchObject({
      subject: 'nul here',
      from: [{ name: 'a b', address: 'a@example.com' }],
      previewText: 'text with nul',
    });
  });

  it('no empty line between headers and body', () => {
    expect(extractPreviewUnguarded(mail([...head, 'Hello, this is the body.']))).toMatchObject({ subject: 'still here', previewText: 'Hello, this is the body.' });
  });

  it('an mbox From line before the headers', () => {
    expect(extractPreviewUnguarded(mail(['From a@example.com Tue Mar 14 09:12:40 2023', ...head, '', 'body'])).subject).toBe('still here');
  });

  it('binary garbage', () => {
    const garbage = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919 + (i >> 3) * 31) & 0xff);
    expect(() => extractPreviewUnguarded(garbage)).not.toThrow();
  });

  it('a 5 MB body line, and a 5 MB base64 text part', () => {
    const long = mail([...head, '', 'w'.repeat(5 * 1024 * 1024)]);
    expect(extractPreviewUnguarded(long).previewText).toHaveLength(300);
    const b64 = mail([...head, 'Content-Transfer-Encoding: base64', '', 'QUJD'.repeat(1024 * 1024)]);
    expect(extractPreviewUnguarded(b64).previewText).toHaveLength(300);
  });

  it('100,000 tiny parts', () => {
    const message = mail(['Content-Type: multipart/mixed; boundary=b', '', ...Array.from({ length: 100_000 }, () => '--b\r\n\r\nx'), '--b--']);
    expect(extractPreviewUnguarded(message).previewText).toBe('x');
  });

  it('a boundary line on every line of a large body', () => {
    const message = mail(['Content-Type: multipart/mixed; boundary=b', '', ...Array.from({ length: 200_000 }, () => '--b')]);
    expect(() => extractPreviewUnguarded(message)).not.toThrow();
  });
});
