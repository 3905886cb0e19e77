/**
 * Prepares downloaded messages for reading, in the background: each downloaded HTML message in the inboxes is
 * parsed (in the MIME worker) and sanitized once, and its view kept in the store (renderer/reading/prepared.ts,
 * store/prepared.ts), so that opening it shows the body without waiting for either. A message the pane opened
 * before it was prepared is kept by the pane itself.
 *
 * When: a few seconds after the window opens (catching up on mail downloaded before, or by an older build), and
 * after every check that ended well (what it downloaded). Each pass takes at most PER_PASS messages among the
 * newest SCAN of the inboxes, newest first, one at a time, each step when the window and the user are idle
 * (windowIdle): the parse runs in the worker, the sanitize on the window's thread (a few ms for most mail, 30-80 ms
 * for a 1 MB newsletter). A message that has nothing to prepare (no HTML) or cannot be parsed is kept as "nothing" (null),
 * so it is not tried again by this build. Failures are skipped: a view is only ever a shortcut. At the end of a
 * pass, views of messages older than the newest SCAN (or outside the inboxes) are removed: the space views take is
 * bounded by the newest mail, not by the mailbox.
 */
import { RENDER_VERSION } from '../reading/render-version.ts';
import { downloadedWithoutView, dropStalePrepared, dropViewsOfOlderMail, readBody, writePrepared } from '../store/index.ts';
import type { PoplarDb } from '../store/index.ts';

export const START_AFTER_MS = 3_000;
export const PER_PASS = 50;
export const SCAN = 2_000;

export interface ViewPreparer {
  /** Something was downloaded: run a pass (after the current one, if one is running). */
  poke(): void;
  /** Stops after the current step; nothing more is written. */
  stop(): void;
  /** Resolves when no pass is running or due (for tests). */
  settled(): Promise<void>;
}

export interface ViewPreparerOptions {
  readonly db: PoplarDb;
  readonly startAfterMs?: number;
  readonly perPass?: number;
  readonly scan?: number;
  /** Waits for an idle period of the window; tests pass an immediate one. */
  readonly idle?: () => Promise<void>;
  /**
   * Bytes → the view to keep (null: nothing to prepare). The window's (start.tsx): parse in the MIME worker, then,
   * in another idle period, prepareView. Given by the caller, so this file needs no DOM.
   */
  readonly prepare: (bytes: Uint8Array, idle: () => Promise<void>) => Promise<unknown>;
}

interface IdleDeadline {
  timeRemaining(): number;
}
type IdleScheduler = (callback: (deadline: IdleDeadline) => void, options: { readonly timeout: number }) => number;
interface InputTarget {
  addEventListener(type: string, listener: () => void, options: { readonly capture: boolean; readonly passive: boolean }): void;
}

/** The user counts as busy this long after a key, a click or a wheel turn. */
const QUIET_AFTER_INPUT_MS = 1_000;
/** An idle period at least this long: the browser has no frame to draw soon. */
const MIN_IDLE_MS = 40;

let lastInput = -Infinity;
let watchingInput = false;

function watchInput(): void {
  if (watchingInput) return;
  watchingInput = true;
  const target = globalThis as Partial<InputTarget>;
  for (const type of ['pointerdown', 'keydown', 'wheel']) {
    target.addEventListener?.(type, () => {
      lastInput = performance.now();
    }, { capture: true, passive: true });
  }
}

/**
 * A moment when the window and the user are both idle: an idle period of at least MIN_IDLE_MS (no frame due) and
 * no input for QUIET_AFTER_INPUT_MS. Preparing one large message takes a task of 30-80 ms on the window's thread;
 * started while the user scrolls or types, it would be felt. Where there is no requestIdleCallback, 50 ms.
 */
export async function windowIdle(): Promise<void> {
  watchInput();
  const requestIdle = (globalThis as { requestIdleCallback?: IdleScheduler }).requestIdleCallback;
  if (typeof requestIdle !== 'function') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return;
  }
  for (;;) {
    const remaining = await new Promise<number>((resolve) => {
      requestIdle((deadline) => resolve(deadline.timeRemaining()), { timeout: 2_000 });
    });
    const quietFor = performance.now() - lastInput;
    if (remaining >= MIN_IDLE_MS && quietFor >= QUIET_AFTER_INPUT_MS) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(100, QUIET_AFTER_INPUT_MS - quietFor)));
  }
}

export function startViewPreparer(options: ViewPreparerOptions): ViewPreparer {
  const { db } = options;
  const idle = options.idle ?? windowIdle;
  const { prepare } = options;
  const perPass = options.perPass ?? PER_PASS;
  const scan = options.scan ?? SCAN;
  // Read through a function: it changes while a pass awaits, which flow analysis does not see.
  const state = { stopped: false, again: false };
  const isStopped = (): boolean => state.stopped;
  const pokedAgain = (): boolean => state.again;
  let staleDropped = false;
  let running: Promise<void> | undefined;

  const one = async (key: Parameters<typeof writePrepared>[1]): Promise<void> => {
    await idle();
    if (isStopped()) return;
    let view: unknown;
    try {
      view = await prepare(await readBody(db, key), idle);
    } catch {
      // Gone meanwhile (writePrepared below would refuse it), or not parseable: nothing to show faster.
      view = null;
    }
    if (isStopped()) return;
    await writePrepared(db, key, RENDER_VERSION, view);
  };

  const pass = async (): Promise<void> => {
    do {
      state.again = false;
      if (!staleDropped) {
        staleDropped = true;
        await dropStalePrepared(db, RENDER_VERSION);
      }
      const keys = await downloadedWithoutView(db, RENDER_VERSION, perPass, scan);
      for (const key of keys) {
        if (isStopped()) return;
        await one(key).catch(() => undefined);
      }
      if (isStopped()) return;
      await dropViewsOfOlderMail(db, scan);
    } while (pokedAgain() && !isStopped());
  };

  const run = (): void => {
    if (isStopped()) return;
    if (running !== undefined) {
      state.again = true;
      return;
    }
    running = pass()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  };

  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    timer = undefined;
    run();
  }, options.startAfterMs ?? START_AFTER_MS);

  return {
    poke() {
      if (timer === undefined) run();
    },
    stop() {
      state.stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    async settled() {
      while (running !== undefined || timer !== undefined) {
        await (running ?? new Promise((resolve) => setTimeout(resolve, 10)));
      }
    },
  };
}
