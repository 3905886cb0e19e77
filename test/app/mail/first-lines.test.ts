/**
 * `firstLines`: what the reading pane shows of a preview — the fetched first lines of the first text part, decoded,
 * with their line breaks — as the extractor builds it from TOP responses cut anywhere, and as text.ts shapes it.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIRST_LINES_CHARS } from '../../../app/mail/limits.ts';
import { extractPreview, extractPreviewUnguarded } from '../../../app/mail/preview.ts';
import { firstLines } from '../../../app/mail/text.ts';
import { ALTERNATIVE_QP, BASE64_TEXT, BASE64_TEXT_LINES, bytesOf, concat, HTML_NEWSLETTER, mail, MIXED_PDF, PLAIN_ASCII, topPrefix } from './samples.ts';

const lines = (message: Uint8Array, options = {}): string | undefined => extractPreviewUnguarded(message, options).firstLines;

/** Where the body of a sample starts: after the first empty line. */
function bodyStartOf(message: Uint8Array): number {
  for (let i = 0; i + 3 < message.length; i++) {
    if (message[i] === 0x0d && message[i + 1] === 0x0a && message[i + 2] === 0x0d && message[i + 3] === 0x0a) return i + 4;
  }
  return message.length;
}

describe('firstLines (text.ts)', () => {
  it.each([
    ['line breaks kept, CRLF and CR as LF', 'one\r\ntwo\rthree\nfour', 'one\ntwo\nthree\nfour'],
    ['paragraphs kept, a run of blank lines as one', 'Hi,\n\n\n\nThe plan.\n \t \nBye', 'Hi,\n\nThe plan.\n\nBye'],
    ['leading and trailing blank lines dropped', '\n\n  \nText\n\n\n', 'Text'],
    ['indentation kept, trailing white space dropped', '  code();  \n\tmore\t', '  code();\n\tmore'],
    ['quotes and signatures kept: it is the message as written', 'Yes.\n> Lunch?\n-- \nAlice', 'Yes.\n> Lunch?\n--\nAlice'],
    ['control characters become spaces, the tab stays', 'a\u0000b\u0007c\td', 'a b c\td'],
    ['a line of invisible padding is blank', 'Top\n\u200c\u00a0\u200c\u00a0\u034f\nBottom', 'Top\n\nBottom'],
    ['padding at the end of a line goes, joiners inside it stay', 'family 👨\u200d👩\u200d👧\u200c\u00a0\u200c', 'family 👨\u200d👩\u200d👧'],
    ['Unicode line and paragraph separators break lines', 'a\u2028b\u2029c', 'a\nb\nc'],
    ['empty', '', ''],
  ])('%s', (_name, text, expected) => {
    expect(firstLines(text, 1000)).toBe(expected);
  });

  it('trims indentation for text rendered from HTML only', () => {
    expect(firstLines('  Hello\n   world', 100, true)).toBe('Hello\nworld');
    expect(firstLines('  Hello\n   world', 100)).toBe('  Hello\n   world');
  });

  it('cuts at the cap, never inside a surrogate pair, and 0 or NaN is none', () => {
    expect(firstLines('abc\ndef', 5)).toBe('abc\nd');
    expect(firstLines('ab😀cd', 3)).toBe('ab');
    expect(firstLines('abc\n\ndef', 4)).toBe('abc');
    expect(firstLines('abc', 0)).toBe('');
    expect(firstLines('abc', Number.NaN)).toBe('');
  });

  it('is linear on hostile text: a huge line of padding, many blank lines', () => {
    const spaces = `${' '.repeat(1_000_000)}x${' '.repeat(1_000_000)}`;
    // Cut to 100 code units, which are all spaces: nothing to show.
    expect(firstLines(spaces, 100)).toBe('');
    expect(firstLines(spaces, 2_000_000)).toBe(`${' '.repeat(1_000_000)}x`);
    expect(firstLines(`${'\n'.repeat(1_000_000)}x`, 100)).toBe('x');
  });
});

