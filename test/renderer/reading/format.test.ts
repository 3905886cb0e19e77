import { describe, expect, it } from 'vitest';
import {
  describeMark,
  formatAddress,
  formatAddressList,
  formatDate,
  formatSize,
  safeFileName,
} from '../../../renderer/reading/format.ts';

describe('formatSize', () => {
  const cases: readonly [bytes: number, expected: string][] = [
    [0, '0 bytes'],
    [1, '1 byte'],
    [512, '512 bytes'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [10 * 1024, '10 KB'],
    [12_345, '12 KB'],
    [1024 * 1024 - 1, '1 MB'],
    [1024 * 1024, '1 MB'],
    [3.4 * 1024 * 1024, '3.4 MB'],
    [250 * 1024 * 1024, '250 MB'],
    [5 * 1024 ** 3, '5 GB'],
    [3 * 1024 ** 5, '3072 TB'],
    [-1, 'unknown size'],
    [Number.NaN, 'unknown size'],
  ];
  it.each(cases)('%d bytes is "%s"', (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });
});

describe('formatDate', () => {
  it('shows weekday, date and time in the given locale and zone', () => {
    const ms = Date.UTC(2025, 10, 21, 14, 3);
    expect(formatDate(ms, { locale: 'en-GB', timeZone: 'UTC' })).toBe('Fri, 21 Nov 2025, 14:03');
    expect(formatDate(ms, { locale: 'en-US', timeZone: 'America/New_York' })).toBe('Fri, Nov 21, 2025, 09:03 AM');
  });

  it('is empty for a date that is not one', () => {
    expect(formatDate(Number.NaN)).toBe('');
  });
});

describe('formatAddress and formatAddressList', () => {
  it('shows the address beside the name', () => {
    expect(formatAddress({ name: 'Alice Example', address: 'alice@example.org' })).toBe('Alice Example <alice@example.org>');
  });

  it('shows one of the two when the other is missing or the same', () => {
    expect(formatAddress({ name: '', address: 'bob@example.net' })).toBe('bob@example.net');
    expect(formatAddress({ name: 'Undisclosed recipients', address: '' })).toBe('Undisclosed recipients');
    expect(formatAddress({ name: 'Bob@Example.net', address: 'bob@example.net' })).toBe('bob@example.net');
  });

  it('joins a list and skips empty entries', () => {
    expect(
      formatAddressList([
        { name: 'A', address: 'a@x.org' },
        { name: ' ', address: '' },
        { name: '', address: 'b@x.org' },
      ]),
    ).toBe('A <a@x.org>, b@x.org');
    expect(formatAddressList([])).toBe('');
  });
});

describe('describeMark', () => {
  it('says what each mark means', () => {
    expect(describeMark('none')).toBe('');
    expect(describeMark('download')).toMatch(/^Marked to download at the next Send\/Receive/);
    expect(describeMark('download-copy')).toMatch(/^Marked to download a copy.*stays on the server/);
  });
});

describe('safeFileName', () => {
  const cases: readonly [input: string, expected: string][] = [
    ['report.pdf', 'report.pdf'],
    ['€ rates 2025.xlsx', '€ rates 2025.xlsx'],
    ['../../.bashrc', '_.._.bashrc'],
    ['C:\\Windows\\system32\\evil.dll', 'C__Windows_system32_evil.dll'],
    ['name\u0000with\u0007controls\u009b.txt', 'name_with_controls_.txt'],
    ['a:b*c?d"e<f>g|h', 'a_b_c_d_e_f_g_h'],
    ['  spaced   out  .txt ', 'spaced out .txt'],
    ['trailing dots...', 'trailing dots'],
    ['...', 'attachment'],
    ['', 'attachment'],
  ];
  it.each(cases)('%j becomes %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('bounds the length without cutting a character in half', () => {
    const long = '👩‍👩‍👧'.repeat(300);
    const safe = safeFileName(long);
    expect([...new Intl.Segmenter().segment(safe)]).toHaveLength(200);
    expect(safe).toBe('👩‍👩‍👧'.repeat(200));
  });

  it('uses the fallback it is given', () => {
    expect(safeFileName('/', 'message.eml')).toBe('_');
    expect(safeFileName('. .', 'message.eml')).toBe('message.eml');
  });
});
