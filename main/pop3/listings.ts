/**
 * Parsing of drop listings (STAT), scan listings (LIST) and unique-id listings (UIDL), as liberally as Outlook
 * reads them: one or more spaces or tabs between fields, and anything after the fields ignored (C0004, C0017,
 * C0021, C0038). A line that does not hold the fields at all is a `BAD_RESPONSE`.
 */
import { mailError } from '../../app/errors.ts';
import { MAX_UNIQUE_ID_CHARS } from './limits.ts';

export interface ScanListing {
  readonly n: number;
  readonly size: number;
}

export interface UniqueIdListing {
  readonly n: number;
  readonly uid: string;
}

export interface DropListing {
  readonly count: number;
  readonly size: number;
}

const FIELDS = /^[ \t]*(\S+)[ \t]+(\S+)/;
const DIGITS = /^\d{1,15}$/;

function fields(line: string, what: string): [string, string] {
  const m = FIELDS.exec(line);
  if (m === null) throw bad(what, line);
  return [m[1] ?? '', m[2] ?? ''];
}

function bad(what: string, line: string): Error {
  return mailError('BAD_RESPONSE', `The server sent a malformed ${what}.`, {
    serverText: line.length > 200 ? `${line.slice(0, 200)}…` : line,
  });
}

function number(text: string, what: string, line: string): number {
  if (!DIGITS.test(text)) throw bad(what, line);
  return Number.parseInt(text, 10);
}

export function parseDropListing(text: string): DropListing {
  const [count, size] = fields(text, 'STAT response');
  return { count: number(count, 'STAT response', text), size: number(size, 'STAT response', text) };
}

export function parseScanListing(line: string): ScanListing {
  const [n, size] = fields(line, 'scan listing');
  const msg = number(n, 'scan listing', line);
  if (msg < 1) throw bad('scan listing', line);
  return { n: msg, size: number(size, 'scan listing', line) };
}

export function parseUniqueIdListing(line: string): UniqueIdListing {
  const [n, uid] = fields(line, 'unique-id listing');
  const msg = number(n, 'unique-id listing', line);
  // C0039: the RFC allows 1–70 characters in 0x21–0x7E. Longer ones are kept (servers exceed 70), but a bound
  // still applies so that a hostile listing cannot make every id huge.
  if (msg < 1 || uid.length > MAX_UNIQUE_ID_CHARS) throw bad('unique-id listing', line);
  return { n: msg, uid };
}
