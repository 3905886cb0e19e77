import { describe, expect, it } from 'vitest';
import {
  decodeBase64,
  decodeQuotedPrintable,
  decodeTransferEncoding,
  transferEncodingOf,
} from '../../../app/mail/transfer-encodings.ts';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('decodeBase64 (RFC 2045 §6.8), tolerant of truncation', () => {
  const cases: readonly [name: string, input: string, expected: string][] = [
    ['whole quanta', 'SGVsbG8h', 'Hello!'],
    ['padding', 'SGk=', 'Hi'],
    ['line breaks and spaces ignored', 'SGVs\r\nbG8g\n d29y bGQ=', 'Hello world'],
    ['cut after two chars of a quantum: one byte', 'SGVsbG8hSG', 'Hello!H'],
    ['cut after three chars of a quantum: two bytes', 'SGVsbG8hSGk', 'Hello!Hi'],
    ['cut after one char: dropped', 'SGVsbG8hS', 'Hello!'],
    ['garbage characters ignored', 'SGV*sb!G8h', 'Hello!'],
    ['two padded streams joined', 'SGk=SGk=', 'HiHi'],
    ['empty', '', ''],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(text(decodeBase64(ascii(input)))).toBe(expected);
  });
});

describe('decodeQuotedPrintable (RFC 2045 §6.7), tolerant of truncation', () => {
  const cases: readonly [name: string, input: string, expected: string][] = [
    ['escapes', 'caf=C3=A9', 'café'],
    ['lower-case hex', 'caf=c3=a9', 'café'],
    ['soft line break, CRLF', 'long li=\r\nne', 'long line'],
    ['soft line break, bare LF', 'long li=\nne', 'long line'],
    ['soft line break after transport padding', 'long li=  \r\nne', 'long line'],
    ['hard line breaks stay', 'a\r\nb', 'a\r\nb'],
    ['cut after "="', 'price =', 'price '],
    ['cut after "=" and one digit', 'price =E', 'price '],
    ['cut in a soft line break', 'price =\r', 'price '],
    ['an "=" that is no escape stays', '1+1=2 and =ZZ', '1+1=2 and =ZZ'],
    ['"=" then a space mid-line stays', 'a = b', 'a = b'],
    ['underscore is not a space outside RFC 2047', 'a_b', 'a_b'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(text(decodeQuotedPrintable(ascii(input)))).toBe(expected);
  });

  it('decodes the RFC 2047 Q encoding when asked to', () => {
    expect(text(decodeQuotedPrintable(ascii('a_b=5F'), true))).toBe('a b_');
  });
});

describe('transferEncodingOf', () => {
  it.each([
    [undefined, 'identity'],
    ['7bit', 'identity'],
    ['8BIT', 'identity'],
    ['binary', 'identity'],
    [' Base64 ', 'base64'],
    ['Quoted-Printable', 'quoted-printable'],
    ['x-uuencode', 'identity'],
  ] as const)('%s → %s', (value, expected) => {
    expect(transferEncodingOf(value)).toBe(expected);
  });

  it('identity returns the bytes as they are', () => {
    const bytes = ascii('=C3=A9');
    expect(decodeTransferEncoding(bytes, 'identity')).toBe(bytes);
  });
});
