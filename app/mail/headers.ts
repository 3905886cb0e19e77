/**
 * The header block of a message or of a MIME body part (RFC 5322 §2.2, §3.6; RFC 2045 §3): where it ends, and the
 * few fields a preview needs, unfolded and decoded to text.
 *
 * The block ends at the first empty line (CRLF CRLF, or bare LF LF). Real mail also ends it with no empty line at
 * all, so, like Python's email.feedparser, the first line that is neither a field nor a continuation starts the
 * body; a message whose first line is not a field has no header block at all. The scan is byte-wise and linear,
 * and reads the whole block however long, so the body starts where it should; fields are read only from the first
 * `fieldBytes` of it.
 */
import { COLON, contentEnd, gather, isWsp, lineEnd } from './bytes.ts';
import { decodeUnlabelled } from './charsets.ts';

/** The fields a preview reads; every other field is skipped without building a string. */
export type FieldName =
  | 'from'
  | 'to'
  | 'cc'
  | 'subject'
  | 'date'
  | 'message-id'
  | 'content-type'
  | 'content-transfer-encoding'
  | 'content-disposition'
  | 'content-id';

const FIELD_NAMES: ReadonlySet<string> = new Set<FieldName>([
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
]);

/** Fields that may occur more than once and are then joined as one address list (RFC 5322 §3.6 allows one each). */
const LIST_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>(['to', 'cc']);

const LONGEST_FIELD_NAME = 'content-transfer-encoding'.length;

/** Unfolded field values (without the name and colon, trimmed); for the others, the first occurrence. */
export type HeaderFields = Readonly<Partial<Record<FieldName, string>>>;

export interface HeaderBlock {
  readonly fields: HeaderFields;
  /** Offset of the first body byte: after the empty line, or at the first line that is not part of the block. */
  readonly bodyStart: number;
}

export interface HeaderBlockOptions {
  /** Bytes from the start of the block whose fields are read. */
  readonly fieldBytes: number;
  /** A line that ends the block even if it looks like a field: a MIME boundary (which may hold a colon). */
  readonly isBoundary?: (start: number, end: number) => boolean;
  /** Skip a leading mbox `From ` line (not a field: no colon after the name). */
  readonly skipMboxFrom?: boolean;
}

const MBOX_FROM = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "

/**
 * The offset of the colon ending a field name on the line [start, end), or -1 if the line is not a field.
 * RFC 5322 §3.6.8: a name is printable US-ASCII except colon; §4.5.3 (obsolete syntax) allows white space before
 * the colon.
 */
function fieldColon(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = bytes[i] ?? 0;
    if (b === COLON) return i > start ? i : -1;
    if (b <= 0x20 || b >= 0x7f) break;
    i++;
  }
  if (i === start) return -1;
  while (i < end && isWsp(bytes[i])) i++;
  return i < end && bytes[i] === COLON ? i : -1;
}

/** The field name on [start, end) in lower case, or undefined when it is not one a preview reads. */
function wantedName(bytes: Uint8Array, start: number, end: number): FieldName | undefined {
  let stop = end;
  while (stop > start && isWsp(bytes[stop - 1])) stop--;
  if (stop - start > LONGEST_FIELD_NAME) return undefined;
  let name = '';
  for (let i = start; i < stop; i++) {
    const b = bytes[i] ?? 0;
    name += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
  }
  return FIELD_NAMES.has(name) ? (name as FieldName) : undefined;
}

function startsWithMboxFrom(bytes: Uint8Array, at: number): boolean {
  return MBOX_FROM.every((b, i) => bytes[at + i] === b);
}

/** Reads the header block that starts at `start`. Never throws; linear in the length of the block. */
export function readHeaderBlock(bytes: Uint8Array, start: number, options: HeaderBlockOptions): HeaderBlock {
  const fields: Partial<Record<FieldName, string>> = {};
  const fieldLimit = start + options.fieldBytes;
  let current: { name: FieldName; ranges: [number, number][] } | undefined;
  let sawField = false;

  const finish = (): void => {
    if (current === undefined) return;
    const value = decodeUnlabelled(gather(bytes, current.ranges)).trim();
    const before = fields[current.name];
    if (before === undefined) fields[current.name] = value;
    else if (LIST_FIELDS.has(current.name) && value !== '') fields[current.name] = before === '' ? value : `${before}, ${value}`;
    current = undefined;
  };
  const done = (bodyStart: number): HeaderBlock => {
    finish();
    return { fields, bodyStart };
  };

  let pos = start;
  if (options.skipMboxFrom === true && startsWithMboxFrom(bytes, pos)) pos = Math.min(bytes.length, lineEnd(bytes, pos) + 1);

  while (pos < bytes.length) {
    const end = lineEnd(bytes, pos);
    const next = Math.min(bytes.length, end + 1);
    const stop = contentEnd(bytes, pos, end);
    if (stop === pos) return done(next);
    if (isWsp(bytes[pos])) {
      // RFC 5322 §2.2.3: unfolding removes the line break only; the white space that starts the line stays.
      if (!sawField) return done(pos);
      if (current !== undefined && pos < fieldLimit) current.ranges.push([pos, Math.min(stop, fieldLimit)]);
      pos = next;
      continue;
    }
    if (options.isBoundary?.(pos, stop) === true) return done(pos);
    const colon = fieldColon(bytes, pos, stop);
    if (colon === -1) return done(pos);
    sawField = true;
    finish();
    if (pos < fieldLimit) {
      const name = wantedName(bytes, pos, colon);
      if (name !== undefined && (fields[name] === undefined || LIST_FIELDS.has(name))) {
        current = { name, ranges: [[colon + 1, Math.min(stop, Math.max(colon + 1, fieldLimit))]] };
      }
    }
    pos = next;
  }
  return done(bytes.length);
}
