/**
 * The reading pane's container: the focused message, read live; its commands through the registry, on that one
 * message; links handed to main (`app:open-external`), which opens them in the system browser. Whether remote
 * content may load is decided per message and kept here, for this session.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MessageKey } from '../../app/ids.ts';
import type { CommandId } from '../../app/commands.ts';
import { useCommands } from '../commands/use-commands.ts';
import { ReadingPane, asPreparedView, prefetchParse } from '../reading/index.ts';
import type { PreparedView, PreparedViews } from '../reading/index.ts';
import { RENDER_VERSION } from '../reading/render-version.ts';
import { usePoplarDb, useMessage } from '../store/hooks.ts';
import { readBody, readPrepared, writePrepared } from '../store/index.ts';
import type { PoplarDb } from '../store/index.ts';
import { Loading } from './ErrorBoundary.tsx';
import { plural } from './format.ts';
import { useServices } from './services.ts';

/** A message shown this long counts as read, as in Outlook's reading pane. */
const MARK_READ_AFTER_MS = 1000;

/** The reads started when a message is selected, each taken (set to undefined) by the pane's first request. */
interface EarlyReads {
  readonly key: MessageKey;
  bytes: Promise<Uint8Array> | undefined;
  prepared: Promise<PreparedView | undefined> | undefined;
}

/** The message's prepared view by this build, when there is a usable one; never rejects. */
function loadPrepared(db: PoplarDb, key: MessageKey): Promise<PreparedView | undefined> {
  return readPrepared(db, key, RENDER_VERSION).then(asPreparedView, () => undefined);
}

export interface ReadingContainerProps {
  readonly focus: MessageKey | undefined;
  readonly selectedCount: number;
  readonly onProblem: (text: string) => void;
}

export function ReadingContainer({ focus, selectedCount, onProblem }: ReadingContainerProps) {
  const db = usePoplarDb();
  const { api } = useServices();
  const { context, run } = useCommands();
  const shown = selectedCount === 1 ? focus : undefined;
  const message = useMessage(shown);
  const [remoteAllowed, setRemoteAllowed] = useState<ReadonlySet<MessageKey>>(() => new Set());

  // Only a newly shown message starts the clock; a changed context must not restart it, so the timer reads the
  // latest context through a ref.
  const latest = useRef({ context, run });
  useEffect(() => {
    latest.current = { context, run };
  });
  const unread = message !== undefined && message !== null && !message.read;
  useEffect(() => {
    if (!unread || shown === undefined) return undefined;
    const timer = setTimeout(() => {
      latest.current.run('mark-read', { ...latest.current.context, selection: [shown] });
    }, MARK_READ_AFTER_MS);
    return () => clearTimeout(timer);
  }, [unread, shown]);

  // A selected message's prepared view and body are read at once, alongside its record, not after the record has
  // been read and the pane has rendered it: by the time the pane asks for them they are on their way. Without a
  // prepared view the body is parsed at once too (the pane's parse of the same array is the same parse: mime.ts);
  // with one, the pane parses it later, at idle. Each early read is used once, by the pane's first request for
  // that message; a body read that failed (the message is a preview) is made again, so a message downloaded while
  // it is shown still reads its new body.
  const early = useRef<EarlyReads | undefined>(undefined);
  useEffect(() => {
    if (shown === undefined) return undefined;
    const prepared = loadPrepared(db, shown);
    const bytes = readBody(db, shown);
    // A failure is the pane's to report, when it asks; here it only means "read again then".
    Promise.all([bytes, prepared]).then(([b, view]) => {
      if (view === undefined) prefetchParse(b);
    }, () => undefined);
    early.current = { key: shown, bytes, prepared };
    return () => {
      if (early.current?.key === shown) early.current = undefined;
    };
  }, [db, shown]);
  const loadBody = useCallback(
    (key: MessageKey) => {
      const pending = early.current;
      const bytes = pending?.key === key ? pending.bytes : undefined;
      if (pending === undefined || bytes === undefined) return readBody(db, key);
      pending.bytes = undefined;
      return bytes.catch(() => readBody(db, key));
    },
    [db],
  );
  const preparedViews = useMemo<PreparedViews>(
    () => ({
      load: (key) => {
        const pending = early.current;
        const prepared = pending?.key === key ? pending.prepared : undefined;
        if (pending === undefined || prepared === undefined) return loadPrepared(db, key);
        pending.prepared = undefined;
        return prepared;
      },
      save: (key, view) => {
        writePrepared(db, key, RENDER_VERSION, view).catch(() => undefined);
      },
    }),
    [db],
  );
  const onOpenLink = useCallback(
    (url: string) => {
      api
        .invoke('app:open-external', { url })
        .then((r) => {
          if (!r.ok) onProblem(r.error.message);
        })
        .catch(() => onProblem('The link could not be opened.'));
    },
    [api, onProblem],
  );

  if (selectedCount > 1) {
    return <div className="reading-placeholder">{`${plural(selectedCount, 'message', 'messages')} selected`}</div>;
  }
  if (shown !== undefined && message === undefined) return <Loading what="the message" />;
  const current = message ?? undefined;
  const on = (id: CommandId) => () => {
    if (current !== undefined) run(id, { ...context, selection: [current.key] });
  };
  return (
    <ReadingPane
      message={current}
      loadBody={loadBody}
      preparedViews={preparedViews}
      onDownloadNow={on('download-now')}
      onMarkDownload={on('mark-download')}
      onMarkDownloadCopy={on('mark-download-copy')}
      onUnmark={on('unmark')}
      onOpenLink={onOpenLink}
      remoteAllowed={current !== undefined && remoteAllowed.has(current.key)}
      onAllowRemote={() => {
        if (current !== undefined) setRemoteAllowed((set) => new Set(set).add(current.key));
      }}
    />
  );
}
