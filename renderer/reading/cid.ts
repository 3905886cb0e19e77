/**
 * Content-ID matching (RFC 2392): an HTML part refers to a sibling part as `cid:` + the Content-ID without its angle
 * brackets, with characters a URL cannot hold %-escaped. Both sides become one key: unescaped, without brackets,
 * lower-cased (Content-IDs are compared case-insensitively in practice, as mail clients do).
 */

/** The key of a part's Content-ID header value, e.g. `<logo@example.com>`. */
export function cidKeyOfHeader(contentId: string): string {
  return contentId.trim().replace(/^</, '').replace(/>$/, '').trim().toLowerCase();
}

/** The key of a `cid:` URL, or undefined when the URL is not one. */
export function cidKeyOfUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (!/^cid:/i.test(trimmed)) return undefined;
  const rest = trimmed.slice(4);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    decoded = rest;
  }
  return cidKeyOfHeader(decoded);
}
