import { describe, expect, it } from 'vitest';
import { parseContentType, parseMimeValue } from '../../../app/mail/mime-params.ts';

const params = (field: string): Record<string, string> => Object.fromEntries(parseMimeValue(field).params);

describe('parseMimeValue (RFC 2045 §5.1, RFC 2183, RFC 2231)', () => {
  const cases: readonly [name: string, field: string, value: string, expected: Record<string, string>][] = [
    ['quoted and token values', 'text/plain; charset="UTF-8"; format=flowed', 'text/plain', { charset: 'UTF-8', format: 'flowed' }],
    ['names are case-insensitive, values kept', 'TEXT/HTML; CHARSET=ISO-8859-1', 'text/html', { charset: 'ISO-8859-1' }],
    ['white space and folding', 'multipart/alternative;\r\n\tboundary="b1"', 'multipart/alternative', { boundary: 'b1' }],
    ['unquoted boundary with "=" and "."', 'multipart/mixed; boundary=----=_Part_1_2.3', 'multipart/mixed', { boundary: '----=_Part_1_2.3' }],
    ['quoted boundary with spaces', 'multipart/mixed; boundary="simple boundary"', 'multipart/mixed', { boundary: 'simple boundary' }],
    ['escapes in a quoted value', 'attachment; filename="a \\"b\\".txt"', 'attachment', { filename: 'a "b".txt' }],
    ['RFC 2231 continuations', 'multipart/mixed; boundary*0="abc"; boundary*1="def"', 'multipart/mixed', { boundary: 'abcdef' }],
    ['RFC 2231 sections out of order', 'x/y; p*1=b; p*0=a; p*2=c', 'x/y', { p: 'abc' }],
    ['RFC 2231 extended value', "attachment; filename*=utf-8''%E2%82%AC%20rates.pdf", 'attachment', { filename: '€ rates.pdf' }],
    ['RFC 2231 extended value with language', "attachment; filename*=iso-8859-1'fr'caf%E9.txt", 'attachment', { filename: 'café.txt' }],
    ['RFC 2231 encoded continuations split mid-character', "attachment; filename*0*=utf-8''%E2%82; filename*1*=%AC.pdf", 'attachment', { filename: '€.pdf' }],
    ['RFC 2231 mixed encoded and plain sections', "attachment; filename*0*=utf-8''caf%C3%A9; filename*1=\" menu.pdf\"", 'attachment', { filename: 'café menu.pdf' }],
    ['the extended form wins over the plain one', "attachment; filename=\"fallback.pdf\"; filename*=utf-8''r%C3%A9sum%C3%A9.pdf", 'attachment', { filename: 'résumé.pdf' }],
    ['RFC 2047 in a name (Outlook)', 'application/pdf; name="=?utf-8?B?4oKsIHJhdGVzLnBkZg==?="', 'application/pdf', { name: '€ rates.pdf' }],
    ['missing semicolons', 'text/plain; charset=utf-8 format=flowed', 'text/plain', { charset: 'utf-8', format: 'flowed' }],
    ['an unterminated quote runs to the end', 'attachment; filename="report.pdf', 'attachment', { filename: 'report.pdf' }],
    ['empty parameters and stray semicolons', 'inline;;; ;foo; =bar; baz=', 'inline', { baz: '' }],
    ['no parameters', 'attachment', 'attachment', {}],
    ['empty', '', '', {}],
  ];
  it.each(cases)('%s', (_name, field, value, expected) => {
    expect(parseMimeValue(field).value).toBe(value);
    expect(params(field)).toEqual(expected);
  });

  it('stays bounded on hostile parameter lists', () => {
    const many = `x/y; ${Array.from({ length: 10_000 }, (_, i) => `p${i}*${i}*=a`).join('; ')}`;
    expect(parseMimeValue(many).params.size).toBeLessThanOrEqual(64);
    expect(parseMimeValue(`x/y; a="${'\\'.repeat(100_001)}`).value).toBe('x/y');
  });
});

describe('parseContentType', () => {
  it.each([
    [undefined, false, 'text', 'plain'],
    ['', false, 'text', 'plain'],
    ['text', false, 'text', 'plain'],
    ['/html', false, 'text', 'plain'],
    ['Text/HTML; charset=utf-8', false, 'text', 'html'],
    ['image/png', false, 'image', 'png'],
    [undefined, true, 'message', 'rfc822'],
  ] as const)('%j (in a digest: %s) → %s/%s', (field, inDigest, type, subtype) => {
    expect(parseContentType(field, inDigest)).toMatchObject({ type, subtype });
  });
});
