import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../app/mail/dates.ts';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, mo - 1, d, h, mi, s);
const HOUR = 3_600_000;
const BASE = utc(2023, 3, 14, 9, 12, 40);

describe('parseDate (RFC 5322 §3.3 and §4.3)', () => {
  const cases: readonly [input: string, expected: number | undefined][] = [
    ['Tue, 14 Mar 2023 09:12:40 +0000', BASE],
    ['Tue, 14 Mar 2023 09:12:40 -0500', BASE + 5 * HOUR],
    ['Tue, 14 Mar 2023 10:42:40 +0130', BASE],
    ['14 Mar 2023 09:12:40 +0000', BASE],
    ['Tue, 14 Mar 2023 09:12 +0000', BASE - 40_000],
    ['Tue, 14 Mar 23 09:12:40 GMT', BASE],
    ['Fri, 1 Jan 99 00:00:00 GMT', utc(1999, 1, 1)],
    ['1 Jan 49 00:00 GMT', utc(2049, 1, 1)],
    ['1 Jan 50 00:00 GMT', utc(1950, 1, 1)],
    ['1 Jan 103 00:00 GMT', utc(2003, 1, 1)],
    ['Tue, 14 Mar 2023 04:12:40 EST', BASE],
    ['Tue, 14 Mar 2023 05:12:40 EDT', BASE],
    ['Tue, 14 Mar 2023 02:12:40 PDT', BASE],
    ['Tue, 14 Mar 2023 01:12:40 PST', BASE],
    ['Tue, 14 Mar 2023 09:12:40 UT', BASE],
    ['Tue, 14 Mar 2023 09:12:40 Z', BASE],
    ['Tue, 14 Mar 2023 09:12:40 A', BASE],
    ['Tue, 14 Mar 2023 10:12:40 CET', BASE],
    ['Tue, 14 Mar 2023 09:12:40 XYZT', BASE],
    ['Tue, 14 Mar 2023 09:12:40', BASE],
    ['  Tue ,  14   Mar   2023   09 : 12 : 40   +0000  ', BASE],
    ['Tue, 14 Mar 2023 09:12:40 +0000 (UTC)', BASE],
    ['Tue, 14 Mar 2023 (a (nested) comment) 09:12:40 +0000', BASE],
    ['Tuesday, 14 March 2023 09:12:40 +0000', BASE],
    ['tue, 14 mar 2023 09:12:40 +0000', BASE],
    ['Tue, 14 Sept 2023 09:12:40 +0000', utc(2023, 9, 14, 9, 12, 40)],
    ['Tue, 14 Mar 2023 10:12:40 +01:00', BASE],
    ['Tue, 14 Mar 2023 10:12:40 GMT+0100', BASE],
    ['Tue, 14 Mar 2023 10:12:40 +0100 CET', BASE],
    ['Tue, 14 Mar 2023 9:12:40 AM +0000', BASE],
    ['Tue, 14 Mar 2023 9:12:40 PM +0000', BASE + 12 * HOUR],
    ['Tue, 14 Mar 2023 12:12:40 AM +0000', BASE - 9 * HOUR],
    ['Tue Mar 14 09:12:40 2023', BASE],
    ['Tue Mar 14 04:12:40 EST 2023', BASE],
    ['Mar 14, 2023 09:12:40 +0000', BASE],
    ['14-Mar-2023 09:12:40 +0000', BASE],
    ['2023-03-14T09:12:40Z', BASE],
    ['2023-03-14 10:12:40 +0100', BASE],
    ['2023-03-14T10:12:40+01:00', BASE],
    ['Tue, 14 Mar 2023 09:12:40.123 +0000', BASE],
    ['Sat, 31 Dec 2016 23:59:60 +0000', utc(2016, 12, 31, 23, 59, 59)],
    ['Thu, 29 Feb 2024 12:00:00 +0000', utc(2024, 2, 29, 12)],
    ['Tue, 14 Mar 2023', utc(2023, 3, 14)],
    ['', undefined],
    ['garbage', undefined],
    ['Tue, 14 Foo 2023 09:12:40 +0000', undefined],
    ['Tue, 31 Feb 2023 09:12:40 +0000', undefined],
    ['Wed, 29 Feb 2023 12:00:00 +0000', undefined],
    ['Tue, 14 Mar 2023 25:12:40 +0000', undefined],
    ['Tue, 14 Mar 2023 09:61:40 +0000', undefined],
    ['Tue, 0 Mar 2023 09:12:40 +0000', undefined],
    ['Tue, 14 Mar 09:12:40 +0000', undefined],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it('reads only a bounded prefix of a hostile value', () => {
    expect(parseDate(`Tue, 14 Mar 2023 09:12:40 +0000 ${'('.repeat(100_000)}`)).toBe(BASE);
    expect(parseDate('9'.repeat(100_000))).toBeUndefined();
  });
});
