import { describe, expect, it } from 'vitest';
import { decodeEncodedWords } from '../../../app/mail/encoded-words.ts';

describe('decodeEncodedWords (RFC 2047)', () => {
  const cases: readonly [name: string, input: string, expected: string][] = [
    ['text without encoded words', 'Lunch on Thursday?', 'Lunch on Thursday?'],
    ['UTF-8, B encoding', '=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=', 'Grüße aus München'],
    ['ISO-8859-1, Q encoding, underscores as spaces', '=?ISO-8859-1?Q?R=E9union_de_l=27=E9quipe?=', "Réunion de l'équipe"],
    ['lower-case encoding letters', '=?utf-8?q?caf=C3=A9?= =?utf-8?b?IGF1IGxhaXQ=?=', 'café au lait'],
    ['adjacent words: the white space between them goes (§6.2)', '=?UTF-8?Q?Hello?= =?UTF-8?Q?_world?=', 'Hello world'],
    ['adjacent words across a folded line', '=?UTF-8?Q?a?=\r\n\t=?UTF-8?Q?b?=', 'ab'],
    ['adjacent words in different charsets', '=?ISO-8859-1?Q?caf=E9?= =?UTF-8?B?4oKs?=', 'café€'],
    ['a character split across two words is joined', '=?utf-8?B?4oI=?= =?utf-8?B?rA==?=', '€'],
    ['text around words stays', 'Re: =?UTF-8?Q?caf=C3=A9?= tomorrow', 'Re: café tomorrow'],
    ['white space between a word and text stays', '=?UTF-8?Q?caf=C3=A9?= and =?UTF-8?Q?th=C3=A9?=', 'café and thé'],
    ['a word glued to text (not RFC, common)', 'Re:=?UTF-8?Q?caf=C3=A9?=', 'Re:café'],
    ['a charset with an RFC 2231 language', '=?utf-8*en?Q?hello?=', 'hello'],
    ['an unknown charset decodes as ISO-8859-1', '=?x-unheard-of?Q?caf=E9?=', 'café'],
    ['a replacement-only charset decodes as ISO-8859-1', '=?iso-2022-kr?Q?abc?=', 'abc'],
    ['KOI8-R', '=?koi8-r?B?8NLJ18XULCDNydI=?=', 'Привет, мир'],
    ['windows-1251', '=?windows-1251?B?z/Do4uXyLCDs6PA=?=', 'Привет, мир'],
    ['GB2312', '=?gb2312?B?xOO6w6OsysC95w==?=', '你好，世界'],
    ['Shift_JIS', '=?Shift_JIS?B?grGC8YLJgr+CzZCiikU=?=', 'こんにちは世界'],
    ['Big5', '=?big5?B?p0GmbqFBpUCsyQ==?=', '你好，世界'],
    ['ISO-2022-JP', '=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=', 'こんにちは'],
    ['ISO-8859-2, Q', '=?iso-8859-2?Q?=AEllu=BBou=E8k=FD?=', 'Žlluťoučký'],
    ['windows-1252 through Q (0x80 is the euro sign)', '=?windows-1252?Q?=80_5?=', '€ 5'],
    ['base64 without padding', '=?utf-8?B?w6k?=', 'é'],
    ['malformed: bad base64 stays as written', '=?utf-8?B?###?=', '=?utf-8?B?###?='],
    ['malformed: unknown encoding letter stays', '=?utf-8?X?abc?=', '=?utf-8?X?abc?='],
    ['malformed: unterminated stays', 'Hi =?utf-8?Q?abc', 'Hi =?utf-8?Q?abc'],
    ['malformed: spaces inside stay', '=?utf-8?Q?a b?=', '=?utf-8?Q?a b?='],
    ['a bad word next to a good one', '=?utf-8?B?#?= =?utf-8?Q?ok?=', '=?utf-8?B?#?= ok'],
    ['a bad =XX in Q stays literal', '=?utf-8?Q?100=ZZ?=', '100=ZZ'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(decodeEncodedWords(input)).toBe(expected);
  });

  it('leaves long runs of openers and an unterminated word as written', () => {
    const hostile = `${'=?a?b?'.repeat(50_000)} ${'=?'.repeat(50_000)} =?utf-8?q?${'x'.repeat(100_000)}`;
    expect(decodeEncodedWords(hostile)).toBe(hostile);
  });
});
