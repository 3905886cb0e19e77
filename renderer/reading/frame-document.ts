/**
 * The document the message frame shows (its `srcdoc`), around markup that sanitize.ts has already cleaned.
 * Pure: no DOM.
 *
 * Its own Content-Security-Policy is the second wall behind the sanitizer: nothing may load but inline styles and
 * `data:` images, and remote images and style sheets only once the user allowed them. `default-src 'none'` also
 * shuts scripts, fonts, media, frames, objects and connections; the frame's sandbox (no `allow-scripts`) shuts
 * scripts a second time. The meta element comes first in <head>, so it governs everything after it.
 *
 * The referrer policy keeps the app's address out of remote requests; DNS prefetching is off so a link's host is
 * not looked up before a click.
 */
import { escapeHtml } from './render-text.ts';

/** Scripts never run in the frame, and these are the only allowed permissions on it. */
export const FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

export function frameCsp(allowRemote: boolean): string {
  const remote = allowRemote ? ' https: http:' : '';
  return [
    "default-src 'none'",
    `style-src 'unsafe-inline'${remote}`,
    `img-src data:${remote}`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * The mail keeps a light canvas of its own whatever the app's theme: senders design for white paper, and
 * recolouring their HTML breaks more than it helps.
 */
const FRAME_CSS = [
  'html{color-scheme:light;background:#fff}',
  'body{margin:0;padding:12px 16px;color:#1f1f1f;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:break-word}',
  'img{max-width:100%;height:auto}',
  'pre{white-space:pre-wrap}',
  'blockquote{margin-left:0.5em;padding-left:0.75em;border-left:2px solid #c8c8c8}',
].join('');

export function frameDocument(sanitizedBody: string, allowRemote: boolean): string {
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(frameCsp(allowRemote))}">` +
    '<meta name="referrer" content="no-referrer">' +
    '<meta http-equiv="x-dns-prefetch-control" content="off">' +
    '<meta name="color-scheme" content="light">' +
    `<style>${FRAME_CSS}</style>` +
    `</head><body>${sanitizedBody}</body></html>`
  );
}
