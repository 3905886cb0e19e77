/**
 * The page the browser tests drive: the reading pane's real modules, bundled by Vite, with a small API on
 * `globalThis.poplarHarness` (harness-api.ts). It records what a hostile message might manage (messages posted to
 * the page) and what the pane asks of its host (links to open, commands, object URLs).
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { accountId, messageKey, uidl } from '../../../../app/ids.ts';
import type { MessageRecord } from '../../../../app/mail/types.ts';
import { ReadingPane } from '../../../../renderer/reading/index.ts';
import { frameDocument } from '../../../../renderer/reading/frame-document.ts';
import { sanitizeMailHtml } from '../../../../renderer/reading/sanitize.ts';
import type { HarnessApi, HarnessGlobal, PaneSpec } from '../harness-api.ts';

const messages: string[] = [];
const openedLinks: string[] = [];
const calls: string[] = [];
let createdUrls = 0;
let revokedUrls = 0;

window.addEventListener('message', (event) => {
  messages.push(String(event.data));
});

const createObjectURL = URL.createObjectURL.bind(URL);
const revokeObjectURL = URL.revokeObjectURL.bind(URL);
URL.createObjectURL = (object: Blob | MediaSource) => {
  createdUrls += 1;
  return createObjectURL(object);
};
URL.revokeObjectURL = (url: string) => {
  revokedUrls += 1;
  revokeObjectURL(url);
};

const framesHost = document.getElementById('frames');
const paneHost = document.getElementById('pane');
if (framesHost === null || paneHost === null) throw new Error('harness page without #frames or #pane');
let root: Root | undefined;
let paneSeq = 0;
/** What the pane shows now, for setRemoteAllowed. */
let mounted: { readonly spec: PaneSpec; readonly message: MessageRecord } | undefined;

function record(spec: PaneSpec, seq: number): MessageRecord {
  const message: MessageRecord = {
    key: messageKey(`acct:0:${seq}`),
    accountId: accountId('acct'),
    folder: 'inbox',
    uid: uidl(`uid-${seq}`),
    ordinal: 0,
    sizeOnServer: spec.sizeOnServer ?? spec.raw.length,
    content: spec.content,
    mark: spec.mark ?? 'none',
    onServer: spec.onServer ?? true,
    deletion: 'none',
    read: false,
    flagged: false,
    receivedAt: 0,
    from: [{ name: 'Record Sender', address: 'record@example.org' }],
    to: [],
    cc: [],
    subject: 'Subject from the record',
    previewText: spec.previewText ?? 'Preview text from the record',
    ...(spec.firstLines === undefined ? {} : { firstLines: spec.firstLines }),
    hasAttachments: false,
  };
  // A record as a bug or a bad migration could leave it: the type says string, the value is not one.
  return spec.brokenRecord === true ? { ...message, subject: null as unknown as string } : message;
}

function render(spec: PaneSpec, message: MessageRecord, remoteAllowed: boolean): void {
  mounted = { spec, message };
  const bytes = new TextEncoder().encode(spec.raw);
  root?.render(
    <ReadingPane
      message={message}
      loadBody={(key) => {
        calls.push(`loadBody:${key}`);
        return new Promise<Uint8Array>((resolve, reject) => {
          setTimeout(() => {
            if (spec.loadError === undefined) resolve(bytes);
            else reject(new Error(spec.loadError));
          }, spec.delayMs ?? 0);
        });
      }}
      onDownloadNow={() => calls.push('downloadNow')}
      onMarkDownload={() => calls.push('markDownload')}
      onMarkDownloadCopy={() => calls.push('markDownloadCopy')}
      onUnmark={() => calls.push('unmark')}
      onOpenLink={(url) => openedLinks.push(url)}
      remoteAllowed={remoteAllowed}
      onAllowRemote={() => {
        calls.push('allowRemote');
        // What the container does: remember the choice and render again.
        render(spec, message, true);
      }}
    />,
  );
}

const api: HarnessApi = {
  inspect(html) {
    const doc = new DOMParser().parseFromString(`<body>${html}`, 'text/html');
    const all = Array.from(doc.querySelectorAll('*'));
    return {
      tags: [...new Set(all.map((el) => el.localName))].sort(),
      handlers: all.flatMap((el) => el.getAttributeNames().filter((name) => name.startsWith('on'))),
      links: Array.from(doc.querySelectorAll('a'), (a) => ({
        id: a.id,
        href: a.getAttribute('href'),
        target: a.getAttribute('target'),
        rel: a.getAttribute('rel'),
        ping: a.getAttribute('ping'),
      })),
      imgs: Array.from(doc.querySelectorAll('img'), (img) => ({
        id: img.id,
        src: img.getAttribute('src'),
        srcset: img.getAttribute('srcset'),
      })),
      css: Array.from(doc.querySelectorAll('style'), (style) => style.textContent).join('\n'),
      styles: Array.from(doc.querySelectorAll('[id]'), (el) => ({ id: el.id, style: el.getAttribute('style') })),
    };
  },
  sanitize(html, allowRemote, cid) {
    return sanitizeMailHtml(window, html, { allowRemote, cidMap: new Map(Object.entries(cid)) });
  },
  frameDocument,
  showFrame(srcdoc, sandbox) {
    return new Promise((resolve) => {
      const frame = document.createElement('iframe');
      if (sandbox !== null) frame.setAttribute('sandbox', sandbox);
      frame.addEventListener('load', () => resolve(), { once: true });
      frame.srcdoc = srcdoc;
      framesHost.appendChild(frame);
    });
  },
  mountPane(spec) {
    root?.unmount();
    root = createRoot(paneHost);
    paneSeq += 1;
    const seq = paneSeq;
    flushSync(() => render(spec, record(spec, seq), spec.remoteAllowed));
    return Promise.resolve();
  },
  select(spec) {
    paneSeq += 1;
    const seq = paneSeq;
    flushSync(() => render(spec, record(spec, seq), spec.remoteAllowed));
  },
  setRemoteAllowed(allowed) {
    const current = mounted;
    if (current === undefined) throw new Error('no pane is mounted');
    flushSync(() => render(current.spec, current.message, allowed));
    return Array.from(document.querySelectorAll('iframe.rp-frame'), (frame) => frame.getAttribute('srcdoc') ?? '');
  },
  reset() {
    root?.unmount();
    root = undefined;
    mounted = undefined;
    framesHost.replaceChildren();
    messages.length = 0;
    openedLinks.length = 0;
    calls.length = 0;
  },
  events() {
    return { messages: [...messages], openedLinks: [...openedLinks], calls: [...calls], createdUrls, revokedUrls };
  },
};

(globalThis as unknown as { poplarHarness: HarnessGlobal['poplarHarness'] }).poplarHarness = api;
