/**
 * What the store keeps, and how it is indexed. A schema change is a new `version(n)` with an upgrade function in
 * db.ts, never an edit of an old version (house style 14).
 */
import type { AccountId, MessageKey, Uidl } from '../../app/ids.ts';
import type { FolderKind, MessageRecord } from '../../app/mail/types.ts';
import type { AccountPolicy } from '../../app/sync/policy.ts';
import type { UidRecord } from '../../app/sync/state.ts';

export type Security = 'tls' | 'starttls' | 'none';

/** How the last sync of an account ended, for its status line (the server's own words in `message`). */
export interface SyncOutcome {
  readonly at: number;
  readonly ok: boolean;
  readonly errorCode?: string;
  readonly message?: string;
}

/** An account's settings. No secrets: passwords and tokens live only in main's vault. */
export interface AccountRecord {
  readonly id: AccountId;
  readonly name: string;
  readonly email: string;
  readonly host: string;
  readonly port: number;
  readonly security: Security;
  readonly user: string;
  readonly authMethod?: string;
  /** The user's explicit, per-account consent to send the password over an unencrypted connection. */
  readonly allowPlaintextPassword: boolean;
  /** Trust exactly this certificate (SHA-256, `AA:BB:…`), for a self-signed home server. */
  readonly tlsFingerprint?: string;
  readonly policy: AccountPolicy;
  readonly createdAt: number;
  readonly lastSync?: SyncOutcome;
  readonly firstSyncDone: boolean;
}

export interface FolderRecord {
  /** `${accountId}/${kind}`. */
  readonly id: string;
  readonly accountId: AccountId;
  readonly kind: FolderKind;
  readonly name: string;
}

/**
 * A message as stored: the record the list shows, plus fields derived from it whenever it is written (keys.ts).
 * IndexedDB can index neither an array of addresses, nor a locale-aware string order, nor a boolean, so the
 * indexes use these copies. Queries hand messages out typed as `MessageRecord`.
 */
export interface StoredMessage extends MessageRecord {
  /** `from` as a sort key: the first sender's name, or address, without case or accents. */
  readonly sortFrom: string;
  /** `subject` as a sort key: without `Re:`/`Fwd:`-style prefixes, case or accents. */
  readonly sortSubject: string;
  /** Version 2. `read` as a number (1 = unread, 0 = read), for the unread-count index. */
  readonly unread: 0 | 1;
  /**
   * Version 2. The Date header (epoch ms), or the received time when there is none: the tie-breaker after the
   * received time, so the messages of one check list in Date order.
   */
  readonly sortDate: number;
}

/** One piece of a message's raw RFC 5322 bytes. */
export interface BodyChunk {
  readonly key: MessageKey;
  /** From 0. */
  readonly index: number;
  /** How many chunks the body has: a reader knows when it is complete, and notices when it is not. */
  readonly count: number;
  readonly bytes: Uint8Array;
}

/** Per-account POP3 state, as stored: the planner's UidRecord plus the account it belongs to. */
export interface StoredUidRecord extends UidRecord {
  readonly accountId: AccountId;
}

export type StateKey = [AccountId, Uidl, number];
export type BodyKey = [MessageKey, number];

/** At most this many bytes per body row: a large message is never one value in memory or in one IndexedDB record. */
export const BODY_CHUNK_BYTES = 1024 * 1024;

export type MessageSort = 'receivedAt' | 'from' | 'subject' | 'size';

/**
 * The index that serves one account's folder in each sort order. Ties are broken by `receivedAt`, then by key
 * (IndexedDB orders equal index keys by primary key), so paging is stable. In received order, `sortDate` comes
 * between the two: all the messages of one check share their received time, and within it they list in Date
 * order, as Outlook and Thunderbird users expect (version 2).
 */
export const ACCOUNT_INDEX: Readonly<Record<MessageSort, string>> = {
  receivedAt: '[accountId+folder+receivedAt+sortDate]',
  from: '[accountId+folder+sortFrom+receivedAt]',
  subject: '[accountId+folder+sortSubject+receivedAt]',
  size: '[accountId+folder+sizeOnServer+receivedAt]',
};

