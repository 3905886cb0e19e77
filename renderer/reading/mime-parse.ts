/**
 * The downloaded message as the reading pane shows it: postal-mime parses the RFC 5322 bytes (RFC 2045-2047 and
 * 2231 decoding included) and this module turns the result into a small view model: decoded headers, the body to
 * show, the attachments to list, and the inline images (`cid:` parts, RFC 2392) as bounded `data:` URLs.
 * No DOM: it runs in the MIME worker (mime-worker.ts), and in the window or in Node when there is no worker
 * (mime.ts chooses; the rest of the app imports mime.ts).
 */
import PostalMime from 'postal-mime';
import type { Address as ParsedAddress, Attachment, Email } from 'postal-mime';
import type { Address } from '../../app/mail/types.ts';
import { cidKeyOfHeader, cidKeyOfUrl } from './cid.ts';

export interface MimeLimits {
  /** Largest inline image turned into a `data:` URL; a larger one is listed as an attachment instead. */
  readonly inlineImageBytes: number;
  /** All inline images of one message together. */
  readonly inlineTotalBytes: number;
  /** How much of an unparseable message's raw source is shown. */
  readonly rawFallbackBytes: number;
}

export const DEFAULT_MIME_LIMITS: MimeLimits = {
  inlineImageBytes: 4 * 1024 * 1024,
  inlineTotalBytes: 16 * 1024 * 1024,
  rawFallbackBytes: 1024 * 1024,
};

/**
 * Image types a `data:` URL may carry into the message frame. Not SVG: it is a document, not a picture, and a
 * sender has no need for it that PNG does not meet.
 */
const INLINE_IMAGE_TYPES: ReadonlyMap<string, string> = new Map([
  ['image/png', 'image/png'],
  ['image/gif', 'image/gif'],
  ['image/jpeg', 'image/jpeg'],
  ['image/jpg', 'image/jpeg'],
  ['image/pjpeg', 'image/jpeg'],
  ['image/webp', 'image/webp'],
  ['image/bmp', 'image/bmp'],
  ['image/avif', 'image/avif'],
]);

export interface AttachmentView {
  /** Position among the message's parts: a stable key for the list. */
  readonly index: number;
  /** The decoded file name, or a made-up one when the part has none. */
  readonly filename: string;
  /** Lower-case MIME type, as the part declares it (never trusted for anything but display). */
  readonly mimeType: string;
  readonly size: number;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

export type BodyView =
  /** The HTML part (preferred in multipart/alternative), with the text part when there is one. */
  | { readonly kind: 'html'; readonly html: string; readonly text: string | undefined }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'empty' };

export interface ParsedMessage {
  /** False when the parser gave up: the headers are then empty and the body is the raw source. */
  readonly parsed: boolean;
  readonly from: readonly Address[];
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly replyTo: readonly Address[];
  readonly subject: string;
  /** The Date header as epoch ms, when it parses. */
  readonly date: number | undefined;
  /** The Date header as written, when it does not parse. */
  readonly dateText: string | undefined;
  readonly body: BodyView;
  readonly attachments: readonly AttachmentView[];
  /** Inline images by Content-ID key (see cid.ts) as `data:` URLs, for the sanitizer. */
  readonly cidMap: ReadonlyMap<string, string>;
  /** Things the reader should know: what could not be shown, and why. */
  readonly notes: readonly string[];
}

/** Parses here, on the calling thread. */
export async function parseMessageHere(bytes: Uint8Array, limits: MimeLimits = DEFAULT_MIME_LIMITS): Promise<ParsedMessage> {
  let email: Email;
  try {
    email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  } catch (error) {
    return unparsed(bytes, error, limits);
  }
  return toView(email, limits);
}

