/**
 * The reading pane's container: the focused message, read live; its commands through the registry, on that one
 * message; links handed to main (`app:open-external`), which opens them in the system browser. Whether remote
 * content may load is decided per message and kept here, for this session.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../app/ids.ts';
import type { CommandId } from '../../app/commands.ts';
import { useCommands } from '../commands/use-commands.ts';
import { ReadingPane, prefetchParse } from '../reading/index.ts';
import { usePoplarDb, useMessage } from '../store/hooks.ts';
import { readBody } from '../store/index.ts';
import { Loading } from './ErrorBoundary.tsx';
import { plural } from './format.ts';
import { useServices } from './services.ts';

/** A message shown this long counts as read, as in Outlook's reading pane. */
const MARK_READ_AFTER_MS = 1000;

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

  // A selected message's body is read and parsed at once, alongside its record, not after the record has been read
  // and the pane has rendered it: by the time the pane asks for the bytes, and then for their parse (the same
  // array, so the same parse: mime.ts), they are on their way. The read is used once,
  // by the pane's first request for that message; a read that failed (the message is a preview) is made again,
  // so a message downloaded while it is shown still reads its new body.
  const early = useRef<{ readonly key: MessageKey; readonly bytes: Promise<Uint8Array> } | undefined>(undefined);
  useEffect(() => {
    if (shown === undefined) return undefined;
    const bytes = readBody(db, shown);
    // A failure is the pane's to report, when it asks; here it only means "read again then".
    bytes.then(prefetchParse, () => undefined);
    early.current = { key: shown, bytes };
    return () => {
      if (early.current?.key === shown) early.current = undefined;
    };
  }, [db, shown]);
  const loadBody = useCallback(
    (key: MessageKey) => {
      const pending = early.current;
      if (pending?.key !== key) return readBody(db, key);
      early.current = undefined;
      return pending.bytes.catch(() => readBody(db, key));
    },
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
