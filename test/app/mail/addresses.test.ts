import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../../app/mail/addresses.ts';
import type { Address } from '../../../app/mail/types.ts';

const a = (name: string, address: string): Address => ({ name, address });

describe('parseAddressList', () => {
  const cases: readonly [name: string, input: string, expected: readonly Address[]][] = [
    ['empty', '', []],
    ['white space only', '  \t ', []],
    ['name and angle address', 'Alice Example <alice@example.org>', [a('Alice Example', 'alice@example.org')]],
    ['quoted name with a comma', '"Smith, John" <john@example.com>', [a('Smith, John', 'john@example.com')]],
    ['quoted name with escapes', '"John \\"JJ\\" Smith" <jj@example.com>', [a('John "JJ" Smith', 'jj@example.com')]],
    ['bare address', 'bob@example.net', [a('', 'bob@example.net')]],
    ['angle address without a name', '<bob@example.net>', [a('', 'bob@example.net')]],
    ['address with a comment as name', 'carol@example.com (Carol Jones)', [a('Carol Jones', 'carol@example.com')]],
    ['several, mixed', 'a@x.org, "B, Bee" <b@x.org>,c@x.org (See)', [a('', 'a@x.org'), a('B, Bee', 'b@x.org'), a('See', 'c@x.org')]],
    ['empty group', 'Undisclosed recipients:;', [a('Undisclosed recipients', '')]],
    ['empty group, no semicolon', 'undisclosed-recipients:', [a('undisclosed-recipients', '')]],
    ['group with members', 'Team: dan@x.org, "Eve" <eve@x.org>;, frank@y.org', [a('', 'dan@x.org'), a('Eve', 'eve@x.org'), a('', 'frank@y.org')]],
    ['comments everywhere', 'John (the man) Smith <john(at home)@example.com (work)>', [a('John Smith', 'john@example.com')]],
    ['nested comment', 'x@y.org (a (nested) comment)', [a('a (nested) comment', 'x@y.org')]],
    ['RFC 2047 name', '=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <j@example.de>', [a('Jürgen Müller', 'j@example.de')]],
    ['RFC 2047 inside quotes (not RFC, common)', '"=?utf-8?B?5p2O5piO?=" <li@example.cn>', [a('李明', 'li@example.cn')]],
    ['RFC 2047 comment name', 'zoe@example.fr (=?iso-8859-1?Q?Zo=EB?=)', [a('Zoë', 'zoe@example.fr')]],
    ['raw UTF-8 name (already decoded)', 'Zoë Dubois <zoe@example.fr>', [a('Zoë Dubois', 'zoe@example.fr')]],
    ['single-quoted name', "'Alice' <alice@example.org>", [a('Alice', 'alice@example.org')]],
    ['dotted name (obs-phrase)', 'John Q. Public <jqp@example.com>', [a('John Q. Public', 'jqp@example.com')]],
    ['missing ">"', 'Alice <alice@example.org', [a('Alice', 'alice@example.org')]],
    ['missing ">" before the next entry', 'Alice <alice@x.org, Bob <bob@x.org>', [a('Alice', 'alice@x.org'), a('Bob', 'bob@x.org')]],
    ['obs-route', '<@relay1.example,@relay2.example:bob@example.net>', [a('', 'bob@example.net')]],
    ['mailto: in angle brackets', 'Bob <mailto:bob@example.net>', [a('Bob', 'bob@example.net')]],
    ['no angle brackets around the address', 'John Smith john@example.com', [a('John Smith', 'john@example.com')]],
    ['spaces around "@" (obsolete)', 'john . smith @ example.com', [a('', 'john.smith@example.com')]],
    ['domain literal', 'root@[192.0.2.1]', [a('', 'root@[192.0.2.1]')]],
    ['quoted local part', '"john smith"@example.com', [a('', '"john smith"@example.com')]],
    ['a name without an address', 'John Smith', [a('John Smith', '')]],
    ['unterminated quote', '"Alice <alice@example.org>', [a('Alice <alice@example.org>', '')]],
    ['unterminated comment', 'bob@example.net (Bob', [a('Bob', 'bob@example.net')]],
    ['control characters in a name', 'A\u0000li\u0007ce <a@x.org>', [a('A li ce', 'a@x.org')]],
    ['empty entries', ',, a@x.org ,,', [a('', 'a@x.org')]],
    ['garbage', ';;;,,,<<>>@@::', []],
    ['garbage around an address', '<<a@x.org>> junk', [a('junk', 'a@x.org')]],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(parseAddressList(input)).toEqual(expected);
  });

  it('keeps at most 1000 addresses', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `u${i}@example.com`).join(', ');
    const list = parseAddressList(many);
    expect(list).toHaveLength(1000);
    expect(list[999]).toEqual(a('', 'u999@example.com'));
  });

  it('never throws on hostile text', () => {
    for (const hostile of ['<'.repeat(100_000), '"'.repeat(100_001), '('.repeat(100_000), '@'.repeat(100_000), 'a:b@c:'.repeat(20_000)]) {
      expect(() => parseAddressList(hostile)).not.toThrow();
    }
  });
});
