/**
 * One row of the message list: presentational, everything it shows comes in through its props. Memoized: while the
 * list scrolls, only the rows that come into view render; the others keep their props (the list passes stable
 * handlers and a clock that moves once a minute).
 */
import { memo, type MouseEvent } from 'react';
import type { MessageRecord } from '../../app/mail/types.ts';
import { formatBytes, formatFullDate, formatReceived, senderName, senderTitle } from './format.ts';
import { messageState } from './message-state.ts';
import { AttachmentIcon, StateIcon } from './StateIcon.tsx';

export interface MessageRowProps {
  readonly id: string;
  readonly index: number;
  /** Undefined while the row's window is being read. */
  readonly message: MessageRecord | undefined;
  readonly selected: boolean;
  readonly focused: boolean;
  readonly top: number;
  readonly height: number;
  readonly now: number;
  readonly onClick: (index: number, e: MouseEvent) => void;
  readonly onContextMenu: (index: number, e: MouseEvent) => void;
}

export const MessageRow = memo(function MessageRow(props: MessageRowProps) {
  const { message: m, selected, focused } = props;
  const classes = ['row', selected ? 'selected' : '', focused ? 'focused' : '', m !== undefined && !m.read ? 'unread' : ''];
  return (
    <div
      id={props.id}
      role="row"
      aria-rowindex={props.index + 2}
      aria-selected={selected}
      className={classes.filter((c) => c !== '').join(' ')}
      style={{ transform: `translateY(${props.top}px)`, height: props.height }}
      onClick={(e) => props.onClick(props.index, e)}
      onContextMenu={(e) => props.onContextMenu(props.index, e)}
    >
      {m === undefined ? (
        <div role="gridcell" className="cell placeholder" aria-colspan={5}>
          …
        </div>
      ) : (
        <>
          <div role="gridcell" className="cell state">
            <StateIcon state={messageState(m)} />
          </div>
          <div role="gridcell" className="cell from" title={senderTitle(m.from)}>
            {senderName(m.from)}
          </div>
          <div role="gridcell" className="cell subject" title={m.previewText}>
            {m.hasAttachments ? <AttachmentIcon /> : null}
            <span className="subject-text">{m.subject === '' ? '(no subject)' : m.subject}</span>
            {!m.read ? <span className="visually-hidden">, unread</span> : null}
          </div>
          <div role="gridcell" className="cell received" title={formatFullDate(m.receivedAt)}>
            {formatReceived(m.receivedAt, props.now)}
          </div>
          <div role="gridcell" className="cell size">
            {formatBytes(m.sizeOnServer)}
          </div>
        </>
      )}
    </div>
  );
});
