/**
 * The Date field (RFC 5322 §3.3) to epoch milliseconds, including the obsolete forms of §4.3 (two- and
 * three-digit years, named zones, military zones, comments and white space anywhere) and the forms real mail
 * adds: no weekday, no seconds, no zone, full month names, `GMT+0100`, `+01:00`, AM/PM, the asctime layout
 * (`Tue Jun 30 13:52:14 2009`) and ISO 8601 dates. Only when this parser finds no date does it fall back to
 * Date.parse, whose leniency differs between engines, and then only for text with no month it could find and
 * with a four-digit year (numeric layouts such as `03/14/2023`, which Date.parse reads in local time).
 */
import { MAX_DATE_CHARS } from './limits.ts';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Zone names, as offsets in minutes: RFC 5322 §4.3, then abbreviations common in the wild. */
const ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  wet: 0,
  west: 60,
  bst: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  jst: 540,
  kst: 540,
  hkt: 480,
  aest: 600,
  aedt: 660,
};

type Token = { readonly kind: 'word' | 'time' | 'num' | 'sign' | 'other'; readonly text: string };

const TOKEN = /([A-Za-z]+)|(\d{1,2}:\d{1,2}(?::\d{1,2}(?:[.,]\d+)?)?)|(\d+)|([+-])|(\S)/g;

/** RFC 5322 §3.2.2: comments (nested, with quoted pairs) are white space in a date. */
function withoutComments(s: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (depth > 0 && c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  for (const m of s.matchAll(TOKEN)) {
    const kind = m[1] !== undefined ? 'word' : m[2] !== undefined ? 'time' : m[3] !== undefined ? 'num' : m[4] !== undefined ? 'sign' : 'other';
    tokens.push({ kind, text: m[0] });
  }
  return tokens;
}

function monthOf(word: string): number | undefined {
  if (word.length < 3) return undefined;
  const index = MONTHS.findIndex((m) => m.startsWith(word));
  return index === -1 ? undefined : index;
}

/** RFC 5322 §4.3: 00-49 are 2000-2049, 50-99 are 1950-1999, three digits add 1900. */
function fullYear(digits: string): number | undefined {
  const n = Number(digits);
  if (digits.length === 2 || digits.length === 1) return n < 50 ? 2000 + n : 1900 + n;
  if (digits.length === 3) return 1900 + n;
  return digits.length === 4 && n >= 1000 ? n : undefined;
}

/** "+0100", "+01", "+1", "+01:00" (as hh:mm) to minutes; undefined when it cannot be an offset. */
function offsetOf(sign: string, digits: string): number | undefined {
  const [h, m] = digits.includes(':')
    ? digits.split(':').map(Number)
    : digits.length <= 2
      ? [Number(digits), 0]
      : digits.length <= 4
        ? [Number(digits.slice(0, -2)), Number(digits.slice(-2))]
        : [NaN, NaN];
  if (h === undefined || m === undefined || !(h < 24 && m < 60)) return undefined;
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

interface Parts {
  year?: number;
  month?: number;
  day?: number;
  time?: readonly number[];
  offset?: number;
  /** The offset came from a name such as GMT, which a numeric offset after it may refine ("GMT+0100"). */
  namedZone?: boolean;
  meridiem?: 'am' | 'pm';
}

function collect(tokens: readonly Token[]): Parts {
  const p: Parts = {};
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) break;
    const prev = tokens[i - 1];
    const zoneOpen = p.time !== undefined && (p.offset === undefined || p.namedZone === true);
    const afterSign = prev?.kind === 'sign' && zoneOpen;
    if (t.kind === 'word') {
      const word = t.text.toLowerCase();
      const month = p.month === undefined ? monthOf(word) : undefined;
      if (month !== undefined) p.month = month;
      else if (word === 'am' || word === 'pm') p.meridiem = word;
      else if (p.time !== undefined && p.offset === undefined) {
        // RFC 5322 §4.3: military zones were defined wrongly, so they (and names we do not know) mean "-0000".
        p.offset = ZONES[word] ?? 0;
        p.namedZone = true;
      }
    } else if (t.kind === 'time') {
      if (p.time === undefined) p.time = t.text.split(/[:.,]/).map(Number);
      else if (afterSign) {
        p.offset = offsetOf(prev.text, t.text);
        p.namedZone = false;
      }
    } else if (t.kind === 'num') {
      const next = tokens.slice(i + 1, i + 5);
      if (afterSign) {
        p.offset = offsetOf(prev.text, t.text);
        p.namedZone = false;
      } else if (t.text.length === 4 && p.month === undefined && p.day === undefined && isIsoTail(next)) {
        p.year = fullYear(t.text);
        p.month = Number(next[1]?.text) - 1;
        p.day = Number(next[3]?.text);
        i += 4;
      } else if (t.text.length >= 3) {
        if (p.year === undefined) p.year = fullYear(t.text);
        else if (p.time !== undefined && p.offset === undefined && t.text.length === 4) p.offset = offsetOf('+', t.text);
      } else if (p.day === undefined) p.day = Number(t.text);
      else p.year ??= fullYear(t.text);
    }
  }
  return p;
}

/** "-MM-DD" after a four-digit year: the ISO 8601 calendar date. */
function isIsoTail(next: readonly Token[]): boolean {
  const [s1, m, s2, d] = next;
  return s1?.text === '-' && m?.kind === 'num' && s2?.text === '-' && d?.kind === 'num' && m.text.length <= 2 && d.text.length <= 2;
}

function toEpoch(p: Parts): number | undefined {
  const { year, month, day } = p;
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const [h = 0, minute = 0, s = 0] = p.time ?? [];
  let hour = h;
  if (p.meridiem !== undefined && hour >= 1 && hour <= 12) hour = (hour % 12) + (p.meridiem === 'pm' ? 12 : 0);
  const second = s === 60 ? 59 : s; // a leap second, which Date cannot hold
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const valid = month >= 0 && month <= 11 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
  if (!valid) return undefined;
  // A missing or unusable zone is read as UTC: RFC 5322 §3.3's "-0000", time in an unknown zone.
  const ms = Date.UTC(year, month, day, hour, minute, second) - (p.offset ?? 0) * 60_000;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Parses a Date field value; undefined when it holds no recognisable date. Never throws. */
export function parseDate(value: string): number | undefined {
  // RFC 5322 §4.3 (obs-time) allows white space around the colons of a time: "09 : 12 : 40".
  const text = withoutComments(value.slice(0, MAX_DATE_CHARS)).replace(/[ \t\r\n]*:[ \t\r\n]*/g, ':');
  const parts = collect(tokenize(text));
  const ms = toEpoch(parts);
  // A date this parser understood but found impossible (31 Feb, no year) stays unparsed: Date.parse would roll
  // it over or invent a year. Only a layout it does not know at all (no month found) goes to Date.parse.
  if (ms !== undefined || parts.month !== undefined || !/\d{4}/.test(text)) return ms;
  const parsed = Date.parse(text.trim());
  return Number.isFinite(parsed) ? parsed : undefined;
}
