/**
 * The in-page half of bench/chromium-ui.ts: added to the app's page by the benchmark (`page.addScriptTag`, a file
 * of the same origin, so the app's CSP admits it) after the app has loaded. It watches; it never drives the app,
 * which the benchmark does with real input events (Playwright's mouse and keyboard, through CDP).
 *
 * How a time is taken (see chromium-ui.ts's header for what each measures):
 * - start: the `timeStamp` of the trusted click event that opened something, recorded by a capture listener on
 *   the window. Chromium stamps an input event when the browser process received it, so the time includes the
 *   trip of the input to the page and any task that delays its dispatch.
 * - shown: a MutationObserver, armed before the click, sees the DOM reach the wanted state (the folder's first
 *   row with the expected subject under the folder's name; a new mail frame that has fired `load`).
 * - painted: from there, the next requestAnimationFrame callback, then a message posted from it: that message
 *   runs after the frame whose rendering started in that rAF has been produced (style, layout, paint, commit),
 *   which is the moment the user can first see the rows.
 * Long tasks (PerformanceObserver 'longtask', > 50 ms) and long animation frames ('long-animation-frame') are
 * collected all the time; `tasks(since)` summarizes those that started after `since`.
 */
import type { ProbeApi, Timing } from './api.ts';

export interface ProbeGlobal {
  poplarBenchProbe?: ProbeApi;
}

/*
 * The browser APIs the probe uses, typed here: bench/tsconfig.json (Node types, no DOM) compiles this file too, and
 * a DOM lib reference here would give every benchmark file the DOM's globals.
 */
interface ProbeElement {
  readonly textContent: string | null;
  readonly scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): ProbeElement | null;
  addEventListener(type: 'load', listener: () => void, options: { readonly once: boolean }): void;
}

interface Entry {
  readonly startTime: number;
  readonly duration: number;
}

interface LoafScript {
  readonly duration: number;
  readonly invoker?: string;
  readonly sourceURL?: string;
  readonly sourceFunctionName?: string;
}

interface LoafEntry extends Entry {
  readonly blockingDuration: number;
  readonly scripts?: readonly LoafScript[];
}

/** The part of IndexedDB the probe uses (the bench's project has no DOM types). */
interface IdbRequest<T> {
  readonly result: T;
  readonly error: Error | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbStore {
  get(key: string): IdbRequest<unknown>;
  delete(key: string): IdbRequest<unknown>;
}
interface IdbDatabase {
  transaction(store: string, mode: 'readonly' | 'readwrite'): {
    objectStore(name: string): IdbStore;
    readonly error: Error | null;
    oncomplete: (() => void) | null;
    onerror: (() => void) | null;
  };
  close(): void;
}

interface ProbeWindow {
  readonly indexedDB: { open(name: string): IdbRequest<IdbDatabase> };
  readonly document: {
    readonly body: unknown;
    querySelector(selector: string): ProbeElement | null;
    querySelectorAll(selector: string): Iterable<ProbeElement>;
  };
  addEventListener(
    type: 'click',
    listener: (event: { readonly isTrusted: boolean; readonly timeStamp: number }) => void,
    options: { readonly capture: boolean },
  ): void;
  requestAnimationFrame(callback: () => void): number;
  readonly MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: Readonly<Record<string, boolean>>): void;
    disconnect(): void;
  };
  readonly PerformanceObserver: new (callback: (list: { getEntries(): readonly unknown[] }) => void) => {
    observe(options: { readonly type: string }): void;
  };
  readonly MessageChannel: new () => {
    readonly port1: { onmessage: (() => void) | null; close(): void };
    readonly port2: { postMessage(message: unknown): void };
  };
}

const dom = globalThis as unknown as ProbeWindow;
const { document } = dom;

const longTasks: Entry[] = [];
const longFrames: LoafEntry[] = [];
new dom.PerformanceObserver((list) => longTasks.push(...(list.getEntries() as Entry[]))).observe({ type: 'longtask' });
new dom.PerformanceObserver((list) => longFrames.push(...(list.getEntries() as LoafEntry[]))).observe({
  type: 'long-animation-frame',
});

let lastClick = Number.NaN;
dom.addEventListener('click', (e) => {
  if (e.isTrusted) lastClick = e.timeStamp;
}, { capture: true });

function afterNextFrame(): Promise<number> {
  return new Promise((resolve) => {
    dom.requestAnimationFrame(() => {
      const channel = new dom.MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve(performance.now());
      };
      channel.port2.postMessage(0);
    });
  });
}

let pending: Promise<Timing> | undefined;
let stop: (() => void) | undefined;
let steps: Record<string, number> = {};

/** Notes the first time a step of the awaited change is seen. */
function step(name: string): void {
  steps[name] ??= performance.now();
}