describe('extractPreview: firstLines from plain text', () => {
  it('keeps the list snippet one line, and the reading text in lines and paragraphs', () => {
    const preview = extractPreview(PLAIN_ASCII);
    expect(preview.previewText).not.toContain('\n');
    expect(preview.firstLines).toBe('Hi Bob,\n\nAre we still on for lunch on Thursday? The new place on 5th street\nopens at noon.\n\nAlice');
  });

  it('keeps what the list snippet drops: the quoted reply and the signature', () => {
    const message = mail(['Subject: re', '', 'Sounds good.', '', 'On Tue, Alice wrote:', '> Lunch?', '-- ', 'Bob', '']);
    expect(extractPreview(message).previewText).toBe('Sounds good.');
    expect(lines(message)).toBe('Sounds good.\n\nOn Tue, Alice wrote:\n> Lunch?\n--\nBob');
  });

  it('every TOP n prefix of a plain-text message gives a prefix of the whole text', () => {
    const whole = lines(PLAIN_ASCII) ?? '';
    const bodyStart = bodyStartOf(PLAIN_ASCII);
    for (let n = 0; n <= 8; n++) {
      const top = lines(topPrefix(PLAIN_ASCII, bodyStart, n)) ?? '';
      expect(whole.startsWith(top), `TOP ${n}`).toBe(true);
    }
    expect(lines(topPrefix(PLAIN_ASCII, bodyStart, 0))).toBeUndefined();
    expect(lines(topPrefix(PLAIN_ASCII, bodyStart, 3))).toBe('Hi Bob,\n\nAre we still on for lunch on Thursday? The new place on 5th street');
  });

  it('decodes the declared charset', () => {
    const latin = concat(mail(['Subject: l', 'Content-Type: text/plain; charset=windows-1252', '', '']), bytesOf('Caf\xe9 \x80 5\r\nna\xefve\r\n'));
    expect(lines(latin)).toBe('Café € 5\nnaïve');
  });

  it('is capped at 16 KiB by default, and by the option; 0 leaves the field out', () => {
    const long = mail(['Subject: long', '', ...Array.from({ length: 2000 }, (_, i) => `Line ${i} of a long message that goes on and on.`)]);
    const text = lines(long) ?? '';
    expect(text.length).toBeLessThanOrEqual(DEFAULT_FIRST_LINES_CHARS);
    expect(text.length).toBeGreaterThan(DEFAULT_FIRST_LINES_CHARS - 60);
    expect(text.startsWith('Line 0 of a long message that goes on and on.\nLine 1 of')).toBe(true);
    expect(lines(long, { maxFirstLinesChars: 20 })).toBe('Line 0 of a long mes');
    expect(extractPreview(long, { maxFirstLinesChars: 0 })).not.toHaveProperty('firstLines');
    expect(extractPreview(long, { maxFirstLinesChars: 0 }).previewText).not.toBe('');
    // And the other way round: no list snippet, still the reading text.
    expect(extractPreview(long, { maxPreviewChars: 0 }).firstLines).toBe(text);
  });
});

describe('extractPreview: firstLines from multipart messages', () => {
  it('takes the text/plain alternative, decoded from quoted-printable, soft line breaks joined', () => {
    expect(lines(ALTERNATIVE_QP)).toBe(
      'Good news – your order is on its way! Track it at https://shop.example/track/48213. Estimated delivery: Friday.',
    );
  });

  it('takes the text of a multipart/mixed message, not its attachment', () => {
    expect(lines(MIXED_PDF)).toBe('Dave, the Q3 report is attached.');
  });

  it('takes the first text part at any depth, and stops at its boundary', () => {
    const message = mail([
      'Subject: nested',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'First paragraph.',
      '',
      'Second paragraph.',
      '--inner',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>First paragraph.</p>',
      '--inner--',
      '--outer',
      'Content-Type: text/plain; name="notes.txt"',
      'Content-Disposition: attachment',
      '',
      'not the body',
      '--outer--',
      '',
    ]);
    expect(lines(message)).toBe('First paragraph.\n\nSecond paragraph.');
  });

  it('falls through an empty text/plain alternative to the HTML one', () => {
    const message = mail([
      'Content-Type: multipart/alternative; boundary=b',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      ' ',
      '--b',
      'Content-Type: text/html',
      '',
      '<p>rich</p><p>text</p>',
      '--b--',
    ]);
    expect(lines(message)).toBe('rich\n\ntext');
  });

  it('a TOP cut inside the first part gives the lines fetched of it', () => {
    const cut = mail(['Content-Type: multipart/mixed; boundary=b', '', 'This is a multi-part message in MIME format.', '--b', 'Content-Type: text/plain', '', 'first line', 'second']);
    expect(lines(cut)).toBe('first line\nsecond');
  });
});

