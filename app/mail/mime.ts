/**
 * One linear walk over the MIME structure of a message (RFC 2045, RFC 2046 §5.1): which part holds the preview
 * text and whether any part is an attachment. The walk reads part headers and looks for boundary lines, nothing
 * else; it never decodes a body.
 *
 * Multiparts nest, so the walk keeps a stack of open boundaries and matches each `--` line against it, innermost
 * first: a line that closes an outer multipart also closes the inner ones left open (a truncated or broken
 * message). Depth and part count are capped (limits.ts); a multipart deeper than the cap is an opaque part. The
 * walk stops early once it has both text parts and knows there is an attachment.
 */
import { bytesAt, CR, DASH, isWsp, lineEnd, LF } from './bytes.ts';
import { readHeaderBlock, type HeaderFields } from './headers.ts';
import { MAX_BOUNDARY_BYTES, MAX_MIME_DEPTH, MAX_MIME_PARTS, PART_HEADER_FIELDS_BYTES } from './limits.ts';
import { parseContentType, parseMimeValue } from './mime-params.ts';
import { transferEncodingOf, type TransferEncoding } from './transfer-encodings.ts';

/** A body part's content, located but not decoded. */
export interface TextPart {
  readonly start: number;
  readonly end: number;
  readonly html: boolean;
  readonly charset: string | undefined;
  readonly encoding: TransferEncoding;
  /** The preamble of a multipart whose boundary never appeared: its text, but likely boilerplate too. */
  readonly preamble?: boolean;
}

export interface MimeScan {
  /**
   * Where the preview text may come from, best first: the first text/plain part that is not an attachment, the
   * first such text/html part, the preamble of a multipart whose boundary never appeared.
   */
  readonly texts: readonly TextPart[];
  readonly hasAttachments: boolean;
}

interface Frame {
  /** The boundary's bytes (without the leading `--`). */
  readonly boundary: Uint8Array;
  readonly subtype: string;
}

interface Delimiter {
  readonly lineStart: number;
  /** Where the line after the delimiter starts. */
  readonly next: number;
  /** Index in the frame stack of the multipart it belongs to. */
  readonly frame: number;
  readonly close: boolean;
}

/** RFC 1847: the signature of multipart/signed and the control part of multipart/encrypted are not attachments. */
const PROTOCOL_TYPES = new Set([
  'application/pgp-signature',
  'application/pkcs7-signature',
  'application/x-pkcs7-signature',
  'application/pgp-encrypted',
]);

const encoder = new TextEncoder();

/** The boundary line (RFC 2046 §5.1.1) at `pos` of the innermost matching frame, if the line is one. */
function delimiterAt(bytes: Uint8Array, pos: number, frames: readonly Frame[]): Delimiter | undefined {
  if (bytes[pos] !== DASH || bytes[pos + 1] !== DASH) return undefined;
  for (let k = frames.length - 1; k >= 0; k--) {
    const boundary = frames[k]?.boundary;
    if (boundary === undefined || !bytesAt(bytes, pos + 2, boundary)) continue;
    const after = pos + 2 + boundary.length;
    const close = bytes[after] === DASH && bytes[after + 1] === DASH;
    const b = bytes[after];
    // "--b" must be followed by transport padding and the line end, so a boundary that is a prefix of another
    // (which RFC 2046 forbids, and mailers do anyway) does not match the longer one's lines.
    if (close || b === undefined || isWsp(b) || b === CR || b === LF) {
      return { lineStart: pos, next: Math.min(bytes.length, lineEnd(bytes, after) + 1), frame: k, close };
    }
  }
  return undefined;
}

/** The next boundary line of any open multipart at or after `from`. */
function nextDelimiter(bytes: Uint8Array, from: number, frames: readonly Frame[]): Delimiter | undefined {
  if (frames.length === 0) return undefined;
  let pos = from;
  while (pos < bytes.length) {
    const found = delimiterAt(bytes, pos, frames);
    if (found !== undefined) return found;
    const lf = bytes.indexOf(LF, pos);
    if (lf === -1) return undefined;
    pos = lf + 1;
  }
  return undefined;
}

/** The end of a part's content: RFC 2046 §5.1.1 makes the line break before a boundary part of the boundary. */
function contentEndBefore(bytes: Uint8Array, start: number, lineStart: number): number {
  let end = lineStart;
  if (end > start && bytes[end - 1] === LF) end--;
  if (end > start && bytes[end - 1] === CR) end--;
  return end;
}

interface PartView {
  readonly fields: HeaderFields;
  readonly parent: string | undefined;
}

