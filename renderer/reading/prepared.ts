/**
 * Prepared views: a downloaded HTML message, parsed and sanitized once and kept, so that opening it again (or for
 * the first time, when it was prepared in the background after its download) skips the MIME parse and the
 * sanitizer: the pane shows the stored frame document at once and parses the message later, at idle, only for its
 * attachments' bytes.
 *
 * This is also the one place where a parsed body becomes what the pane shows (`showBody`): the pane and
 * `prepareView` call the same function, so a prepared document is byte for byte the one the pane would have made.
 * A view is only ever made with remote content blocked; it is stored under the build's RENDER_VERSION
 * (render-version.ts), so a change to anything here or below (sanitizer, frame document, parser) makes it stale.
 */
import type { MessageKey } from '../../app/ids.ts';
import type { Address } from '../../app/mail/types.ts';
import { frameDocument } from './frame-document.ts';
import type { ParsedMessage } from './mime.ts';
import { sanitizeMailHtml } from './sanitize.ts';
import type { SanitizerWindow } from './sanitize.ts';

/** An attachment as listed, without its bytes. */
export interface ListedAttachment {
  readonly index: number;
  readonly filename: string;
  readonly mimeType: string;
  readonly size: number;
}

/** What the pane shows of a downloaded HTML message before, or without, parsing it. */
export interface PreparedView {
  /** The parsed message's own header fields (the record's stand in for them only before a parse). */
  readonly headers: Pick<ParsedMessage, 'parsed' | 'from' | 'to' | 'cc' | 'subject' | 'date' | 'dateText'>;
  /** The attachments as listed (no bytes: saving one waits for the parse). */
  readonly attachments: readonly ListedAttachment[];
  readonly notes: readonly string[];
  /** The frame's whole document (frame-document.ts), sanitized with remote content blocked. */
  readonly document: string;
  /** Remote references the sanitizer removed. */
  readonly blockedCount: number;
  /** The text alternative, when the message has one. */
  readonly text: string | undefined;
}

/** Where the pane finds and keeps prepared views; the window gives one backed by the store. */
export interface PreparedViews {
  /** The view this build prepared for the message, if any. Never rejects: a failure is "none". */
  load(key: MessageKey): Promise<PreparedView | undefined>;
  /** Keeps a view. Fire and forget: never throws, and a failure only means it is made again next time. */
  save(key: MessageKey, view: PreparedView): void;
}

/** An HTML body made safe: sanitized markup in its frame document. */
export interface HtmlBody {
  readonly kind: 'html';
  /** The frame's whole document (frame-document.ts). */
  readonly document: string;
  /** Remote references removed from it (sanitize.ts). */
  readonly blockedCount: number;
  /** The text alternative, when the message has one. */
  readonly text: string | undefined;
}

/** A parsed body as it is to be shown. */
export type ShownBody = HtmlBody | { readonly kind: 'text'; readonly text: string } | { readonly kind: 'empty' };

export interface Shown {
  readonly body: ShownBody;
  readonly notes: readonly string[];
}

/**
 * The body of a parsed message as it is to be shown: sanitized HTML in a frame document, or text, with notes. A
 * sanitizer failure shows the text alternative (or nothing) with a note, never the unsanitized HTML.
 */