/** The index that serves a folder across all accounts ("All inboxes", and all Deleted Items). */
export const UNIFIED_INDEX: Readonly<Record<MessageSort, string>> = {
  receivedAt: '[folder+receivedAt+sortDate]',
  from: '[folder+sortFrom+receivedAt]',
  subject: '[folder+sortSubject+receivedAt]',
  size: '[folder+sizeOnServer+receivedAt]',
};

/** The unread messages of one account's folder: a count of [accountId, folder, 1]. */
export const UNREAD_INDEX = '[accountId+folder+unread]';

/** Finds the copies of one server message: [accountId+uid+ordinal] (C0041). Absent for a server without UIDL. */
export const REF_INDEX = '[accountId+uid+ordinal]';

/**
 * Version 1, in Dexie's syntax: primary key first, then indexes.
 * - messages: one index per (scope, sort) pair (what ACCOUNT_INDEX and UNIFIED_INDEX were before version 2 added
 *   `sortDate` to them), so every page of the list is an index range read with offset and limit, never a sort in
 *   memory however large the folder; and REF_INDEX.
 * - bodies: [key+index] alone; all chunks of one body are one primary-key range.
 * - pop3State: [accountId+uid+ordinal] is the identity of a server message (C0041). Being the primary key, its
 *   accountId prefix is the per-account index: one account's state is one primary-key range, read by a single
 *   getAll straight from the store (a separate accountId index would cost a write per record and an extra
 *   index-to-record lookup per read, for nothing).
 */
export const SCHEMA_V1 = {
  accounts: 'id',
  folders: 'id, accountId',
  messages:
    'key, [accountId+folder+receivedAt], [folder+receivedAt], ' +
    '[accountId+folder+sortFrom+receivedAt], [folder+sortFrom+receivedAt], ' +
    '[accountId+folder+sortSubject+receivedAt], [folder+sortSubject+receivedAt], ' +
    '[accountId+folder+sizeOnServer+receivedAt], [folder+sizeOnServer+receivedAt], ' +
    '[accountId+uid+ordinal]',
  bodies: '[key+index]',
  pop3State: '[accountId+uid+ordinal]',
} as const;

/**
 * Version 2: the same tables. Messages gain two derived fields (StoredMessage: `unread`, `sortDate`; db.ts's
 * upgrade fills them in for version-1 records):
 * - the received-order indexes end with `sortDate`, so the messages of one check (which share their received
 *   time) list newest Date first instead of in key order. Only these two change: a changed index is built again
 *   over every record when the database is upgraded, which for 100,000 messages takes seconds per index, and the
 *   other orders have their own first key;
 * - UNREAD_INDEX, so a folder's unread count is a count of one index range instead of a scan of the account.
 */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  messages:
    `key, ${ACCOUNT_INDEX.receivedAt}, ${UNIFIED_INDEX.receivedAt}, ` +
    `${ACCOUNT_INDEX.from}, ${UNIFIED_INDEX.from}, ` +
    `${ACCOUNT_INDEX.subject}, ${UNIFIED_INDEX.subject}, ` +
    `${ACCOUNT_INDEX.size}, ${UNIFIED_INDEX.size}, ` +
    `${UNREAD_INDEX}, [accountId+uid+ordinal]`,
} as const;

/**
 * A message's prepared view (renderer/reading/prepared.ts): its HTML body parsed and sanitized once, kept so that
 * opening it skips both. Derived from the body, never the only copy of anything: it goes with its body, and one
 * made by another build (`version`, renderer/reading/render-version.ts) is never shown. The store keeps `view` as
 * it is given; the reading pane checks its shape when it reads it back.
 */
export interface PreparedRecord {
  readonly key: MessageKey;
  readonly version: string;
  readonly view: unknown;
}

/** Version 3: version 2 and the prepared views, by message key, with an index on the build that made them. */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  prepared: 'key, version',
} as const;
