import { useState } from 'react';
import type { JSX } from 'react';
import { AttachmentList } from './AttachmentList.tsx';
import type { AttachmentsToShow } from './AttachmentList.tsx';
import { HeaderBlock } from './HeaderBlock.tsx';
import type { HeaderBlockProps } from './HeaderBlock.tsx';
import { HtmlFrame } from './HtmlFrame.tsx';
import type { ShownBody } from './prepared.ts';
import { TextBody } from './TextBody.tsx';

/** The body as it is to be shown, already made safe by the container (prepared.ts), or still on its way. */
export type BodyToShow = ShownBody | { readonly kind: 'loading' };

export interface MessageViewProps {
  readonly headers: HeaderBlockProps;
  readonly body: BodyToShow;
  readonly attachments: AttachmentsToShow;
  /** What could not be shown, and why. */
  readonly notes: readonly string[];
  readonly remoteAllowed: boolean;
  readonly onAllowRemote: () => void;
  readonly onOpenLink: (url: string) => void;
}

/** A downloaded message: headers, notes, the remote-content bar, attachments, then the body. */
export function MessageView(props: MessageViewProps): JSX.Element {
  const { body } = props;
  const [showText, setShowText] = useState(false);
  const textAlternative = body.kind === 'html' ? body.text : undefined;
  return (
    <div className="rp-message">
      <HeaderBlock {...props.headers} />
      {props.notes.map((note) => (
        <p key={note} className="rp-bar rp-bar-warning" role="note">
          {note}
        </p>
      ))}
      {body.kind === 'html' && body.blockedCount > 0 && !props.remoteAllowed && !showText ? (
        <div className="rp-bar" role="status">
          <p className="rp-bar-text">Remote images are blocked</p>
          <div className="rp-bar-actions">
            <button type="button" onClick={props.onAllowRemote}>
              Show images
            </button>
          </div>
        </div>
      ) : null}
      <AttachmentList attachments={props.attachments} />
      {textAlternative === undefined ? null : (
        <div className="rp-view-switch">
          <button type="button" aria-pressed={showText} onClick={() => setShowText((v) => !v)}>
            {showText ? 'Show formatted' : 'Show plain text'}
          </button>
        </div>
      )}
      <Body body={body} showText={showText} onOpenLink={props.onOpenLink} />
    </div>
  );
}

interface BodyProps {
  readonly body: BodyToShow;
  readonly showText: boolean;
  readonly onOpenLink: (url: string) => void;
}

function Body({ body, showText, onOpenLink }: BodyProps): JSX.Element {
  switch (body.kind) {
    case 'html':
      return showText && body.text !== undefined ? (
        <div className="rp-body rp-body-scroll">
          <TextBody text={body.text} onOpenLink={onOpenLink} />
        </div>
      ) : (
        <div className="rp-body">
          <HtmlFrame document={body.document} />
        </div>
      );
    case 'text':
      return (
        <div className="rp-body rp-body-scroll">
          <TextBody text={body.text} onOpenLink={onOpenLink} />
        </div>
      );
    case 'empty':
      return (
        <div className="rp-body rp-body-scroll">
          <p className="rp-muted">This message has no text.</p>
        </div>
      );
    case 'loading':
      return (
        <div className="rp-body rp-body-scroll">
          <p className="rp-muted" role="status">
            Opening the message…
          </p>
        </div>
      );
  }
}
