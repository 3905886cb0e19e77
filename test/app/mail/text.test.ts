import { describe, expect, it } from 'vitest';
import { previewText } from '../../../app/mail/text.ts';

describe('previewText', () => {
  const cases: readonly [name: string, text: string, expected: string][] = [
    ['white space collapses to single spaces', '  Hi Bob,\r\n\r\n  Are we\tstill on?  \n', 'Hi Bob, Are we still on?'],
    ['quoted lines dropped when there is other text', 'Sounds good.\n> Are we still on?\n> Alice', 'Sounds good.'],
    ['quoted lines first, own text below (bottom-posting)', '> Are we still on?\nYes, noon works.', 'Yes, noon works.'],
    ['all quoted: kept, without the markers', '> > Are we\n> still on?', 'Are we still on?'],
    ['attribution line dropped', 'Yes!\n\nOn Tue, 14 Mar 2023, Alice wrote:\n> Lunch?', 'Yes!'],
    ['wrapped attribution dropped', 'Yes!\nOn Tue, 14 Mar 2023 at 09:12, Alice Example <\nalice@example.org> wrote:\n> Lunch?', 'Yes!'],
    ['German attribution dropped', 'Ja.\nAm 14.03.2023 schrieb Alice:\n> Mittag?', 'Ja.'],
    ['a line ending in wrote: without quotes after it stays', 'She wrote:\nnothing', 'She wrote: nothing'],
    ['signature cut (RFC 3676 §4.3)', 'See you then.\n-- \nAlice Example\nCEO', 'See you then.'],
    ['a signature is not cut when it is all there is', '-- \nAlice Example', '-- Alice Example'],
    ['Outlook original message cut', 'Approved.\n\n-----Original Message-----\nFrom: Bob\nSent: Monday', 'Approved.'],
    ['Outlook reply header cut', 'Approved.\n\nFrom: Bob <bob@example.net>\nSent: Monday, March 13, 2023 5:00 PM\nTo: Alice', 'Approved.'],
    ['From: alone is text', 'Approved.\nFrom: the desk of Bob', 'Approved. From: the desk of Bob'],
    ['invisible padding dropped', 'Five\u200c\u00a0\u200c stories\u034f\ufeff\u00ad', 'Five stories'],
    ['control characters become spaces', 'a\u0000b\u0007c\u0085d', 'a b c d'],
    ['empty', '', ''],
    ['blank lines only', '\n \r\n\t\n', ''],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(previewText(text, 300)).toBe(expected);
  });

  it('cuts at the cap, never inside a surrogate pair', () => {
    expect(previewText('abcdef', 3)).toBe('abc');
    expect(previewText('ab😀cd', 3)).toBe('ab');
    expect(previewText('ab😀cd', 4)).toBe('ab😀');
    expect(previewText('abc def', 4)).toBe('abc');
    expect(previewText('abc', 0)).toBe('');
    expect(previewText('abc', Number.NaN)).toBe('');
  });

  it('reads only what the cap needs from long text', () => {
    const long = 'word '.repeat(200_000);
    expect(previewText(long, 300)).toHaveLength(299);
  });
});
