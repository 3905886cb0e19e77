import { describe, expect, it } from 'vitest';
import { cidKeyOfHeader, cidKeyOfUrl } from '../../../renderer/reading/cid.ts';
import { DEFAULT_MIME_LIMITS, parseMessage, prefetchParse, toBase64 } from '../../../renderer/reading/mime.ts';
import type { ParsedMessage } from '../../../renderer/reading/mime.ts';

/** A message from lines, CRLF-terminated as on the wire. */
const mail = (...lines: string[]): Uint8Array => new TextEncoder().encode(lines.join('\r\n') + '\r\n');

// A 1x1 transparent PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_BYTES = Uint8Array.from(Buffer.from(PNG_BASE64, 'base64'));

const ALTERNATIVE = mail(
  'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <j@example.de>',
  'To: "Smith, John" <john@example.com>, bob@example.net',
  'Cc: =?ISO-8859-1?Q?Zo=EB?= <zoe@example.fr>',
  'Subject: =?UTF-8?B?8J+MsyBQb3BsYXI=?= =?UTF-8?Q?_r=C3=A9sum=C3=A9?=',
  'Date: Fri, 21 Nov 2025 15:03:00 +0100',
  'Message-ID: <alt-1@example.de>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Gr=C3=BC=C3=9Fe, see https://example.com/',
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Gr\u00fc\u00dfe, see <a href="https://example.com/">here</a></p>',
  '--b1--',
);

const MIXED = mail(
  'From: a@example.org',
  'To: b@example.org',
  'Subject: files',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="m"',
  '',
  '--m',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'Two files attached.',
  '--m',
  'Content-Type: application/pdf',
  "Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates%202025.pdf",
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 fake').toString('base64'),
  '--m',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Disposition: attachment;',
  " filename*0*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82;",
  ' filename*1="-final.txt"',
  '',
  'report body',
  '--m',
  'Content-Type: application/octet-stream',
  'Content-Disposition: attachment; filename="=?UTF-8?B?0YTQsNC50Lsu0LHQuNC9?="',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from([0, 1, 2, 3, 255]).toString('base64'),
  '--m',
  'Content-Type: application/zip',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('PK').toString('base64'),
  '--m--',
);

const RELATED = mail(
  'From: news@example.com',
  'To: reader@example.com',
  'Subject: inline',
  'MIME-Version: 1.0',
  'Content-Type: multipart/related; boundary="r"; type="text/html"',
  '',
  '--r',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p><img src="cid:logo@example.com" alt="logo"><img src="cid:Pixel%40Example.com"></p>',
  '--r',
  'Content-Type: image/png',
  'Content-ID: <logo@example.com>',
  'Content-Disposition: inline; filename="logo.png"',
  'Content-Transfer-Encoding: base64',
  '',
  PNG_BASE64,
  '--r',
  'Content-Type: image/png',
  'Content-ID: <pixel@example.com>',
  'Content-Transfer-Encoding: base64',
  '',
  PNG_BASE64,
  '--r',
  'Content-Type: image/svg+xml',
  'Content-ID: <vector@example.com>',
  'Content-Disposition: inline; filename="vector.svg"',
  '',
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  '--r',
  'Content-Type: image/png',
  'Content-ID: <unused@example.com>',
  'Content-Disposition: inline; filename="unused.png"',
  'Content-Transfer-Encoding: base64',
  '',
  PNG_BASE64,
  '--r--',
);

async function parse(bytes: Uint8Array, limits = DEFAULT_MIME_LIMITS): Promise<ParsedMessage> {
  return parseMessage(bytes, limits);
}

describe('parseMessage: multipart/alternative and RFC 2047', () => {
  it('prefers the HTML part and keeps the text one beside it', async () => {
    const m = await parse(ALTERNATIVE);
    expect(m.parsed).toBe(true);
    expect(m.body.kind).toBe('html');
    if (m.body.kind !== 'html') return;
    expect(m.body.html).toContain('<a href="https://example.com/">here</a>');
    expect(m.body.text?.trim()).toBe('Grüße, see https://example.com/');
  });

  it('decodes encoded words in the subject and in display names', async () => {
    const m = await parse(ALTERNATIVE);
    expect(m.subject).toBe('🌳 Poplar résumé');
    expect(m.from).toEqual([{ name: 'Jürgen Müller', address: 'j@example.de' }]);
    expect(m.to).toEqual([
      { name: 'Smith, John', address: 'john@example.com' },
      { name: '', address: 'bob@example.net' },
    ]);
    expect(m.cc).toEqual([{ name: 'Zoë', address: 'zoe@example.fr' }]);
  });

  it('reads the date', async () => {
    const m = await parse(ALTERNATIVE);
    expect(m.date).toBe(Date.UTC(2025, 10, 21, 14, 3));
    expect(m.dateText).toBeUndefined();
    expect(m.attachments).toEqual([]);
    expect(m.notes).toEqual([]);
  });
});

describe('parseMessage: attachments and RFC 2231', () => {
  it('lists every attachment with its decoded name, type and size', async () => {
    const m = await parse(MIXED);
    expect(m.body).toEqual({ kind: 'text', text: 'Two files attached.' });
    expect(m.attachments.map((a) => [a.filename, a.mimeType, a.size])).toEqual([
      ['€ rates 2025.pdf', 'application/pdf', 13],
      // postal-mime ends a text attachment with one line break of its own.
      ['Отчёт-final.txt', 'text/plain', 12],
      ['файл.бин', 'application/octet-stream', 5],
      ['attachment-4', 'application/zip', 2],
    ]);
    expect(Array.from(m.attachments[2]?.bytes ?? [])).toEqual([0, 1, 2, 3, 255]);
    expect(new TextDecoder().decode(m.attachments[0]?.bytes)).toBe('%PDF-1.4 fake');
  });
});