describe('extractPreview: firstLines from a quoted-printable part cut by TOP', () => {
  const head = ['Subject: q', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', ''];

  it('a line whose soft break continues in what was not fetched ends where the fetch did', () => {
    const top = mail([...head, 'Dear Ann,', '', 'The meeting moves to Thurs=', 'day at the caf=C3=A9 next to the stat=', '']);
    expect(lines(top)).toBe('Dear Ann,\n\nThe meeting moves to Thursday at the café next to the stat');
  });

  it('an escape cut in its middle is dropped, and so is half a UTF-8 character', () => {
    expect(lines(mail([...head, 'line one', 'caf=C3=A9 cr=C3=A8me =E2=82=AC']))).toBe('line one\ncafé crème €');
    expect(lines(mail([...head, 'line one', 'caf=C3=A9 cr=C3=A8me =E2=82=']))).toBe('line one\ncafé crème');
    expect(lines(mail([...head, 'line one', 'caf=C3=A9 cr=C3=A8me =E2=8']))).toBe('line one\ncafé crème');
    expect(lines(mail([...head, 'line one', 'caf=C3=A9 cr=C3=']))).toBe('line one\ncafé cr');
    for (const text of [lines(mail([...head, 'caf=C3'])), lines(mail([...head, 'caf=E2=82']))]) expect(text).toBe('caf');
  });

  it('encoded line breaks (=0D=0A) are line breaks too', () => {
    expect(lines(mail([...head, 'one=0D=0Atwo=0D=0A=0D=0Athree']))).toBe('one\ntwo\n\nthree');
  });
});

describe('extractPreview: firstLines from a base64 part cut by TOP', () => {
  const whole = lines(BASE64_TEXT) ?? '';

  it('reads the whole base64 text', () => {
    expect(whole).toBe('Frank — the flight lands at 9:40 on Tuesday. Can you pick me up? Café first, then the hotel.');
  });

  it.each([0, 1, 2, 3, 5, 10, 17, 29, 30, 31, 40, 55, 76])('a cut %i characters into the second line keeps the whole characters before it', (n) => {
    const cut = [...BASE64_TEXT_LINES.slice(0, 8), (BASE64_TEXT_LINES[8] ?? '').slice(0, n)];
    const text = lines(mail(cut)) ?? '';
    expect(whole.startsWith(text)).toBe(true);
    expect(text.length).toBeGreaterThan(50);
    expect(text).not.toContain('\ufffd');
  });

  it('keeps the line breaks of a base64 text with several lines', () => {
    const body = Buffer.from('Grüße,\r\n\r\nzwei Zeilen\r\nund mehr.\r\n').toString('base64');
    const message = mail(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', body.slice(0, 20), body.slice(20), '']);
    expect(lines(message)).toBe('Grüße,\n\nzwei Zeilen\nund mehr.');
  });
});

describe('extractPreview: firstLines of an HTML-only message', () => {
  it('is its text rendering: paragraphs apart, no markup, no style or script, references decoded', () => {
    const text = lines(HTML_NEWSLETTER) ?? '';
    expect(text).toBe('Five stories, one coffee — read in 4 minutes\n\nHello\u00a0reader,\n\nRates & fees <changed> "again" \'today\' — see below.');
    expect(text).not.toMatch(/<(?:p|td|script|style)\b/i);
    expect(text).not.toContain('tracking');
  });

  it('keeps the line breaks of <br>, quoted replies as "> " lines, and a part cut mid-tag', () => {
    const message = mail([
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<div>Hi Carl,<br><br>See you at 10.<br>Dana</div><blockquote>Are we on=',
      ' for tomorrow?</blockquote><p class=3D"footer">cut here <a href=3D"http',
    ]);
    expect(lines(message)).toBe('Hi Carl,\n\nSee you at 10.\nDana\n\n> Are we on for tomorrow?\n\ncut here');
  });

  it('reads the charset from a <meta> when the part declares none', () => {
    const message = concat(mail(['Content-Type: text/html', '', '<meta charset="windows-1252"><p>']), bytesOf('\x93Quoted\x94 \x80</p>'));
    expect(lines(message)).toBe('\u201cQuoted\u201d \u20ac');
  });
});

describe('extractPreview: no firstLines', () => {
  it.each([
    ['a TOP n 0 of a plain message', mail(['Subject: s', '', ''])],
    ['empty input', new Uint8Array()],
    ['a body of blank lines', mail(['Subject: s', '', '', '  ', '\t', ''])],
    ['a TOP n 0 of a multipart message (the preamble boilerplate is not text)', mail(['Content-Type: multipart/alternative; boundary="b"', '', 'This is a multi-part message in MIME format.', ''])],
    ['only an attachment', mail(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: application/pdf', 'Content-Disposition: attachment; filename=a.pdf', '', 'JVBERi0=', '--b--', ''])],
    ['an image', mail(['Content-Type: image/png', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgo=', ''])],
  ])('%s', (_name, message) => {
    const preview = extractPreview(message);
    expect(preview).not.toHaveProperty('firstLines');
    expect(preview.previewText).toBe('');
  });
});
