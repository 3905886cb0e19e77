import { describe, expect, it } from 'vitest';
import { readHeaderBlock, type HeaderFields } from '../../../app/mail/headers.ts';
import { bytesOf, concat } from './samples.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = (bytes: Uint8Array, fieldBytes = 1 << 20) => readHeaderBlock(bytes, 0, { fieldBytes, skipMboxFrom: true });

describe('readHeaderBlock: where the header block ends', () => {
  const cases: readonly { name: string; input: string; bodyStart: number; fields: HeaderFields }[] = [
    { name: 'CRLF CRLF', input: 'Subject: a\r\n\r\nbody', bodyStart: 14, fields: { subject: 'a' } },
    { name: 'bare LF LF', input: 'Subject: a\n\nbody', bodyStart: 12, fields: { subject: 'a' } },
    { name: 'mixed CRLF then LF', input: 'Subject: a\r\n\nbody', bodyStart: 13, fields: { subject: 'a' } },
    { name: 'no empty line: the first non-field line starts the body', input: 'Subject: a\nHello world\n', bodyStart: 11, fields: { subject: 'a' } },
    { name: 'no header block at all', input: 'Hello world\nmore\n', bodyStart: 0, fields: {} },
    { name: 'a first line that is a continuation is body', input: '  indented text\nSubject: no\n', bodyStart: 0, fields: {} },
    { name: 'only an empty line', input: '\r\n', bodyStart: 2, fields: {} },
    { name: 'empty input', input: '', bodyStart: 0, fields: {} },
    { name: 'headers and no body, no final line break', input: 'Subject: a', bodyStart: 10, fields: { subject: 'a' } },
    { name: 'a NUL in a field name ends the block', input: 'Subject: a\nX-\u0000: b\nTo: c\n\n', bodyStart: 11, fields: { subject: 'a' } },
    { name: 'a leading mbox From line is skipped', input: 'From alice@example.org Tue Mar 14 09:12:40 2023\nSubject: a\n\n', bodyStart: 60, fields: { subject: 'a' } },
    { name: 'a white-space-only line is a continuation (RFC 5322 §4.5.3)', input: 'Subject: a\n   \n b\n\nx', bodyStart: 19, fields: { subject: 'a    b' } },
  ];
  it.each(cases)('$name', ({ input, bodyStart, fields }) => {
    const block = read(utf8(input));
    expect(block.bodyStart).toBe(bodyStart);
    expect(block.fields).toEqual(fields);
  });
});

describe('readHeaderBlock: fields', () => {
  it('unfolds continuation lines, keeping the white space that starts them (RFC 5322 §2.2.3)', () => {
    const block = read(utf8('Subject: a long\r\n subject\r\n\tline\r\n\r\n'));
    expect(block.fields.subject).toBe('a long subject\tline');
  });

  it('matches names without regard to case, and allows white space before the colon (obsolete syntax)', () => {
    const block = read(utf8('SUBJECT : one\r\nfRoM:a@b\r\nMessage-Id: <x@y>\r\n\r\n'));
    expect(block.fields).toEqual({ subject: 'one', from: 'a@b', 'message-id': '<x@y>' });
  });

  it('keeps the first Subject, From, Date and Message-ID, and joins every To and Cc', () => {
    const block = read(utf8('Subject: first\nSubject: second\nTo: a@x\nCc: c@x\nTo: b@x\nFrom: f@x\nFrom: g@x\nCc: d@x\n\n'));
    expect(block.fields).toEqual({ subject: 'first', to: 'a@x, b@x', cc: 'c@x, d@x', from: 'f@x' });
  });

  it('decodes raw 8-bit text as UTF-8 when it is valid UTF-8, else as windows-1252', () => {
    expect(read(utf8('Subject: Grüße – €\n\n')).fields.subject).toBe('Grüße – €');
    expect(read(bytesOf('Subject: Caf\u00e9 cr\u00e8me \u0080\n\n')).fields.subject).toBe('Café crème €');
  });

  it('ignores fields past the field cap but still finds the body start', () => {
    const head = `Subject: early\n${'X-Filler: 0123456789\n'.repeat(100)}To: late@example.com\n\nbody`;
    const block = read(utf8(head), 100);
    expect(block.fields).toEqual({ subject: 'early' });
    expect(block.bodyStart).toBe(head.length - 4);
  });

  it('ends the block at a MIME boundary line even when it holds a colon', () => {
    const bytes = utf8('Content-Type: text/plain\n--b:1\nmore');
    const block = readHeaderBlock(bytes, 0, { fieldBytes: 1000, isBoundary: (s) => bytes[s] === 0x2d });
    expect(block).toEqual({ fields: { 'content-type': 'text/plain' }, bodyStart: 25 });
  });

  it('reads a block that starts at an offset', () => {
    const bytes = concat(utf8('ignored\n'), utf8('Content-Transfer-Encoding: base64\n\nQUJD'));
    const block = readHeaderBlock(bytes, 8, { fieldBytes: 1000 });
    expect(block).toEqual({ fields: { 'content-transfer-encoding': 'base64' }, bodyStart: 43 });
  });

  it('reads 100,000 tiny fields and keeps only the ones it wants', () => {
    const head = `${'A: b\n'.repeat(100_000)}Subject: found\n\nbody`;
    const block = read(utf8(head));
    expect(block.fields).toEqual({ subject: 'found' });
    expect(block.bodyStart).toBe(head.length - 4);
  });
});
