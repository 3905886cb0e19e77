/**
 * Keeps the message frame's renderer process alive between messages.
 *
 * Chromium renders a frame sandboxed without `allow-same-origin` (HtmlFrame.tsx) in a process of its own, shared by
 * all such frames of the window and ended when the last one goes. Opening a message replaces its frame, so without
 * a frame that stays, every message that is opened first waits for a new process: 30-60 ms on the project's 2-core
 * machine (see README.md, "Opening a downloaded message"). One empty frame with the same sandbox, hidden, keeps
 * that process: the cost is one idle renderer process while the window is open.
 *
 * The frame holds an empty document under the strictest CSP of frame-document.ts: it loads nothing, runs nothing,
 * and is outside the accessibility tree and the tab order. Where the host keeps such frames in the window's own
 * process (an embedder without sandboxed-frame isolation), it is one small idle document.
 */
import { FRAME_SANDBOX, frameDocument } from './frame-document.ts';

const WARM_FRAME_CLASS = 'rp-warm-frame';

/** Adds the hidden frame to this document's body, once; later calls do nothing. */
export function keepFrameProcessWarm(doc: Document): void {
  if (doc.body.querySelector(`:scope > iframe.${WARM_FRAME_CLASS}`) !== null) return;
  const frame = doc.createElement('iframe');
  frame.className = WARM_FRAME_CLASS;
  frame.setAttribute('sandbox', FRAME_SANDBOX);
  frame.setAttribute('aria-hidden', 'true');
  frame.setAttribute('tabindex', '-1');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.title = 'Idle message frame';
  frame.style.display = 'none';
  frame.srcdoc = frameDocument('', false);
  doc.body.append(frame);
}