function toView(email: Email, limits: MimeLimits): ParsedMessage {
  const html = nonBlank(email.html);
  // Trailing line breaks of the last text part are not content.
  const text = nonBlank(email.text)?.trimEnd();
  const body: BodyView =
    html !== undefined ? { kind: 'html', html, text } : text !== undefined ? { kind: 'text', text } : { kind: 'empty' };

  const referenced = html === undefined ? new Set<string>() : referencedCids(html);
  const cidMap = new Map<string, string>();
  const attachments: AttachmentView[] = [];
  let inlineBytes = 0;
  let tooLarge = 0;
  email.attachments.forEach((attachment, index) => {
    const bytes = contentBytes(attachment);
    const key = attachment.contentId === undefined ? undefined : cidKeyOfHeader(attachment.contentId);
    const imageType = INLINE_IMAGE_TYPES.get(attachment.mimeType.toLowerCase());
    if (key !== undefined && key !== '' && referenced.has(key) && imageType !== undefined && !cidMap.has(key)) {
      if (bytes.length <= limits.inlineImageBytes && inlineBytes + bytes.length <= limits.inlineTotalBytes) {
        cidMap.set(key, `data:${imageType};base64,${toBase64(bytes)}`);
        inlineBytes += bytes.length;
        return;
      }
      tooLarge += 1;
    }
    attachments.push({
      index,
      filename: attachment.filename?.trim() || fallbackName(attachment.mimeType, attachments.length + 1),
      mimeType: attachment.mimeType.toLowerCase(),
      size: bytes.length,
      bytes,
    });
  });

  const notes: string[] = [];
  if (tooLarge > 0) {
    notes.push(
      tooLarge === 1
        ? 'An inline image is too large to show in the message; it is listed with the attachments.'
        : `${tooLarge} inline images are too large to show in the message; they are listed with the attachments.`,
    );
  }

  const parsedDate = email.date === undefined ? Number.NaN : Date.parse(email.date);
  return {
    parsed: true,
    from: email.from === undefined ? [] : flatten([email.from]),
    to: flatten(email.to ?? []),
    cc: flatten(email.cc ?? []),
    replyTo: flatten(email.replyTo ?? []),
    subject: email.subject ?? '',
    date: Number.isNaN(parsedDate) ? undefined : parsedDate,
    dateText: Number.isNaN(parsedDate) ? email.date : undefined,
    body,
    attachments,
    cidMap,
    notes,
  };
}

/** A message the parser refused (a breached limit, say): its raw source, bounded, as text. */
function unparsed(bytes: Uint8Array, error: unknown, limits: MimeLimits): ParsedMessage {
  const shown = bytes.subarray(0, limits.rawFallbackBytes);
  const reason = error instanceof Error ? error.message : String(error);
  const notes = [`This message could not be read (${reason}). Its raw source is shown instead.`];
  if (shown.length < bytes.length) notes.push(`Only the first ${shown.length} bytes of the source are shown.`);
  return {
    parsed: false,
    from: [],
    to: [],
    cc: [],
    replyTo: [],
    subject: '',
    date: undefined,
    dateText: undefined,
    body: { kind: 'text', text: new TextDecoder('utf-8', { fatal: false }).decode(shown) },
    attachments: [],
    cidMap: new Map(),
    notes,
  };
}

function nonBlank(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

/** The Content-ID keys the HTML refers to with `cid:` URLs, wherever they appear (src, background, CSS). */
function referencedCids(html: string): Set<string> {
  const keys = new Set<string>();
  for (const match of html.matchAll(/cid:[^\s"'()<>]+/gi)) {
    const key = cidKeyOfUrl(match[0]);
    if (key !== undefined && key !== '') keys.add(key);
  }
  return keys;
}

/** A group (RFC 5322 §3.4) shows as its members; an empty one ("undisclosed-recipients:;") as its name. */
function flatten(list: readonly ParsedAddress[]): Address[] {
  const out: Address[] = [];
  for (const entry of list) {
    if (entry.group === undefined) {
      out.push({ name: entry.name, address: entry.address });
    } else if (entry.group.length === 0) {
      out.push({ name: entry.name, address: '' });
    } else {
      for (const member of entry.group) out.push({ name: member.name, address: member.address });
    }
  }
  return out;
}

function contentBytes(attachment: Attachment): Uint8Array<ArrayBuffer> {
  const { content } = attachment;
  if (typeof content === 'string') {
    // Only with the base64 or utf8 attachment encodings, which parseMessage does not ask for.
    return new TextEncoder().encode(content);
  }
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  return new Uint8Array(content);
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'message/rfc822': 'eml',
  'text/calendar': 'ics',
  'application/ics': 'ics',
  'text/plain': 'txt',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
};

function fallbackName(mimeType: string, ordinal: number): string {
  const extension = EXTENSIONS[mimeType.toLowerCase()];
  return extension === undefined ? `attachment-${ordinal}` : `attachment-${ordinal}.${extension}`;
}

// Three bytes make four base64 characters: chunks of a multiple of 3 encode independently and concatenate.
const BASE64_CHUNK = 3 * 8192;

export function toBase64(bytes: Uint8Array): string {
  // Uint8Array.prototype.toBase64 (TC39 "Uint8Array to/from base64"; Chromium has it): one native call.
  const native = (bytes as { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let out = '';
  for (let at = 0; at < bytes.length; at += BASE64_CHUNK) {
    out += btoa(String.fromCharCode(...bytes.subarray(at, at + BASE64_CHUNK)));
  }
  return out;
}
