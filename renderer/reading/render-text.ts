/**
 * Plain text to safe HTML: every character escaped, and http(s) and mailto URLs made into links. Nothing else ever
 * becomes markup, so the result may be set as innerHTML of the app's own document. Pure: no DOM.
 */

export type TextSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly href: string };

const LINKABLE_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/**
 * A URL candidate: an allowed scheme at a word start, then anything up to white space, a control character or a
 * character that cannot stand unescaped in a URL and usually delimits one in text (`<>"` and the backtick).
 */
// eslint-disable-next-line no-control-regex -- control characters end a URL: they are part of the pattern
const CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"`\u0000-\u001f\u007f]+/gi;

/** Punctuation that ends a sentence rather than a URL ("see https://example.com/."). */
const TRAILING_PUNCTUATION = /[.,;:!?'*]$/;
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n += 1;
  return n;
}

/** Drops trailing punctuation, and a closing bracket that has no opening one inside the URL: "(https://x.org/a)". */
function trimCandidate(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1) ?? '';
    const opener = CLOSERS[last];
    if (TRAILING_PUNCTUATION.test(url)) {
      url = url.slice(0, -1);
    } else if (opener !== undefined && count(url, opener) < count(url, last)) {
      url = url.slice(0, -1);
    } else {
      return url;
    }
  }
}

/** The href for a candidate, or undefined when it is not a usable http(s) or mailto URL. */
export function linkHref(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (!LINKABLE_PROTOCOLS.has(url.protocol)) return undefined;
  if (url.protocol === 'mailto:') return url.pathname === '' && url.search === '' ? undefined : url.href;
  return url.hostname === '' ? undefined : url.href;
}

/** Splits text into plain runs and links. Concatenating every segment's `text` gives the input back. */
export function linkify(text: string): readonly TextSegment[] {
  const segments: TextSegment[] = [];
  let from = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const candidate = trimCandidate(match[0]);
    const href = linkHref(candidate);
    if (href === undefined) continue;
    if (start > from) segments.push({ kind: 'text', text: text.slice(from, start) });
    segments.push({ kind: 'link', text: candidate, href });
    from = start + candidate.length;
  }
  if (from < text.length) segments.push({ kind: 'text', text: text.slice(from) });
  return segments;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/**
 * Text as HTML: escaped, with links. Line breaks stay as they are; the container shows them with
 * `white-space: pre-wrap`, so no markup is needed for them.
 */
export function textToHtml(text: string): string {
  return linkify(text)
    .map((segment) =>
      segment.kind === 'text'
        ? escapeHtml(segment.text)
        : `<a href="${escapeHtml(segment.href)}" rel="noopener noreferrer">${escapeHtml(segment.text)}</a>`,
    )
    .join('');
}