/** What a part is to a preview: its type, whether it is an attachment, whether it can be the preview text. */
function classify({ fields, parent }: PartView) {
  const contentType = parseContentType(fields['content-type'], parent === 'digest');
  const disposition = parseMimeValue(fields['content-disposition'] ?? '');
  const named = (disposition.params.get('filename') ?? contentType.params.get('name') ?? '') !== '';
  const mediaType = `${contentType.type}/${contentType.subtype}`;
  const attachment = (() => {
    if (contentType.type === 'multipart' || parent === 'encrypted') return false;
    if (parent === 'signed' && PROTOCOL_TYPES.has(mediaType)) return false;
    if (disposition.value === 'attachment') return true;
    // An image the HTML shows through cid: (RFC 2387, RFC 2392) is part of the body, not an attachment.
    const referenced = parent === 'related' && fields['content-id'] !== undefined;
    if (referenced && contentType.type !== 'application') return false;
    return named || contentType.type !== 'text';
  })();
  // The body is a text part not declared an attachment; inside a multipart, a named one is a file unless it is
  // declared inline. A single-part message's text is its body whatever it is called.
  const readable =
    contentType.type === 'text' &&
    (contentType.subtype === 'plain' || contentType.subtype === 'html') &&
    disposition.value !== 'attachment' &&
    !(named && parent !== undefined && disposition.value !== 'inline') &&
    parent !== 'encrypted';
  return { contentType, attachment, readable };
}

function boundaryOf(params: ReadonlyMap<string, string>, bytes: Uint8Array, bodyStart: number): Uint8Array | undefined {
  const declared = params.get('boundary');
  if (declared !== undefined && declared !== '' && declared.length <= MAX_BOUNDARY_BYTES) return encoder.encode(declared);
  // No boundary parameter: take the first "--" line of the body's first 2 KB, which is what the mailer used.
  const window = Math.min(bytes.length, bodyStart + 2048);
  let pos = bodyStart;
  while (pos < window) {
    const end = Math.min(lineEnd(bytes, pos), window);
    if (bytes[pos] === DASH && bytes[pos + 1] === DASH) {
      let stop = end;
      while (stop > pos + 2 && (bytes[stop - 1] === CR || isWsp(bytes[stop - 1]))) stop--;
      return stop > pos + 2 && stop - pos - 2 <= MAX_BOUNDARY_BYTES ? bytes.slice(pos + 2, stop) : undefined;
    }
    pos = end + 1;
  }
  return undefined;
}

/** Walks the message body that starts at `bodyStart`, under the top-level header fields `fields`. */
export function scanMime(bytes: Uint8Array, fields: HeaderFields, bodyStart: number): MimeScan {
  const frames: Frame[] = [];
  let plain: TextPart | undefined;
  let html: TextPart | undefined;
  let preamble: TextPart | undefined;
  let hasAttachments = false;
  let part: PartView = { fields, parent: undefined };
  let pos = bodyStart;
  const isBoundary = (start: number): boolean => delimiterAt(bytes, start, frames) !== undefined;

  for (let parts = 0; parts < MAX_MIME_PARTS; parts++) {
    const { contentType, attachment, readable } = classify(part);
    hasAttachments ||= attachment;
    const boundary =
      contentType.type === 'multipart' && frames.length < MAX_MIME_DEPTH ? boundaryOf(contentType.params, bytes, pos) : undefined;
    let found: Delimiter | undefined;
    if (boundary !== undefined) {
      frames.push({ boundary, subtype: contentType.subtype });
      found = nextDelimiter(bytes, pos, frames);
      if (found === undefined && frames.length === 1 && pos < bytes.length) {
        preamble = { start: pos, end: bytes.length, html: false, charset: contentType.params.get('charset'), encoding: 'identity', preamble: true };
      }
    } else {
      found = nextDelimiter(bytes, pos, frames);
      if (readable) {
        const text: TextPart = {
          start: pos,
          end: found === undefined ? bytes.length : contentEndBefore(bytes, pos, found.lineStart),
          html: contentType.subtype === 'html',
          charset: contentType.params.get('charset'),
          encoding: transferEncodingOf(part.fields['content-transfer-encoding']),
        };
        if (text.html) html ??= text;
        else plain ??= text;
      }
    }
    if (plain !== undefined && html !== undefined && hasAttachments) break;
    // A close delimiter ends its multipart; what follows is its epilogue, up to a boundary of an outer one.
    while (found?.close === true) {
      frames.length = found.frame;
      found = nextDelimiter(bytes, found.next, frames);
    }
    if (found === undefined) break;
    frames.length = found.frame + 1;
    const parent = frames[found.frame]?.subtype;
    const head = readHeaderBlock(bytes, found.next, { fieldBytes: PART_HEADER_FIELDS_BYTES, isBoundary });
    part = { fields: head.fields, parent };
    pos = head.bodyStart;
  }
  return { texts: [plain, html, preamble].filter((t) => t !== undefined), hasAttachments };
}
