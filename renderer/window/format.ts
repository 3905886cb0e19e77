/** How the window writes times, sizes and senders: short, in the user's own locale. */
import type { Address } from '../../app/mail/types.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : String(Math.round(value))} ${units[unit] ?? 'TB'}`;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const DATE = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** The list's "Received" column: the time today, the day this year, the date before. */
export function formatReceived(at: number, now: number): string {
  const when = new Date(at);
  const today = new Date(now);
  if (sameDay(when, today)) return TIME.format(when);
  if (when.getFullYear() === today.getFullYear()) return DAY.format(when);
  return DATE.format(when);
}

export function formatFullDate(at: number): string {
  return FULL.format(new Date(at));
}

/** A moment in a status line: "14:05" today, "Mar 3, 14:05" another day. */
export function formatMoment(at: number, now: number): string {
  const when = new Date(at);
  return sameDay(when, new Date(now)) ? TIME.format(when) : `${DAY.format(when)}, ${TIME.format(when)}`;
}

export function senderName(from: readonly Address[]): string {
  const first = from[0];
  if (first === undefined) return '(no sender)';
  return first.name !== '' ? first.name : first.address !== '' ? first.address : '(no sender)';
}

export function senderTitle(from: readonly Address[]): string {
  return from.map((a) => (a.name === '' ? a.address : `${a.name} <${a.address}>`)).join(', ');
}

export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
