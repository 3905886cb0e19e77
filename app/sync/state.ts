/**
 * Per-account POP3 state: one record per message Poplar knows on (or from) the server. This is what the planner
 * reads and what the store keeps, in the same transaction as a message's preview or content (exactly once).
 */
import type { MessageKey, Uidl } from '../ids.ts';

/**
 * C0041: two messages may share one unique-id. The `ordinal` tells them apart: the k-th message (from 0) with that
 * unique-id in the server's listing order. (uid, ordinal) is the identity of a server message.
 */
export interface ServerMessageRef {
  readonly uid: Uidl;
  readonly ordinal: number;
}

/** What the user asked for a message, saved the moment it is made. */
export type Mark =
  | 'none'
  /** Next Send/Receive downloads it whole; then the server copy follows the account's policy. */
  | 'download'
  /** Next Send/Receive downloads it whole; the server copy stays, whatever the policy. */
  | 'download-copy';

/** What Poplar holds locally of the message. */
export type LocalContent =
  /** Nothing: adopted by "start from now", or never shown. */
  | 'none'
  /** Headers and the first lines, from TOP. */
  | 'preview'
  /** The whole RFC 5322 message, from RETR. */
  | 'whole';

/** Where the user put it. */
export type LocalDeletion =
  | 'none'
  /** In Deleted Items: can still be restored. */
  | 'trashed'
  /** Deleted for good (removed from Deleted Items). */
  | 'purged';

export interface UidRecord extends ServerMessageRef {
  /** When Poplar first saw it on the server (epoch ms): the clock for "leave for N days". */
  readonly firstSeen: number;
  /** Whether the last successful listing had it. */
  readonly onServer: boolean;
  readonly content: LocalContent;
  readonly mark: Mark;
  /** Set once a "download a copy" completed: the server copy then stays whatever the policy. */
  readonly keepOnServer: boolean;
  readonly deletion: LocalDeletion;
  /** The local message shown for it, when there is one. */
  readonly messageKey?: MessageKey;
  /** Size on the server in octets (LIST), when known. */
  readonly size?: number;
  /** The RFC 5322 Message-ID, when a preview or content showed it: matched on after a server migration. */
  readonly messageId?: string;
}

export function refKey(ref: ServerMessageRef): string {
  return `${ref.ordinal}\u0000${ref.uid}`;
}