export function showBody(parsed: ParsedMessage, allowRemote: boolean, win: SanitizerWindow = window): Shown {
  const { body, cidMap, notes } = parsed;
  if (body.kind !== 'html') return { body, notes };
  try {
    const clean = sanitizeMailHtml(win, body.html, { allowRemote, cidMap });
    return {
      body: {
        kind: 'html',
        document: frameDocument(clean.html, allowRemote),
        blockedCount: clean.blockedCount,
        text: body.text,
      },
      notes,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const note = `The formatted part of this message could not be shown safely (${reason}).`;
    return {
      body: body.text === undefined ? { kind: 'empty' } : { kind: 'text', text: body.text },
      notes: [...notes, note],
    };
  }
}

const copyAddresses = (list: readonly Address[]): Address[] => list.map(({ name, address }) => ({ name, address }));

/**
 * The view of a message whose body the pane has just sanitized, from that same output (no second sanitize). The
 * caller must have made `body` with remote content blocked: a view is never made with it allowed.
 */
export function viewFromShown(parsed: ParsedMessage, body: HtmlBody, notes: readonly string[]): PreparedView {
  return {
    headers: {
      parsed: parsed.parsed,
      from: copyAddresses(parsed.from),
      to: copyAddresses(parsed.to),
      cc: copyAddresses(parsed.cc),
      subject: parsed.subject,
      date: parsed.date,
      dateText: parsed.dateText,
    },
    attachments: parsed.attachments.map(({ index, filename, mimeType, size }) => ({ index, filename, mimeType, size })),
    notes: [...notes],
    document: body.document,
    blockedCount: body.blockedCount,
    text: body.text,
  };
}

/** The body a view shows: its stored document, as it was made. */
export function bodyOfView(view: PreparedView): Shown {
  return {
    body: { kind: 'html', document: view.document, blockedCount: view.blockedCount, text: view.text },
    notes: view.notes,
  };
}

/**
 * Parses nothing: prepares the view of an already parsed message, sanitized with remote content blocked, exactly as
 * the pane would show it. Undefined unless the body is HTML, and when the sanitizer fails.
 */
export function prepareView(parsed: ParsedMessage, win: SanitizerWindow = window): PreparedView | undefined {
  if (parsed.body.kind !== 'html') return undefined;
  const shown = showBody(parsed, false, win);
  return shown.body.kind === 'html' ? viewFromShown(parsed, shown.body, shown.notes) : undefined;
}

// A value read back from IndexedDB is checked field by field: a record written by another build, or damaged, must
// not reach the pane (its document goes into the frame as it is).

type Fields = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isStringOrUndefined = (value: unknown): value is string | undefined =>
  value === undefined || typeof value === 'string';
const isArrayOf = <T>(value: unknown, item: (v: unknown) => v is T): value is readonly T[] =>
  Array.isArray(value) && (value as readonly unknown[]).every(item);
const isString = (value: unknown): value is string => typeof value === 'string';
const isAddress = (value: unknown): value is Address =>
  isRecord(value) && typeof value['name'] === 'string' && typeof value['address'] === 'string';
const isAttachment = (value: unknown): value is ListedAttachment =>
  isRecord(value) &&
  isCount(value['index']) &&
  typeof value['filename'] === 'string' &&
  typeof value['mimeType'] === 'string' &&
  isCount(value['size']);

function isHeaders(value: unknown): value is PreparedView['headers'] {
  if (!isRecord(value)) return false;
  const date = value['date'];
  return (
    typeof value['parsed'] === 'boolean' &&
    isArrayOf(value['from'], isAddress) &&
    isArrayOf(value['to'], isAddress) &&
    isArrayOf(value['cc'], isAddress) &&
    typeof value['subject'] === 'string' &&
    (date === undefined || (typeof date === 'number' && Number.isFinite(date))) &&
    isStringOrUndefined(value['dateText'])
  );
}

/**
 * A value read back from the store as a view, when it is one in every field; anything else is undefined. What comes
 * back is a new object of exactly the view's fields (nothing else a record carries goes along).
 */
export function asPreparedView(value: unknown): PreparedView | undefined {
  if (!isRecord(value)) return undefined;
  const { headers, attachments, notes, document, blockedCount, text } = value;
  if (
    !isHeaders(headers) ||
    !isArrayOf(attachments, isAttachment) ||
    !isArrayOf(notes, isString) ||
    typeof document !== 'string' ||
    !isCount(blockedCount) ||
    !isStringOrUndefined(text)
  ) {
    return undefined;
  }
  return {
    headers: {
      parsed: headers.parsed,
      from: copyAddresses(headers.from),
      to: copyAddresses(headers.to),
      cc: copyAddresses(headers.cc),
      subject: headers.subject,
      date: headers.date,
      dateText: headers.dateText,
    },
    attachments: attachments.map(({ index, filename, mimeType, size }) => ({ index, filename, mimeType, size })),
    notes: [...notes],
    document,
    blockedCount,
    text,
  };
}
