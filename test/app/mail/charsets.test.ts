import { describe, expect, it } from 'vitest';
import { decodeCharset, decodeUnlabelled, decodeWindows1252, normalizeCharset } from '../../../app/mail/charsets.ts';
import { bytesOf } from './samples.ts';

const b64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodeCharset', () => {
  const cases: readonly [charset: string | undefined, bytes: Uint8Array, expected: string][] = [
    ['utf-8', utf8('Grüße €'), 'Grüße €'],
    ['UTF8', utf8('é'), 'é'],
    ['"utf-8"', utf8('é'), 'é'],
    ['iso-8859-1', bytesOf('caf\u00e9'), 'café'],
    ['latin1', bytesOf('\u0080'), '€'],
    ['windows-1252', bytesOf('\u0093quoted\u0094'), '\u201cquoted\u201d'],
    ['koi8-r', b64('8NLJ18XULCDNydI='), 'Привет, мир'],
    ['windows-1251', b64('z/Do4uXyLCDs6PA='), 'Привет, мир'],
    ['gbk', b64('xOO6w6OsysC95w=='), '你好，世界'],
    ['cp936', b64('xOO6w6OsysC95w=='), '你好，世界'],
    ['shift_jis', b64('grGC8YLJgr+CzZCiikU='), 'こんにちは世界'],
    ['big5', b64('p0GmbqFBpUCsyQ=='), '你好，世界'],
    ['euc-kr', b64('vsiz58fPvLy/5A=='), '안녕하세요'],
    ['ks_c_5601-1987', b64('vsiz58fPvLy/5A=='), '안녕하세요'],
    ['iso-8859-7', b64('yuHr5+zd8eE='), 'Καλημέρα'],
    ['x-no-such-charset', bytesOf('caf\u00e9 \u0080'), 'café \u0080'],
    ['iso-2022-kr', bytesOf('abc'), 'abc'],
    [undefined, utf8('Grüße'), 'Grüße'],
    [undefined, bytesOf('Gr\u00fc\u00dfe'), 'Grüße'],
    ['us-ascii', utf8('naïve'), 'naïve'],
  ];
  it.each(cases)('%s', (charset, bytes, expected) => {
    expect(decodeCharset(bytes, charset)).toBe(expected);
  });

  it('as a stream, drops a character cut off at the end instead of showing U+FFFD', () => {
    const cut = utf8('price: €').subarray(0, -1);
    expect(decodeCharset(cut, 'utf-8', true)).toBe('price: ');
    expect(decodeCharset(cut, undefined, true)).toBe('price: ');
    expect(decodeCharset(cut, 'utf-8')).toBe('price: \ufffd');
    expect(decodeCharset(b64('grGC8YLJgr+CzZCiikU=').subarray(0, 3), 'shift_jis', true)).toBe('こ');
  });

  it('normalizes labels as written in mail', () => {
    expect(normalizeCharset(' "UTF-8" ')).toBe('utf-8');
    expect(normalizeCharset('utf-8*en')).toBe('utf-8');
    expect(normalizeCharset('CP932')).toBe('shift_jis');
  });
});

describe('decodeWindows1252 and decodeUnlabelled', () => {
  it('maps every byte as the Encoding Standard does', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const decoded = decodeWindows1252(all);
    expect(decoded).toHaveLength(256);
    expect(Array.from({ length: 32 }, (_, i) => decoded.charCodeAt(0x80 + i))).toEqual([
      0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d,
      0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d,
      0x17e, 0x178,
    ]);
    expect(decoded.slice(0, 0x80) + decoded.slice(0xa0)).toBe(String.fromCharCode(...all.subarray(0, 0x80), ...all.subarray(0xa0)));
  });

  it('reads unlabelled 8-bit text as UTF-8 when valid, else windows-1252', () => {
    expect(decodeUnlabelled(utf8('Zoë'))).toBe('Zoë');
    expect(decodeUnlabelled(bytesOf('Zo\u00eb \u0085'))).toBe('Zoë …');
    expect(decodeUnlabelled(new Uint8Array())).toBe('');
  });
});