describe('parseMessage: inline images (cid:)', () => {
  it('turns referenced raster parts into data: URLs and lists the rest', async () => {
    const m = await parse(RELATED);
    const png = `data:image/png;base64,${PNG_BASE64}`;
    expect(m.cidMap).toEqual(
      new Map([
        ['logo@example.com', png],
        ['pixel@example.com', png],
      ]),
    );
    // The SVG is not referenced, and would not be inlined if it were; the unreferenced PNG is a plain attachment.
    expect(m.attachments.map((a) => a.filename)).toEqual(['vector.svg', 'unused.png']);
  });

  it('never inlines SVG, even when the HTML refers to it', async () => {
    const svgReferenced = new TextDecoder()
      .decode(RELATED)
      .replace('cid:Pixel%40Example.com', 'cid:vector@example.com');
    const m = await parse(new TextEncoder().encode(svgReferenced));
    expect(m.cidMap.has('vector@example.com')).toBe(false);
    expect(m.attachments.map((a) => a.filename)).toContain('vector.svg');
  });

  it('bounds inline images: a part over the limit is listed instead, with a note', async () => {
    const m = await parse(RELATED, { ...DEFAULT_MIME_LIMITS, inlineImageBytes: PNG_BYTES.length - 1 });
    expect(m.cidMap.size).toBe(0);
    expect(m.attachments.map((a) => a.filename)).toEqual(['logo.png', 'attachment-2.png', 'vector.svg', 'unused.png']);
    expect(m.notes).toEqual([
      '2 inline images are too large to show in the message; they are listed with the attachments.',
    ]);
  });

  it('bounds inline images in total', async () => {
    const m = await parse(RELATED, { ...DEFAULT_MIME_LIMITS, inlineTotalBytes: PNG_BYTES.length });
    expect([...m.cidMap.keys()]).toEqual(['logo@example.com']);
    expect(m.notes).toHaveLength(1);
  });
});

describe('parseMessage: odd and broken messages', () => {
  it('shows group members, an empty group by its name, and an unparseable date as written', async () => {
    const m = await parse(
      mail(
        'From: Team: dan@x.org, "Eve" <eve@x.org>;',
        'To: undisclosed-recipients:;',
        'Date: the day after tomorrow',
        'Subject: plain',
        '',
        'Just text, no MIME.',
      ),
    );
    expect(m.from).toEqual([
      { name: '', address: 'dan@x.org' },
      { name: 'Eve', address: 'eve@x.org' },
    ]);
    expect(m.to).toEqual([{ name: 'undisclosed-recipients', address: '' }]);
    expect(m.date).toBeUndefined();
    expect(m.dateText).toBe('the day after tomorrow');
    expect(m.body).toEqual({ kind: 'text', text: 'Just text, no MIME.' });
  });

  it('has an empty body when there is no text at all', async () => {
    const m = await parse(mail('Subject: nothing', '', ''));
    expect(m.body).toEqual({ kind: 'empty' });
    expect(m.subject).toBe('nothing');
  });

  it('shows the raw source, bounded, with a note, when the parser refuses the message', async () => {
    // postal-mime refuses more than 2 MiB of headers in total.
    const huge = mail('Subject: too much', `X-Filler: ${'a'.repeat(3 * 1024 * 1024)}`, '', 'body');
    const m = await parse(huge, { ...DEFAULT_MIME_LIMITS, rawFallbackBytes: 64 });
    expect(m.parsed).toBe(false);
    expect(m.body).toEqual({ kind: 'text', text: new TextDecoder().decode(huge.subarray(0, 64)) });
    expect(m.notes[0]).toMatch(/^This message could not be read \(.+\)\. Its raw source is shown instead\.$/);
    expect(m.notes[1]).toBe('Only the first 64 bytes of the source are shown.');
  });
});

describe('cid keys (RFC 2392)', () => {
  it('match a header and a URL whatever the brackets, escapes and case', () => {
    expect(cidKeyOfHeader(' <Logo@Example.com> ')).toBe('logo@example.com');
    expect(cidKeyOfUrl('cid:logo%40example.com')).toBe('logo@example.com');
    expect(cidKeyOfUrl('CID:Logo@Example.com')).toBe('logo@example.com');
    expect(cidKeyOfUrl('cid:bad%zzescape')).toBe('bad%zzescape');
    expect(cidKeyOfUrl('https://example.com/')).toBeUndefined();
  });
});

describe('toBase64', () => {
  it('matches Node across chunk boundaries', () => {
    for (const length of [0, 1, 2, 3, 24_575, 24_576, 24_577, 100_000]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 7 + 3) % 256);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});

describe('parseMessage: one parse per array', () => {
  it('gives a parse started early (prefetchParse) to the later request for the same bytes', async () => {
    const bytes = new TextEncoder().encode('From: a@example.org\r\nSubject: once\r\n\r\nbody\r\n');
    prefetchParse(bytes);
    const first = parseMessage(bytes);
    expect(parseMessage(bytes)).toBe(first);
    expect((await first).subject).toBe('once');
    // Other bytes, even equal ones, and other limits, are parsed on their own.
    expect(parseMessage(bytes.slice())).not.toBe(first);
    expect(parseMessage(bytes, { ...DEFAULT_MIME_LIMITS })).not.toBe(first);
  });
});
