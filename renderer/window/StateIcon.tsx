/** A message's state as a small icon with its name as text alternative (title for the mouse, label for readers). */
import type { ReactNode } from 'react';
import { STATE_LABELS, type MessageState } from './message-state.ts';

const SHAPES: Readonly<Record<MessageState, ReactNode>> = {
  // An envelope's outline with only its top written: the headers and first lines are here.
  preview: (
    <>
      <rect x="1.5" y="3.5" width="13" height="9" rx="1" fill="none" stroke="currentColor" />
      <path d="M1.5 4 8 8.5 14.5 4" fill="none" stroke="currentColor" />
      <path d="M4 11h2M7 11h2M10 11h2" stroke="currentColor" />
    </>
  ),
  // An arrow down into a tray: will download.
  marked: (
    <>
      <path d="M8 1.5v8M4.5 6 8 9.5 11.5 6" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M2 10.5v3h12v-3" fill="none" stroke="currentColor" strokeWidth="1.4" />
    </>
  ),
  // The same arrow, with a second tray behind: will download, and a copy stays on the server.
  'marked-copy': (
    <>
      <path d="M7 1.5v7M4 5.5 7 8.5 10 5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M1.5 9.5v3h11v-3" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M12.5 7.5h2v7h-11v-1" fill="none" stroke="currentColor" />
    </>
  ),
  // A whole, filled envelope.
  downloaded: (
    <>
      <rect x="1.5" y="3.5" width="13" height="9" rx="1" fill="currentColor" stroke="currentColor" />
      <path d="M1.5 4 8 8.5 14.5 4" fill="none" stroke="var(--icon-contrast)" />
    </>
  ),
  // An outline, struck through: gone from the server, only this preview is left.
  gone: (
    <>
      <rect x="1.5" y="3.5" width="13" height="9" rx="1" fill="none" stroke="currentColor" strokeDasharray="2 1.5" />
      <path d="M2 14 14 2" stroke="currentColor" strokeWidth="1.4" />
    </>
  ),
};

export function StateIcon({ state }: { readonly state: MessageState }) {
  const label = STATE_LABELS[state];
  return (
    <svg className={`state-icon state-${state}`} viewBox="0 0 16 16" width="16" height="16" role="img" aria-label={label}>
      <title>{label}</title>
      {SHAPES[state]}
    </svg>
  );
}

export function AttachmentIcon() {
  return (
    <svg className="attachment-icon" viewBox="0 0 16 16" width="12" height="12" role="img" aria-label="Has attachments">
      <title>Has attachments</title>
      <path
        d="M10.5 4.5 5.5 9.5a1.4 1.4 0 0 0 2 2L13 6a2.8 2.8 0 0 0-4-4L3.5 7.5a4.2 4.2 0 0 0 6 6L13 10"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
      />
    </svg>
  );
}
