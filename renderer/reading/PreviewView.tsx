import type { JSX } from 'react';
import type { MessageRecord } from '../../app/mail/types.ts';
import { describeMark, formatSize } from './format.ts';
import { HeaderBlock } from './HeaderBlock.tsx';
import { TextBody } from './TextBody.tsx';

export interface PreviewViewProps {
  readonly message: MessageRecord;
  readonly onDownloadNow: () => void;
  readonly onMarkDownload: () => void;
  readonly onMarkDownloadCopy: () => void;
  readonly onUnmark: () => void;
  readonly onOpenLink: (url: string) => void;
}

/**
 * A message of which only the headers and first lines were fetched (POP3 TOP): what is known, a bar that says so,
 * the preview-then-download commands, and the fetched lines under them. A message gone from the server can no longer be downloaded; a stale
 * mark on it can still be removed.
 */
export function PreviewView(props: PreviewViewProps): JSX.Element {
  const { message } = props;
  const size = formatSize(message.sizeOnServer);
  const mark = describeMark(message.mark);
  const gone = !message.onServer;
  return (
    <div className="rp-message">
      <HeaderBlock
        subject={message.subject}
        from={message.from}
        to={message.to}
        cc={message.cc}
        date={message.date}
      />
      <div className={gone ? 'rp-bar rp-bar-warning' : 'rp-bar'} role="status">
        <p className="rp-bar-text">
          {gone
            ? `Only the beginning of this message was downloaded, and the message is no longer on the server (it was ${size}).`
            : `Only the beginning of this message has been downloaded. The whole message is ${size} on the server.`}
        </p>
        {mark === '' ? null : <p className="rp-bar-mark">{mark}</p>}
        <div className="rp-bar-actions">
          <button type="button" disabled={gone} onClick={props.onDownloadNow}>
            Download now
          </button>
          <button
            type="button"
            disabled={gone || message.mark === 'download'}
            aria-pressed={message.mark === 'download'}
            onClick={props.onMarkDownload}
          >
            Mark to download
          </button>
          <button
            type="button"
            disabled={gone || message.mark === 'download-copy'}
            aria-pressed={message.mark === 'download-copy'}
            onClick={props.onMarkDownloadCopy}
          >
            Mark to download a copy
          </button>
          {message.mark === 'none' ? null : (
            <button type="button" onClick={props.onUnmark}>
              Unmark
            </button>
          )}
        </div>
      </div>
      <div className="rp-body rp-body-scroll">
        <PreviewBody message={message} onOpenLink={props.onOpenLink} />
      </div>
    </div>
  );
}

/**
 * The lines TOP fetched, as plain text (escaped, links only: never the mail's HTML) with its paragraphs. A record
 * stored before Poplar kept them has only the list's one-line snippet, shown muted as what it is.
 */
function PreviewBody({ message, onOpenLink }: Pick<PreviewViewProps, 'message' | 'onOpenLink'>): JSX.Element {
  const lines = typeof message.firstLines === 'string' ? message.firstLines : '';
  if (lines.trim() !== '') {
    return (
      <>
        <TextBody text={lines} onOpenLink={onOpenLink} className="rp-first-lines" />
        <p className="rp-muted rp-first-lines-end" aria-hidden="true">
          …
        </p>
      </>
    );
  }
  if (message.previewText.trim() !== '') {
    return <TextBody text={`${message.previewText} …`} onOpenLink={onOpenLink} className="rp-preview-text" />;
  }
  return <p className="rp-muted">No preview text.</p>;
}
