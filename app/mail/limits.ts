/**
 * Every bound the preview extractor applies, in one place (house style 9). A preview is built from whatever a
 * server sends, so each stage reads a bounded amount and does work linear in what it reads. Ordinary mail never
 * reaches any of these; hostile or broken mail is cut at them, silently, because a preview is best effort.
 */

/** Preview text length when the caller does not say (UTF-16 code units). */
export const DEFAULT_PREVIEW_CHARS = 300;

/**
 * The first lines of the body kept for the reading pane when the caller does not say (UTF-16 code units): a TOP
 * response of the default 20 lines is a few kilobytes at most; a policy of thousands of lines is cut here, so a
 * stored preview stays small next to the message list's other fields.
 */
export const DEFAULT_FIRST_LINES_CHARS = 16 * 1024;

/**
 * Bytes of the top-level header block whose fields are read. The block is still scanned to its end, however long,
 * so the body starts where it should; fields past this point are ignored.
 */
export const HEADER_FIELDS_BYTES = 256 * 1024;

/** The same, for the header block of one MIME body part (RFC 2045 §3), which is a handful of short fields. */
export const PART_HEADER_FIELDS_BYTES = 16 * 1024;

/** Multipart nesting followed (RFC 2046 §5.1 sets no limit); a deeper multipart is treated as an opaque part. */
export const MAX_MIME_DEPTH = 20;

/** Body parts looked at; the walk stops after this many. */
export const MAX_MIME_PARTS = 1000;

/** RFC 2046 §5.1.1 caps a boundary at 70 characters; real mail sometimes exceeds it, hostile mail by far. */
export const MAX_BOUNDARY_BYTES = 200;

/** Encoded bytes of a text/plain part decoded for the preview: far more text than a preview shows. */
export const TEXT_PART_BYTES = 64 * 1024;

/**
 * Encoded bytes of a text/html part decoded for the preview. Larger than for plain text because newsletters often
 * open with tens of kilobytes of `<style>` before the first visible word.
 */
export const HTML_PART_BYTES = 256 * 1024;

/** Addresses kept per address header (From, To, Cc); a list longer than this is cut. */
export const MAX_ADDRESSES = 1000;

/** Characters of a decoded Subject kept: a message list never shows more. */
export const MAX_SUBJECT_CHARS = 4096;

/** Characters of a Date header read; no valid date-time is longer, even with comments. */
export const MAX_DATE_CHARS = 256;

/** Characters of a Message-ID kept (RFC 5322 §2.1.1's 998-octet line limit). */
export const MAX_MESSAGE_ID_CHARS = 998;

/** Distinct charset labels whose decoders are cached across calls; more are decoded without caching. */
export const MAX_CACHED_CHARSETS = 64;
