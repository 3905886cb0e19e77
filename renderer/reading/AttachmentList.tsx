import type { JSX } from 'react';
import { formatSize, safeFileName } from './format.ts';
import type { AttachmentView } from './mime.ts';
import type { ListedAttachment } from './prepared.ts';

/**
 * The attachments to list: with their bytes once the message is parsed; before that (a prepared view is shown, and
 * the message is read at idle) only listed, their Save disabled; the same when the message could not be read.
 */
export type AttachmentsToShow =
  | { readonly state: 'ready'; readonly items: readonly AttachmentView[] }
  | { readonly state: 'reading' | 'unreadable'; readonly items: readonly ListedAttachment[] };

export interface AttachmentListProps {
  readonly attachments: AttachmentsToShow;
}

/** Why Save is disabled, as the button's description. */
const NOT_SAVABLE: Readonly<Record<'reading' | 'unreadable', string>> = {
  reading: 'The message is being read; the attachment can be saved in a moment.',
  unreadable: 'The message could not be read, so the attachment cannot be saved.',
};

/** How long an object URL outlives the click that saves it: the download has taken hold of the blob by then. */
export const REVOKE_DELAY_MS = 2_000;

/**
 * Saves an attachment through a Blob, an object URL and `<a download>`. The Blob's type is always
 * application/octet-stream, whatever the part declares: a blob: URL carries the app's origin, so an HTML or SVG
 * attachment must never be rendered from one, only saved.
 */
export function saveAttachment(attachment: AttachmentView, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([attachment.bytes], { type: 'application/octet-stream' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = safeFileName(attachment.filename);
  link.rel = 'noopener';
  link.hidden = true;
  doc.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, REVOKE_DELAY_MS);
  }
}

/** The message's attachments: name, type, size and a Save button each. */
export function AttachmentList({ attachments }: AttachmentListProps): JSX.Element | null {
  const count = attachments.items.length;
  if (count === 0) return null;
  return (
    <section className="rp-attachments" aria-label="Attachments">
      <h3 className="rp-attachments-title">{count === 1 ? '1 attachment' : `${count} attachments`}</h3>
      <ul>
        {attachments.state === 'ready'
          ? attachments.items.map((attachment) => (
              <AttachmentRow key={attachment.index} attachment={attachment} onSave={() => saveAttachment(attachment)} />
            ))
          : attachments.items.map((attachment) => (
              <AttachmentRow key={attachment.index} attachment={attachment} notSavable={NOT_SAVABLE[attachments.state]} />
            ))}
      </ul>
    </section>
  );
}

type AttachmentRowProps =
  | { readonly attachment: ListedAttachment; readonly onSave: () => void; readonly notSavable?: undefined }
  | { readonly attachment: ListedAttachment; readonly onSave?: undefined; readonly notSavable: string };

function AttachmentRow({ attachment, onSave, notSavable }: AttachmentRowProps): JSX.Element {
  return (
    <li className="rp-attachment">
      <span className="rp-attachment-name">{attachment.filename}</span>
      <span className="rp-attachment-meta">
        {attachment.mimeType} · {formatSize(attachment.size)}
      </span>
      <button
        type="button"
        onClick={onSave}
        disabled={onSave === undefined}
        title={notSavable}
        aria-label={`Save ${attachment.filename}`}
      >
        Save
      </button>
    </li>
  );
}
