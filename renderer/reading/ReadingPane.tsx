import { useEffect, useEffectEvent, useLayoutEffect, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { MessageKey } from '../../app/ids.ts';
import type { MessageRecord } from '../../app/mail/types.ts';
import type { AttachmentsToShow } from './AttachmentList.tsx';
import { keepFrameProcessWarm } from './frame-warmup.ts';
import type { HeaderBlockProps } from './HeaderBlock.tsx';
import { MessageView } from './MessageView.tsx';
import type { BodyToShow } from './MessageView.tsx';
import { parseMessage } from './mime.ts';
import type { ParsedMessage } from './mime.ts';
import { PreviewView } from './PreviewView.tsx';
import { bodyOfView, showBody, viewFromShown } from './prepared.ts';
import type { PreparedView, PreparedViews, Shown } from './prepared.ts';
import { ReadingErrorBoundary } from './ReadingErrorBoundary.tsx';
import './reading.css';

export interface ReadingPaneProps {
  /** The selected message; undefined when nothing is selected. */
  readonly message: MessageRecord | undefined;
  /** The raw RFC 5322 bytes of a downloaded message. */
  readonly loadBody: (key: MessageKey) => Promise<Uint8Array>;
  readonly onDownloadNow: () => void;
  readonly onMarkDownload: () => void;
  readonly onMarkDownloadCopy: () => void;
  readonly onUnmark: () => void;
  /** The host validates the URL and opens it outside the app. */
  readonly onOpenLink: (url: string) => void;
  /** Remote content allowed for this message (or its sender); the container keeps the set. */
  readonly remoteAllowed: boolean;
  readonly onAllowRemote: () => void;
  /**
   * Where prepared views are found and kept (prepared.ts). With one, a downloaded HTML message opened with remote
   * content blocked shows its stored view at once and is parsed at idle; one opened cold leaves its view there.
   */
  readonly preparedViews?: PreparedViews;
}

/** The reading pane: nothing, a preview with its download commands, or a downloaded message. */
export function ReadingPane(props: ReadingPaneProps): JSX.Element {
  useEffect(() => {
    keepFrameProcessWarm(document);
  }, []);
  return (
    <div className="poplar-reading">
      <ReadingErrorBoundary key={props.message?.key ?? ''}>
        <PaneContent {...props} />
      </ReadingErrorBoundary>
    </div>
  );
}

function PaneContent(props: ReadingPaneProps): JSX.Element {
  const { message } = props;
  if (message === undefined) {
    return <p className="rp-empty">Select a message to read it.</p>;
  }
  if (message.content === 'preview') {
    return (
      <PreviewView
        message={message}
        onDownloadNow={props.onDownloadNow}
        onMarkDownload={props.onMarkDownload}
        onMarkDownloadCopy={props.onMarkDownloadCopy}
        onUnmark={props.onUnmark}
        onOpenLink={props.onOpenLink}
      />
    );
  }
  return <DownloadedMessage {...props} message={message} />;
}

type BodyState =
  | { readonly phase: 'loading'; readonly key: MessageKey }
  | {
      /** A prepared view is shown; the message is read at idle (or now, for "Show images"). */
      readonly phase: 'prepared';
      readonly key: MessageKey;
      readonly view: PreparedView;
      /** Why reading the message failed, once it has: the view stays, its attachments cannot be saved. */
      readonly failure: string | undefined;
    }
  | {
      readonly phase: 'ready';
      readonly key: MessageKey;
      readonly parsed: ParsedMessage;
      /** Whether `shown` was made with remote content allowed. */
      readonly allowRemote: boolean;
      /** The body, sanitized and in its frame document: made once per message and setting, never in a render. */
      readonly shown: Shown;
      /** This message's view with remote content blocked, when there is one: shown again as it is, never remade. */
      readonly blockedView: PreparedView | undefined;
    }
  | { readonly phase: 'failed'; readonly key: MessageKey; readonly reason: string };

/**
 * A User Timing mark of a step in opening a message (`poplar:open:<step>`): seen in DevTools' performance panel
 * and read by `npm run bench:ui`. Where there is no `performance.mark` (an old test host), nothing.
 */
function mark(step: string): void {
  if (typeof performance === 'object' && typeof performance.mark === 'function') performance.mark(`poplar:open:${step}`);
}

/** How long a prepared view's message may wait for an idle moment before it is read anyway. */
const IDLE_TIMEOUT_MS = 1_000;

type IdleScheduler = (callback: () => void, options: { readonly timeout: number }) => number;

/**
 * A prepared view's message is not read before this: the window is idle while the frame's own process lays the
 * body out, and a parse started then (in the worker) competes with that layout for the machine's cores.
 */
const IDLE_NOT_BEFORE_MS = 300;

/**
 * Runs `task` when the window is idle, not before IDLE_NOT_BEFORE_MS and at the latest IDLE_TIMEOUT_MS after that
 * (where there is no requestIdleCallback, at IDLE_NOT_BEFORE_MS); returns what cancels it.
 */
function whenIdle(task: () => void): () => void {
  const host = globalThis as { requestIdleCallback?: IdleScheduler; cancelIdleCallback?: (handle: number) => void };
  const request = host.requestIdleCallback;
  const cancel = host.cancelIdleCallback;
  let cancelIdle: (() => void) | undefined;
  const timer = setTimeout(() => {
    if (typeof request === 'function' && typeof cancel === 'function') {
      const handle = request.call(globalThis, task, { timeout: IDLE_TIMEOUT_MS });
      cancelIdle = () => cancel.call(globalThis, handle);
    } else {
      task();
    }
  }, IDLE_NOT_BEFORE_MS);
  return () => {
    clearTimeout(timer);
    cancelIdle?.();
  };
}

/** Keeps a view, whatever the store does: saving is an optimisation, never a reason for the pane to fail. */
function keepView(views: PreparedViews | undefined, key: MessageKey, view: PreparedView): void {
  try {
    views?.save(key, view);
  } catch {
    // The contract says save never throws; if one does, the view is only made again next time.
  }
}

/**
 * Loads, parses and sanitizes the selected message off the render path. A result that arrives after the selection
 * moved on is dropped (and not sanitized); the state carries its key, so a stale one is never shown even for one
 * render.
 *
 * The sanitizer (DOMPurify: 25-70 ms for a 1 MB newsletter) runs in the task that receives the MIME worker's
 * answer, not in React's render: the render that follows only builds elements, so sanitizing and committing the
 * frame are two tasks, with input handled between them, instead of one long one.
 *
 * With a prepared view (prepared.ts) and remote content blocked, neither is on the way to the first paint: the
 * view's document is shown as soon as the store gives it, and the message is parsed when the window is idle, only
 * for its attachments' bytes; the document is kept as it is (the frame is neither replaced nor reloaded). A message
 * sanitized here with remote content blocked leaves its view to the store for next time.
 */
function useMessageBody(
  key: MessageKey,
  loadBody: (key: MessageKey) => Promise<Uint8Array>,
  remoteAllowed: boolean,
  preparedViews: PreparedViews | undefined,
): BodyState {
  const [state, setState] = useState<BodyState>({ phase: 'loading', key });
  // The latest loader, store and setting, without making a new function or a change of setting reload the message.
  const load = useEffectEvent((k: MessageKey) => loadBody(k));
  const views = useEffectEvent(() => preparedViews);
  const currentlyAllowed = useEffectEvent(() => remoteAllowed);
  // While a prepared view waits for idle: what reads its message now instead ("Show images").
  const readNow = useRef<(() => void) | undefined>(undefined);
  // A layout effect only to start the work sooner: React runs it as the pane is committed, where a passive effect
  // of an update that did not come from input (the record arriving from the store) waits until after the next
  // paint. It only starts promises; nothing here reads or writes layout.
  useLayoutEffect(() => {
    let cancelled = false;
    let cancelIdle: (() => void) | undefined;
    const settle = (next: BodyState): void => {
      if (!cancelled) setState(next);
    };
    const readBytes = async (): Promise<Uint8Array> => {
      mark('load');
      const bytes = await load(key);
      mark('bytes');
      return bytes;
    };
    // Cold: read, parse, sanitize; a body sanitized with remote content blocked is kept as a view.
    const run = async (): Promise<void> => {
      let bytes: Uint8Array;
      try {
        bytes = await readBytes();
      } catch (error) {
        settle({ phase: 'failed', key, reason: `The message could not be loaded: ${describe(error)}` });
        return;
      }
      const parsed = await parseMessage(bytes);
      if (cancelled) return;
      mark('parsed');
      const allowRemote = currentlyAllowed();
      const shown = showBody(parsed, allowRemote);
      mark('sanitized');
      const blockedView = allowRemote || shown.body.kind !== 'html' ? undefined : viewFromShown(parsed, shown.body, shown.notes);
      settle({ phase: 'ready', key, parsed, allowRemote, shown, blockedView });
      if (blockedView !== undefined) keepView(views(), key, blockedView);
    };
    // After a prepared view: the parse gives the attachments' bytes; the view's document stays as it is.
    const readAfterView = async (view: PreparedView): Promise<void> => {
      let parsed: ParsedMessage;
      try {
        parsed = await parseMessage(await readBytes());
      } catch (error) {
        settle({ phase: 'prepared', key, view, failure: describe(error) });
        return;
      }
      if (cancelled) return;
      mark('parsed');
      const allowRemote = currentlyAllowed();
      if (parsed.body.kind !== 'html') {
        // Not the message the view was made from (it cannot be, for one build): what it is now is shown.
        settle({ phase: 'ready', key, parsed, allowRemote, shown: showBody(parsed, allowRemote), blockedView: undefined });
        return;
      }
      // Remote content allowed meanwhile ("Show images"): that body is made now; the view is kept for taking it back.
      const shown = allowRemote ? showBody(parsed, true) : bodyOfView(view);
      if (allowRemote) mark('sanitized');
      settle({ phase: 'ready', key, parsed, allowRemote, shown, blockedView: view });
    };
    const showView = (view: PreparedView): void => {
      mark('prepared');
      settle({ phase: 'prepared', key, view, failure: undefined });
      let started = false;
      const start = (): void => {
        if (started || cancelled) return;
        started = true;
        cancelIdle?.();
        cancelIdle = undefined;
        if (readNow.current === start) readNow.current = undefined;
        readAfterView(view).catch((error: unknown) => {
          settle({ phase: 'prepared', key, view, failure: describe(error) });
        });
      };
      readNow.current = start;
      cancelIdle = whenIdle(start);
    };
    const open = async (): Promise<void> => {
      const store = views();
      if (store !== undefined && !currentlyAllowed()) {
        const view = await store.load(key).catch(() => undefined);
        if (cancelled) return;
        // Remote content allowed while the store answered: the view (blocked) is not what is wanted.
        if (view !== undefined && !currentlyAllowed()) {
          showView(view);
          return;
        }
      }
      await run();
    };
    open().catch((error: unknown) => {
      settle({ phase: 'failed', key, reason: `The message could not be read: ${describe(error)}` });
    });
    return () => {
      cancelled = true;
      cancelIdle?.();
      readNow.current = undefined;
    };
  }, [key]);
  // "Show images" while a prepared view waits for idle: the message is read now, and sanitized with remote allowed.
  useEffect(() => {
    if (remoteAllowed && state.phase === 'prepared' && state.key === key) readNow.current?.();
  }, [state, key, remoteAllowed]);
  // "Show images" (or the setting taken back): the parsed message is sanitized again with the new setting; taken
  // back, the message's blocked view, when there is one, is shown again as it is.
  useEffect(() => {
    if (state.phase !== 'ready' || state.key !== key || state.allowRemote === remoteAllowed) return;
    if (!remoteAllowed && state.blockedView !== undefined) {
      setState({ ...state, allowRemote: false, shown: bodyOfView(state.blockedView) });
      return;
    }
    const shown = showBody(state.parsed, remoteAllowed);
    const blockedView = remoteAllowed || shown.body.kind !== 'html' ? undefined : viewFromShown(state.parsed, shown.body, shown.notes);
    setState({ ...state, allowRemote: remoteAllowed, shown, blockedView });
    if (blockedView !== undefined) keepView(preparedViews, key, blockedView);
  }, [state, key, remoteAllowed, preparedViews]);
  return state.key === key ? state : { phase: 'loading', key };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type DownloadedMessageProps = ReadingPaneProps & { readonly message: MessageRecord };

function DownloadedMessage(props: DownloadedMessageProps): JSX.Element {
  const { message, remoteAllowed } = props;
  const state = useMessageBody(message.key, props.loadBody, remoteAllowed, props.preparedViews);
  // When the bytes cannot be had, the record's first lines (or, in an older record, its snippet) still can.
  const fallback = typeof message.firstLines === 'string' && message.firstLines.trim() !== '' ? message.firstLines : message.previewText;
  const shown = bodyToShow(state, remoteAllowed, fallback);

  // The parsed headers (or the view's, made from them); the record's own fields stand in until the message is
  // parsed, and when it cannot be.
  const parsedHeaders = state.phase === 'ready' ? state.parsed : state.phase === 'prepared' ? state.view.headers : undefined;
  const headers: HeaderBlockProps =
    parsedHeaders?.parsed === true
      ? {
          subject: parsedHeaders.subject,
          from: parsedHeaders.from,
          to: parsedHeaders.to,
          cc: parsedHeaders.cc,
          date: parsedHeaders.date,
          dateText: parsedHeaders.dateText,
        }
      : { subject: message.subject, from: message.from, to: message.to, cc: message.cc, date: message.date };

  return (
    <MessageView
      headers={headers}
      body={shown.body}
      attachments={attachmentsToShow(state)}
      notes={shown.notes}
      remoteAllowed={remoteAllowed}
      onAllowRemote={props.onAllowRemote}
      onOpenLink={props.onOpenLink}
    />
  );
}

const NO_ATTACHMENTS: AttachmentsToShow = { state: 'ready', items: [] };

function attachmentsToShow(state: BodyState): AttachmentsToShow {
  switch (state.phase) {
    case 'ready':
      return { state: 'ready', items: state.parsed.attachments };
    case 'prepared':
      return { state: state.failure === undefined ? 'reading' : 'unreadable', items: state.view.attachments };
    case 'loading':
    case 'failed':
      return NO_ATTACHMENTS;
  }
}

interface ShownOrLoading {
  readonly body: BodyToShow;
  readonly notes: readonly string[];
}

const LOADING: ShownOrLoading = { body: { kind: 'loading' }, notes: [] };

/**
 * What the body area shows for a load state. When the bytes cannot be had, the stored beginning of the text is
 * what can still be shown. A body sanitized with remote content allowed is never shown once it is not (the blocked
 * view is shown instead, or it is made again first); one sanitized without is safe to show until the allowed one
 * is ready.
 */
function bodyToShow(state: BodyState, allowRemote: boolean, storedText: string): ShownOrLoading {
  switch (state.phase) {
    case 'loading':
      return LOADING;
    case 'failed':
      return {
        body: storedText.trim() === '' ? { kind: 'empty' } : { kind: 'text', text: `${storedText} …` },
        notes: [state.reason],
      };
    case 'prepared': {
      const { view, failure } = state;
      const shown = bodyOfView(view);
      if (failure === undefined) return shown;
      const note =
        view.attachments.length > 0
          ? `The attachments could not be read: ${failure}`
          : `The message could not be read: ${failure}`;
      return { ...shown, notes: [...shown.notes, note] };
    }
    case 'ready':
      if (state.allowRemote && !allowRemote) return state.blockedView === undefined ? LOADING : bodyOfView(state.blockedView);
      return state.shown;
  }
}
