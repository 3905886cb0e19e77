import { useEffect, useEffectEvent, useLayoutEffect, useState } from 'react';
import type { JSX } from 'react';
import type { MessageKey } from '../../app/ids.ts';
import type { MessageRecord } from '../../app/mail/types.ts';
import { frameDocument } from './frame-document.ts';
import { keepFrameProcessWarm } from './frame-warmup.ts';
import type { HeaderBlockProps } from './HeaderBlock.tsx';
import { MessageView } from './MessageView.tsx';
import type { BodyToShow } from './MessageView.tsx';
import { parseMessage } from './mime.ts';
import type { ParsedMessage } from './mime.ts';
import { PreviewView } from './PreviewView.tsx';
import { ReadingErrorBoundary } from './ReadingErrorBoundary.tsx';
import { sanitizeMailHtml } from './sanitize.ts';
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
      readonly phase: 'ready';
      readonly key: MessageKey;
      readonly parsed: ParsedMessage;
      /** Whether `shown` was made with remote content allowed. */
      readonly allowRemote: boolean;
      /** The body, sanitized and in its frame document: made once per message and setting, never in a render. */
      readonly shown: Shown;
    }
  | { readonly phase: 'failed'; readonly key: MessageKey; readonly reason: string };

/**
 * Loads, parses and sanitizes the selected message off the render path. A result that arrives after the selection
 * moved on is dropped (and not sanitized); the state carries its key, so a stale one is never shown even for one
 * render.
 *
 * The sanitizer (DOMPurify: 25-70 ms for a 1 MB newsletter) runs in the task that receives the MIME worker's
 * answer, not in React's render: the render that follows only builds elements, so sanitizing and committing the
 * frame are two tasks, with input handled between them, instead of one long one.
 */
/**
 * A User Timing mark of a step in opening a message (`poplar:open:<step>`): seen in DevTools' performance panel
 * and read by `npm run bench:ui`. Where there is no `performance.mark` (an old test host), nothing.
 */
function mark(step: string): void {
  if (typeof performance === 'object' && typeof performance.mark === 'function') performance.mark(`poplar:open:${step}`);
}

function useMessageBody(
  key: MessageKey,
  loadBody: (key: MessageKey) => Promise<Uint8Array>,
  remoteAllowed: boolean,
): BodyState {
  const [state, setState] = useState<BodyState>({ phase: 'loading', key });
  // The latest loader and setting, without making a new function or a change of setting reload the message.
  const load = useEffectEvent((k: MessageKey) => loadBody(k));
  const currentlyAllowed = useEffectEvent(() => remoteAllowed);
  // A layout effect only to start the work sooner: React runs it as the pane is committed, where a passive effect
  // of an update that did not come from input (the record arriving from the store) waits until after the next
  // paint. It only starts promises; nothing here reads or writes layout.
  useLayoutEffect(() => {
    let cancelled = false;
    const settle = (next: BodyState): void => {
      if (!cancelled) setState(next);
    };
    const run = async (): Promise<void> => {
      let bytes: Uint8Array;
      try {
        mark('load');
        bytes = await load(key);
        mark('bytes');
      } catch (error) {
        settle({ phase: 'failed', key, reason: `The message could not be loaded: ${describe(error)}` });
        return;
      }
      const parsed = await parseMessage(bytes);
      if (cancelled) return;
      mark('parsed');
      const allowRemote = currentlyAllowed();
      const shown = prepareBody(parsed, allowRemote);
      mark('sanitized');
      settle({ phase: 'ready', key, parsed, allowRemote, shown });
    };
    run().catch((error: unknown) => {
      settle({ phase: 'failed', key, reason: `The message could not be read: ${describe(error)}` });
    });
    return () => {
      cancelled = true;
    };
  }, [key]);
  // "Show images" (or the setting taken back): the parsed message is sanitized again with the new setting.
  useEffect(() => {
    if (state.phase !== 'ready' || state.key !== key || state.allowRemote === remoteAllowed) return;
    setState({ ...state, allowRemote: remoteAllowed, shown: prepareBody(state.parsed, remoteAllowed) });
  }, [state, key, remoteAllowed]);
  return state.key === key ? state : { phase: 'loading', key };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type DownloadedMessageProps = ReadingPaneProps & { readonly message: MessageRecord };

function DownloadedMessage(props: DownloadedMessageProps): JSX.Element {
  const { message, remoteAllowed } = props;
  const state = useMessageBody(message.key, props.loadBody, remoteAllowed);
  const parsed = state.phase === 'ready' ? state.parsed : undefined;
  // When the bytes cannot be had, the record's first lines (or, in an older record, its snippet) still can.
  const fallback = typeof message.firstLines === 'string' && message.firstLines.trim() !== '' ? message.firstLines : message.previewText;
  const shown = bodyToShow(state, remoteAllowed, fallback);

  // The record's own header fields stand in until the message is parsed, and when it cannot be.
  const headers: HeaderBlockProps =
    parsed?.parsed === true
      ? {
          subject: parsed.subject,
          from: parsed.from,
          to: parsed.to,
          cc: parsed.cc,
          date: parsed.date,
          dateText: parsed.dateText,
        }
      : { subject: message.subject, from: message.from, to: message.to, cc: message.cc, date: message.date };

  return (
    <MessageView
      headers={headers}
      body={shown.body}
      attachments={parsed?.attachments ?? []}
      notes={shown.notes}
      remoteAllowed={remoteAllowed}
      onAllowRemote={props.onAllowRemote}
      onOpenLink={props.onOpenLink}
    />
  );
}

interface Shown {
  readonly body: BodyToShow;
  readonly notes: readonly string[];
}

const LOADING: Shown = { body: { kind: 'loading' }, notes: [] };

/**
 * What the body area shows for a load state. When the bytes cannot be had, the stored beginning of the text is
 * what can still be shown. A body sanitized with remote content allowed is never shown once it is not (it is made
 * again first); one sanitized without is safe to show until the allowed one is ready.
 */
function bodyToShow(state: BodyState, allowRemote: boolean, storedText: string): Shown {
  switch (state.phase) {
    case 'loading':
      return LOADING;
    case 'failed':
      return {
        body: storedText.trim() === '' ? { kind: 'empty' } : { kind: 'text', text: `${storedText} …` },
        notes: [state.reason],
      };
    case 'ready':
      return state.allowRemote && !allowRemote ? LOADING : state.shown;
  }
}

/** The body of a parsed message as it is to be shown: sanitized HTML in a frame document, or text, with notes. */
function prepareBody(parsed: ParsedMessage, allowRemote: boolean): Shown {
  const { body, cidMap, notes } = parsed;
  if (body.kind !== 'html') return { body, notes };
  try {
    const clean = sanitizeMailHtml(window, body.html, { allowRemote, cidMap });
    return {
      body: {
        kind: 'html',
        document: frameDocument(clean.html, allowRemote),
        blockedCount: clean.blockedCount,
        text: body.text,
      },
      notes,
    };
  } catch (error) {
    const note = `The formatted part of this message could not be shown safely (${describe(error)}).`;
    return {
      body: body.text === undefined ? { kind: 'empty' } : { kind: 'text', text: body.text },
      notes: [...notes, note],
    };
  }
}
