/**
 * Pure formatting for the reading pane: sizes, dates, address lists, marks and file names. No DOM, no React, so the
 * tests run it in Node.
 */
import { assertNever } from '../../app/errors.ts';
import type { Address } from '../../app/mail/types.ts';
import type { Mark } from '../../app/sync/state.ts';

const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/**
 * Octets as people read them: "512 bytes", "1.5 KB", "12 KB", "3.4 MB". Binary multiples (1 KB = 1024 bytes) with
 * the familiar short names, as Outlook and Thunderbird show message sizes; one decimal below 10, none above.
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  const whole = Math.round(bytes);
  if (whole < 1024) return whole === 1 ? '1 byte' : `${whole} bytes`;
  let value = whole / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // 1023.96 KB rounds up to "1024 KB": show the next unit instead.
  if (Math.round(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? (Math.round(value * 10) / 10).toFixed(1) : String(Math.round(value));
  return `${shown.replace(/\.0$/, '')} ${UNITS[unit] ?? 'TB'}`;
}

export interface DateFormatOptions {
  /** A BCP 47 locale; the user's own by default. */
  readonly locale?: string;
  /** An IANA time zone; the system's own by default (tests pin it). */
  readonly timeZone?: string;
}

/** A message date for the header block: weekday, date and time, in the user's locale. */
export function formatDate(epochMs: number, options: DateFormatOptions = {}): string {
  if (!Number.isFinite(epochMs)) return '';
  return new Intl.DateTimeFormat(options.locale, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: options.timeZone,
  }).format(epochMs);
}

/**
 * One address as text: `Name <address>`. The address is always shown next to a display name, because a display
 * name alone is what a phishing mail forges.
 */
export function formatAddress(address: Address): string {
  const name = address.name.trim();
  const addr = address.address.trim();
  if (name === '' || name.toLowerCase() === addr.toLowerCase()) return addr;
  if (addr === '') return name;
  return `${name} <${addr}>`;
}

/** A list of addresses, comma separated, empty entries skipped. */
export function formatAddressList(addresses: readonly Address[]): string {
  return addresses
    .map(formatAddress)
    .filter((text) => text !== '')
    .join(', ');
}

/** What the current mark means, for the preview bar; empty for no mark. */
export function describeMark(mark: Mark): string {
  switch (mark) {
    case 'none':
      return '';
    case 'download':
      return 'Marked to download at the next Send/Receive.';
    case 'download-copy':
      return 'Marked to download a copy at the next Send/Receive; the message stays on the server.';
    default:
      return assertNever(mark, 'mark');
  }
}

const MAX_FILE_NAME_CHARS = 200;
// C0 and C1 controls, and the characters no common file system accepts in a name.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed
const UNSAFE_FILE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g;

/**
 * A name a save dialog can take: no path separators, no control or reserved characters, no leading dots (a
 * hidden file, or `..`), bounded in length. The browser cleans the `download` attribute again; this is the first
 * line, so a name like `../../.bashrc` never reaches it.
 */
export function safeFileName(name: string, fallback = 'attachment'): string {
  const cleaned = name
    .replace(UNSAFE_FILE_NAME_CHARS, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const bounded = firstGraphemes(cleaned, MAX_FILE_NAME_CHARS);
  return bounded === '' ? fallback : bounded;
}

/** At most `max` user-perceived characters: an emoji or a combined letter is never cut in half. */
function firstGraphemes(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  let count = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    if (count === max) break;
    out += segment;
    count += 1;
  }
  return out;
}
