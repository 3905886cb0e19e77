/**
 * A message's bytes — a TOP n k response or a whole RETR'd message, dot-unstuffed, without the terminating `.`
 * line — to the MessagePreview the message list and the reading pane show.
 *
 * Hostile input is expected: every stage is bounded (limits.ts) and linear, and the result for a TOP prefix of a
 * message agrees with the result for the whole message on every header field, since both read the same header
 * block. The body gives the preview text, the first lines and the attachment flag from what it shows; a TOP prefix
 * may show less. Both texts come from one part, decoded once: the first text/plain part that has any text, else
 * the first text/html one rendered as text.
 */
import type { Address, MessagePreview } from './types.ts';
import { parseAddressList } from './addresses.ts';
import { cutChars } from './bytes.ts';
import { decodeCharset } from './charsets.ts';
import { parseDate } from './dates.ts';
import { decodeEncodedWords } from './encoded-words.ts';
import { readHeaderBlock, type HeaderFields } from './headers.ts';
import { htmlToText } from './html.ts';
import {
  DEFAULT_FIRST_LINES_CHARS,
  DEFAULT_PREVIEW_CHARS,
  HEADER_FIELDS_BYTES,
  HTML_PART_BYTES,
  MAX_MESSAGE_ID_CHARS,
  MAX_SUBJECT_CHARS,
  TEXT_PART_BYTES,
} from './limits.ts';
import { scanMime, type TextPart } from './mime.ts';
import { firstLines, previewText } from './text.ts';
import { decodeTransferEncoding } from './transfer-encodings.ts';

export interface PreviewOptions {
  /** Cap on `previewText`, in UTF-16 code units; 300 when absent, 0 for none. */
  readonly maxPreviewChars?: number;
  /**
   * Cap on `firstLines`, in UTF-16 code units; 16 KiB when absent, 0 for none (a whole message, whose body is
   * stored and shown from its MIME structure, needs none).
   */
  readonly maxFirstLinesChars?: number;
}

interface Head {
  readonly fields: HeaderFields;
  readonly bodyStart: number;
  readonly from: readonly Address[];
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly subject: string;
  readonly date: number | undefined;
  readonly messageId: string | undefined;
}

interface Body {
  readonly previewText: string;
  readonly firstLines: string;
  readonly hasAttachments: boolean;
}

interface Caps {
  readonly previewChars: number;
  readonly firstLinesChars: number;
}

const NO_HEAD: Head = { fields: {}, bodyStart: 0, from: [], to: [], cc: [], subject: '', date: undefined, messageId: undefined };
const NO_BODY: Body = { previewText: '', firstLines: '', hasAttachments: false };

/** Subject: RFC 2047-decoded, white space and control characters as single spaces, capped. */
function subjectOf(value: string | undefined): string {
  if (value === undefined) return '';
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const text = decodeEncodedWords(value).replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  return cutChars(text, MAX_SUBJECT_CHARS);
}

/** Message-ID as written with its angle brackets (RFC 5322 §3.6.4), without comments or trailing text. */
function messageIdOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const open = value.indexOf('<');
  const close = open === -1 ? -1 : value.indexOf('>', open);
  const id = (close === -1 ? value : value.slice(open, close + 1)).trim();
  return id === '' || id.length > MAX_MESSAGE_ID_CHARS ? undefined : id;
}

function readHead(bytes: Uint8Array): Head {
  const { fields, bodyStart } = readHeaderBlock(bytes, 0, { fieldBytes: HEADER_FIELDS_BYTES, skipMboxFrom: true });
  return {
    fields,
    bodyStart,
    from: parseAddressList(fields.from ?? ''),
    to: parseAddressList(fields.to ?? ''),
    cc: parseAddressList(fields.cc ?? ''),
    subject: subjectOf(fields.subject),
    date: fields.date === undefined ? undefined : parseDate(fields.date),
    messageId: messageIdOf(fields['message-id']),
  };
}

