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
import type { MessageKey } from '../../../../app/ids.ts';
import { ReadingPane, asPreparedView, prepareView } from '../../../../renderer/reading/index.ts';
import type { PreparedView, PreparedViews } from '../../../../renderer/reading/index.ts';
import { frameDocument } from '../../../../renderer/reading/frame-document.ts';
import { parseMessage } from '../../../../renderer/reading/mime.ts';
import { sanitizeMailHtml } from '../../../../renderer/reading/sanitize.ts';
import type { HarnessApi, HarnessGlobal, PaneSpec, PreparedViewData, SavedView } from '../harness-api.ts';

// harness-api.ts writes the view's shape out for Node: it must stay the pane's own, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type SameViewShape = Holds<Same<PreparedView, PreparedViewData>>;

const messages: string[] = [];
const openedLinks: string[] = [];
const calls: string[] = [];
const saves: SavedView[] = [];
/** What lets the held-back `loadBody` calls go on. */
const heldBodies: (() => void)[] = [];
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
let mounted:
  | { readonly spec: PaneSpec; readonly message: MessageRecord; readonly views: PreparedViews | undefined }
  | undefined;

/** An in-memory prepared view store, holding the spec's view for this message; its saves are recorded. */
function memoryViews(spec: PaneSpec, key: MessageKey): PreparedViews | undefined {
  if (spec.prepared === undefined) return undefined;
  const stored = new Map<MessageKey, PreparedView>();
  if (spec.prepared.view !== undefined) stored.set(key, spec.prepared.view);
  return {
    load(k) {
      calls.push(`loadView:${k}`);
      return Promise.resolve(stored.get(k));
    },
    save(k, view) {
      saves.push({ key: k, view: structuredClone(view) });
      stored.set(k, view);
    },
  };
}

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

function render(spec: PaneSpec, message: MessageRecord, remoteAllowed: boolean, views: PreparedViews | undefined): void {
  mounted = { spec, message, views };
  const bytes = new TextEncoder().encode(spec.raw);
  root?.render(
    <ReadingPane
      message={message}
      preparedViews={views}
      loadBody={async (key) => {
        calls.push(`loadBody:${key}`);
        if (spec.holdBody === true) await new Promise<void>((resolve) => heldBodies.push(resolve));
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
        render(spec, message, true, views);
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
    api.select(spec);
    return Promise.resolve();
  },
  select(spec) {
    paneSeq += 1;
    const message = record(spec, paneSeq);
    flushSync(() => render(spec, message, spec.remoteAllowed, memoryViews(spec, message.key)));
  },
  setRemoteAllowed(allowed) {
    const current = mounted;
    if (current === undefined) throw new Error('no pane is mounted');
    flushSync(() => render(current.spec, current.message, allowed, current.views));
    return Array.from(document.querySelectorAll('iframe.rp-frame'), (frame) => frame.getAttribute('srcdoc') ?? '');
  },
  releaseBody() {
    for (const release of heldBodies.splice(0)) release();
  },
  shownKey() {
    if (mounted === undefined) throw new Error('no pane is mounted');
    return mounted.message.key;
  },
  async prepareView(raw) {
    return prepareView(await parseMessage(new TextEncoder().encode(raw)));
  },
  asPreparedView(value, clone) {
    return asPreparedView(clone ? structuredClone(value) : value);
  },
  reset() {
    root?.unmount();
    root = undefined;
    mounted = undefined;
    framesHost.replaceChildren();
    messages.length = 0;
    openedLinks.length = 0;
    calls.length = 0;
    saves.length = 0;
    heldBodies.length = 0;
  },
  events() {
    return { messages: [...messages], openedLinks: [...openedLinks], calls: [...calls], saves: [...saves], createdUrls, revokedUrls };
  },
};

(globalThis as unknown as { poplarHarness: HarnessGlobal['poplarHarness'] }).poplarHarness = api;
