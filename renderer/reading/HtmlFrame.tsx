import type { JSX } from 'react';
import { FRAME_SANDBOX } from './frame-document.ts';

export interface HtmlFrameProps {
  /** A whole document from frame-document.ts: sanitized markup under its own CSP. */
  readonly document: string;
}

/**
 * The HTML body, in a sandboxed frame: no `allow-scripts` (nothing in the mail runs), no `allow-same-origin` (the
 * frame has an opaque origin: it cannot reach the app's storage or DOM), `allow-popups` only so that a link, which
 * the sanitizer gave `target=_blank`, opens a new window that the host intercepts (Electron's
 * setWindowOpenHandler) or, in a plain browser, a new tab outside the sandbox.
 *
 * The frame fills the rest of the pane and scrolls by itself. Sizing it to its content would need its height, and
 * that cannot be had here: the parent cannot read a cross-origin document, and the frame cannot report it without
 * a script. So, like Outlook's reading pane, the headers stay put and the body scrolls.
 */
export function HtmlFrame({ document }: HtmlFrameProps): JSX.Element {
  return (
    <iframe
      className="rp-frame"
      title="Message body"
      sandbox={FRAME_SANDBOX}
      srcDoc={document}
      referrerPolicy="no-referrer"
    />
  );
}
