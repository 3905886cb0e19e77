/**
 * What the user sees of a message: the preview fields, read from the header block and the first lines of the body
 * (from TOP or from the whole message), and the local record the message list shows.
 */
import type { AccountId, MessageKey, Uidl } from '../ids.ts';
import type { LocalContent, LocalDeletion, Mark } from '../sync/state.ts';

export interface Address {
  /** Display name, RFC 2047-decoded; empty when there is none. */
  readonly name: string;
  /** addr-spec as written (not validated beyond shape); empty for a group or a malformed entry. */
  readonly address: string;
}

export interface MessagePreview {
  readonly from: readonly Address[];
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  /** RFC 2047-decoded, unfolded. */
  readonly subject: string;
  /** The Date header as epoch ms, when it parses. */
  readonly date?: number;
  /** The Message-ID header with its angle brackets, as written. */
  readonly messageId?: string;
  /**
   * The list's snippet: the first lines of the first text part, decoded to text, quotes and signature dropped,
   * white space collapsed to one line; at most a few hundred chars.
   */
  readonly previewText: string;
  /**
   * What the reading pane shows of a preview: the fetched first lines of the same part, decoded (transfer
   * encoding, charset; HTML rendered as text) with its line breaks and paragraphs kept, as plain text, at most
   * 16 KiB. Absent when the part has no text, and in records stored before Poplar kept it.
   */
  readonly firstLines?: string;
  /** True when the part of the message seen shows an attachment (Content-Disposition or a non-text part). */
  readonly hasAttachments: boolean;
}

export type FolderKind = 'inbox' | 'deleted';

/** A message in the local store, as the message list shows it. */
export interface MessageRecord extends MessagePreview {
  readonly key: MessageKey;
  readonly accountId: AccountId;
  readonly folder: FolderKind;
  /** The server message it came from (C0041: uid and ordinal); absent for a server without UIDL. */
  readonly uid?: Uidl;
  readonly ordinal?: number;
  /** Octets on the server (LIST). */
  readonly sizeOnServer: number;
  /** Mirrors the POP3 state record, written in the same transaction, so the list needs no join. */
  readonly content: Exclude<LocalContent, 'none'>;
  readonly mark: Mark;
  readonly onServer: boolean;
  readonly deletion: Exclude<LocalDeletion, 'purged'>;
  readonly read: boolean;
  readonly flagged: boolean;
  /** When Poplar stored it (epoch ms): the "received" column. */
  readonly receivedAt: number;
}