/** An HTML part without a charset parameter may name one in a `<meta>` element (HTML §4.2.5.5) near its start. */
function metaCharset(bytes: Uint8Array): string | undefined {
  const head = decodeCharset(bytes.subarray(0, 2048), 'windows-1252');
  return /<meta[^>]{0,512}?charset\s*=\s*["']?\s*([\w.:-]{1,40})/i.exec(head)?.[1];
}

/** A part's content decoded to text (HTML rendered as text), as far as the bytes at hand allow. */
function textOf(bytes: Uint8Array, part: TextPart): string {
  const cap = part.html ? HTML_PART_BYTES : TEXT_PART_BYTES;
  const encoded = bytes.subarray(part.start, Math.min(part.end, part.start + cap));
  const decoded = decodeTransferEncoding(encoded, part.encoding);
  const charset = part.charset ?? (part.html ? metaCharset(decoded) : undefined);
  // Decoded as a stream: the part may end mid-character (a TOP cut, the cap), and a partial one is dropped.
  let text = decodeCharset(decoded, charset, true);
  if (part.html) text = htmlToText(text);
  if (part.preamble === true) text = text.replace(/this is a multi-?part message in mime format\.?/gi, '');
  return text;
}

function readBody(bytes: Uint8Array, head: Head, caps: Caps): Body {
  const scan = scanMime(bytes, head.fields, head.bodyStart);
  let preview = '';
  let lines = '';
  const wanted = caps.previewChars > 0 || caps.firstLinesChars > 0;
  // Some mailers send an empty text/plain alternative next to the real HTML: fall through to the next candidate.
  for (const part of wanted ? scan.texts : []) {
    const text = textOf(bytes, part);
    preview = previewText(text, caps.previewChars);
    lines = firstLines(text, caps.firstLinesChars, part.html);
    if (preview !== '' || lines !== '') break;
  }
  return { previewText: preview, firstLines: lines, hasAttachments: scan.hasAttachments };
}

function capOf(max: number | undefined, fallback: number): number {
  if (max === undefined || Number.isNaN(max)) return fallback;
  return Math.max(0, Math.floor(max));
}

type Guard = <T>(stage: () => T, fallback: T) => T;

function build(bytes: Uint8Array, options: PreviewOptions, guard: Guard): MessagePreview {
  const caps: Caps = {
    previewChars: capOf(options.maxPreviewChars, DEFAULT_PREVIEW_CHARS),
    firstLinesChars: capOf(options.maxFirstLinesChars, DEFAULT_FIRST_LINES_CHARS),
  };
  const head = guard(() => readHead(bytes), NO_HEAD);
  const body = guard(() => readBody(bytes, head, caps), NO_BODY);
  return {
    from: head.from,
    to: head.to,
    cc: head.cc,
    subject: head.subject,
    ...(head.date === undefined ? {} : { date: head.date }),
    ...(head.messageId === undefined ? {} : { messageId: head.messageId }),
    previewText: body.previewText,
    ...(body.firstLines === '' ? {} : { firstLines: body.firstLines }),
    hasAttachments: body.hasAttachments,
  };
}

/**
 * The preview of a message. Never throws: each stage is written not to, and as a last resort a stage that fails
 * anyway (say, an engine out of memory on a gigantic input) contributes empty fields, so that one bad message
 * cannot stop a mailbox scan.
 */
export function extractPreview(bytes: Uint8Array, options: PreviewOptions = {}): MessagePreview {
  return build(bytes, options, (stage, fallback) => {
    try {
      return stage();
    } catch {
      return fallback;
    }
  });
}

/** extractPreview without the last-resort guard: for tests, so that a throw the guard would hide is seen. */
export function extractPreviewUnguarded(bytes: Uint8Array, options: PreviewOptions = {}): MessagePreview {
  return build(bytes, options, (stage) => stage());
}
