import type { JSX } from 'react';
import { formatSize, safeFileName } from './format.ts';
import type { AttachmentView } from './mime.ts';

export interface AttachmentListProps {
  readonly attachments: readonly AttachmentView[];
}

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
  if (attachments.length === 0) return null;
  return (
    <section className="rp-attachments" aria-label="Attachments">
      <h3 className="rp-attachments-title">
        {attachments.length === 1 ? '1 attachment' : `${attachments.length} attachments`}
      </h3>
      <ul>
        {attachments.map((attachment) => (
          <li key={attachment.index} className="rp-attachment">
            <span className="rp-attachment-name">{attachment.filename}</span>
            <span className="rp-attachment-meta">
              {attachment.mimeType} · {formatSize(attachment.size)}
            </span>
            <button
              type="button"
              onClick={() => saveAttachment(attachment)}
              aria-label={`Save ${attachment.filename}`}
            >
              Save
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