/** Watches the DOM until `reached()` says yes (it may return a promise that settles when the state is painted-ready). */
function arm(reached: () => boolean | Promise<void>): void {
  stop?.();
  steps = {};
  const clickBefore = lastClick;
  pending = new Promise<Timing>((resolve, reject) => {
    let done = false;
    const finish = (shownAt: number) => {
      void afterNextFrame().then((paintedAt) => {
        if (lastClick === clickBefore) reject(new Error('no trusted click was seen after arming'));
        else {
          // The app's own User Timing marks of the steps (ReadingPane.tsx), those after the click.
          for (const entry of performance.getEntriesByType('mark')) {
            if (entry.name.startsWith('poplar:') && entry.startTime >= lastClick) steps[entry.name.replace(/^poplar:\w+:/, '')] ??= entry.startTime;
          }
          performance.clearMarks();
          resolve({ clickAt: lastClick, shownAt, paintedAt, steps });
        }
      });
    };
    const check = () => {
      if (done) return;
      const state = reached();
      if (state === false) return;
      done = true;
      observer.disconnect();
      if (state === true) finish(performance.now());
      else void state.then(() => finish(performance.now()), reject);
    };
    const observer = new dom.MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    stop = () => {
      observer.disconnect();
      done = true;
    };
  });
  // A caller that never asks for the result must not see an unhandled rejection.
  pending.catch(() => undefined);
}

/**
 * One request on the app's `prepared` table (store schema version 3), on a connection of the probe's own, closed
 * after it (an open connection would hold up the app's next schema upgrade).
 */
function onPrepared(mode: 'readonly' | 'readwrite', request: (store: IdbStore) => IdbRequest<unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const open = dom.indexedDB.open('poplar');
    open.onerror = () => reject(open.error ?? new Error('the store did not open'));
    open.onsuccess = () => {
      const db = open.result;
      try {
        const tx = db.transaction('prepared', mode);
        const req = request(tx.objectStore('prepared'));
        let value: unknown;
        req.onsuccess = () => {
          value = req.result;
        };
        tx.oncomplete = () => {
          db.close();
          resolve(value);
        };
        tx.onerror = () => {
          db.close();
          reject(tx.error ?? new Error('the request failed'));
        };
      } catch (error) {
        db.close();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
  });
}

const probe: ProbeApi = {
  now: () => performance.now(),
  tasks(since) {
    const tasks = longTasks.filter((e) => e.startTime >= since);
    const frames = longFrames.filter((e) => e.startTime >= since);
    const worst = frames.reduce<LoafEntry | undefined>((w, e) => (w === undefined || e.duration > w.duration ? e : w), undefined);
    const scripts = (worst?.scripts ?? [])
      .map((s) => `${s.invoker ?? '?'} ${s.sourceFunctionName ?? ''} ${(s.sourceURL ?? '').replace(/^.*\//, '')} ${s.duration.toFixed(0)} ms`)
      .join('; ');
    return {
      longTasks: tasks.length,
      longestTask: Math.max(0, ...tasks.map((e) => e.duration)),
      longFrames: frames.length,
      longestFrame: Math.max(0, ...frames.map((e) => e.duration)),
      longestBlocking: Math.max(0, ...frames.map((e) => e.blockingDuration)),
      worstScripts: scripts,
    };
  },
  armRows(label, firstSubject) {
    arm(() => {
      const grid = document.querySelector('.message-list[role="grid"]');
      if (grid?.getAttribute('aria-label') !== label) return false;
      const first = grid.querySelector('.list-scroll [aria-rowindex="2"] .subject-text');
      return first?.textContent === firstSubject;
    });
  },
  armBody() {
    const before = new Set(document.querySelectorAll('iframe'));
    let loaded: Promise<void> | undefined;
    arm(() => {
      if (loaded !== undefined) return loaded;
      if (document.querySelector('.poplar-reading .rp-message') !== null) step('view');
      const frame = [...document.querySelectorAll('.poplar-reading iframe.rp-frame')].find((f) => !before.has(f));
      if (frame === undefined) return false;
      step('frame');
      loaded = new Promise((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
      return loaded;
    });
  },
  result(timeoutMs) {
    const waiting = pending;
    if (waiting === undefined) return Promise.reject(new Error('nothing was armed'));
    pending = undefined;
    return new Promise<Timing>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop?.();
        reject(new Error(`the page did not reach the awaited state within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  },
  async preparedView(key) {
    const record = await onPrepared('readonly', (store) => store.get(key));
    if (record === undefined) return 'none';
    return (record as { view?: unknown }).view === null ? 'nothing' : 'view';
  },
  async dropPrepared(key) {
    await onPrepared('readwrite', (store) => store.delete(key));
  },
  nextFrame: afterNextFrame,
  scroll() {
    const list = document.querySelector('.list-scroll');
    if (list === null) return { top: 0, max: 0, client: 0 };
    return { top: list.scrollTop, max: list.scrollHeight - list.clientHeight, client: list.clientHeight };
  },
  rowSubject(rowIndex) {
    const row = document.querySelector(`.list-scroll [aria-rowindex="${rowIndex}"]`);
    if (row === null) return null;
    return row.querySelector('.subject-text')?.textContent ?? '';
  },
};

(globalThis as ProbeGlobal).poplarBenchProbe = probe;
