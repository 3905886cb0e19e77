/**
 * Who may talk to main, and where the window may go (Electron security checklist: validate the sender of every
 * IPC message; refuse navigation). Pure functions over plain facts, so they are tested without Electron.
 *
 * The app is served from a privileged custom scheme, `app://poplar` (see app-protocol.ts): only the main frame
 * of the main window, showing a page of that origin, may invoke main or answer its requests. DevTools, another
 * window, a subframe (the mail frame) or a page that got navigated elsewhere may not.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'poplar';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface FrameFacts {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
}

export interface SenderFacts {
  readonly webContentsId: number;
  /** null when the frame is gone (navigated away or destroyed) by the time the message is handled. */
  readonly frame: FrameFacts | null;
}

export interface TrustedWindow {
  readonly webContentsId: number;
  readonly mainFrame: Pick<FrameFacts, 'processId' | 'routingId'>;
}

/**
 * True when `url` is a page of the app's own origin. Compared by scheme and host, not `URL.origin`: for a
 * custom scheme Node's URL reports the origin as "null".
 */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

export function isTrustedSender(sender: SenderFacts, window: TrustedWindow | undefined): boolean {
  if (window === undefined || sender.frame === null) return false;
  if (sender.webContentsId !== window.webContentsId) return false;
  if (sender.frame.processId !== window.mainFrame.processId || sender.frame.routingId !== window.mainFrame.routingId) {
    return false;
  }
  return isAppUrl(sender.frame.url);
}

/**
 * Navigation the page itself starts. The main frame never navigates (the shell loads it; links go out through
 * `app:open-external`). A subframe may only become the mail frame's own document: about:blank, about:srcdoc, or
 * a blob: of the app's origin.
 */
export function isNavigationAllowed(url: string, isMainFrame: boolean): boolean {
  if (isMainFrame) return false;
  if (url === 'about:blank' || url === 'about:srcdoc') return true;
  return url.startsWith('blob:') && isAppUrl(url.slice('blob:'.length));
}
