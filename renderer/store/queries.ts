/**
 * Named reads. Each is a plain async function of the db, usable inside a live query (React comes later) and in the
 * sync worker alike. Every failure is a StoreError.
 */
import Dexie from 'dexie';
import type { Collection } from 'dexie';
import type { AccountId, MessageKey } from '../../app/ids.ts';
import type { FolderKind, MessageRecord } from '../../app/mail/types.ts';
import type { ServerMessageRef, UidRecord } from '../../app/sync/state.ts';
import type { PoplarDb } from './db.ts';
import { guarded } from './errors.ts';
import { accountKeyBounds, foldText, prefixRange } from './keys.ts';
import type { AccountRecord, FolderRecord, MessageSort, StoredMessage } from './schema.ts';
import { ACCOUNT_INDEX, REF_INDEX, UNIFIED_INDEX } from './schema.ts';

/** One account's state records: a range of the primary key [accountId+uid+ordinal], read with one getAll. */
function stateOf(db: PoplarDb, accountId: AccountId) {
  const [lower, upper] = prefixRange([accountId]);
  return db.pop3State.where(':id').between(lower, upper, true, true);
}

/**
 * Per-account POP3 state for the planner. One getAll over the account's primary-key range: no index-to-record
 * indirection and no per-record round trips.
 */
export function loadSyncState(db: PoplarDb, accountId: AccountId): Promise<UidRecord[]> {
  return guarded('loading the sync state', () => stateOf(db, accountId).toArray());
}

/** The marks the next sync must carry out ("download", "download a copy"), for the planner and the status bar. */
export async function pendingMarks(db: PoplarDb, accountId: AccountId): Promise<UidRecord[]> {
  const state = await guarded('loading pending marks', () => stateOf(db, accountId).toArray());
  return state.filter((r) => r.mark !== 'none');
}

/** Accounts in the order they were added. */
export async function listAccounts(db: PoplarDb): Promise<AccountRecord[]> {
  const accounts = await guarded('listing accounts', () => db.accounts.toArray());
  return accounts.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

export function getAccount(db: PoplarDb, accountId: AccountId): Promise<AccountRecord | undefined> {
  return guarded('reading an account', () => db.accounts.get(accountId));
}

const FOLDER_ORDER: Readonly<Record<FolderKind, number>> = { inbox: 0, deleted: 1 };

export async function listFolders(db: PoplarDb, accountId: AccountId): Promise<FolderRecord[]> {
  const folders = await guarded('listing folders', () => db.folders.where('accountId').equals(accountId).toArray());
  return folders.sort((a, b) => FOLDER_ORDER[a.kind] - FOLDER_ORDER[b.kind]);
}

/** A folder of one account, or of all accounts when `accountId` is undefined ("All inboxes"). */
export interface FolderScope {
  readonly accountId?: AccountId;
  readonly folder: FolderKind;
}

export interface MessageListQuery extends FolderScope {
  readonly sort: MessageSort;
  readonly direction: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
}

/** The scope as a range of the index that keeps it in `sort` order. */
function inOrder(db: PoplarDb, scope: FolderScope, sort: MessageSort): Collection<StoredMessage, MessageKey> {
  if (scope.accountId === undefined) {
    const [lower, upper] = prefixRange([scope.folder]);
    return db.messages.where(UNIFIED_INDEX[sort]).between(lower, upper, true, true);
  }
  const [lower, upper] = prefixRange([scope.accountId, scope.folder]);
  return db.messages.where(ACCOUNT_INDEX[sort]).between(lower, upper, true, true);
}

/**
 * One page of a message list, read from the index of its sort order. The first page is one getAll on the index
 * range; a later page reads the keys up to its end (one getAllKeys: keys only, no values) and then its own rows,
 * so the cost is the page plus the skipped keys, never the size of the folder or a cursor step per skipped row.
 */
export function listMessages(db: PoplarDb, query: MessageListQuery): Promise<MessageRecord[]> {
  return guarded('listing messages', () =>
    db.transaction('r', db.messages, async () => {
      if (query.limit <= 0) return [];
      const ordered = inOrder(db, query, query.sort);
      const directed = query.direction === 'desc' ? ordered.reverse() : ordered;
      if (query.offset <= 0) return directed.limit(query.limit).toArray();
      const keys = await directed.limit(query.offset + query.limit).primaryKeys();
      const rows = await db.messages.bulkGet(keys.slice(query.offset));
      return rows.filter((m): m is StoredMessage => m !== undefined);
    }),
  );
}

/**
 * Every key of a folder in a sort order: for a virtualized list that holds the order and fetches the rows of its
 * visible window with getMessages.
 */
export function listMessageKeys(
  db: PoplarDb,
  query: Omit<MessageListQuery, 'offset' | 'limit'>,
): Promise<MessageKey[]> {
  return guarded('listing message keys', () => {
    const ordered = inOrder(db, query, query.sort);
    return (query.direction === 'desc' ? ordered.reverse() : ordered).primaryKeys();
  });
}

/** The messages with these keys, in the same order; undefined where one no longer exists. */
export function getMessages(db: PoplarDb, keys: readonly MessageKey[]): Promise<(MessageRecord | undefined)[]> {
  return guarded('reading messages', () => db.messages.bulkGet([...keys]));
}

export interface CountQuery extends FolderScope {
  /** Count only unread messages (the folder badge). */
  readonly unread?: boolean;
}

export async function countMessages(db: PoplarDb, query: CountQuery): Promise<number> {
  if (query.unread !== true) {
    return guarded('counting messages', () => inOrder(db, query, 'receivedAt').count());
  }
  let unread = 0;
  await scanMessages(db, query.accountId, (m) => {
    if (m.folder === query.folder && !m.read) unread++;
  });
  return unread;
}

/** Rows per read of a scan: bounded memory, and one getAll per page instead of one cursor step per row. */
const SCAN_PAGE = 1000;

/** Visits every message of an account (or of all accounts), page by page along the primary key. */
function scanMessages(db: PoplarDb, accountId: AccountId | undefined, visit: (m: StoredMessage) => void) {
  return guarded('reading messages', () =>
    db.transaction('r', db.messages, async () => {
      const [first, upper]: readonly unknown[] =
        accountId === undefined ? [Dexie.minKey, Dexie.maxKey] : accountKeyBounds(accountId);
      let lower = first;
      let includeLower = true;
      for (;;) {
        const range = db.messages.where(':id').between(lower, upper, includeLower, false);
        const page = await range.limit(SCAN_PAGE).toArray();
        page.forEach(visit);
        const last = page[page.length - 1];
        if (last === undefined || page.length < SCAN_PAGE) return;
        lower = last.key;
        includeLower = false;
      }
    }),
  );
}

export function getMessage(db: PoplarDb, key: MessageKey): Promise<MessageRecord | undefined> {
  return guarded('reading a message', () => db.messages.get(key));
}

/**
 * The local copies of one server message. Normally one; more only when the state forgot a message that vanished
 * from the server and a later message arrived with the same unique-id and ordinal.
 */
export function findMessagesByRef(
  db: PoplarDb,
  accountId: AccountId,
  ref: ServerMessageRef,
): Promise<MessageRecord[]> {
  return guarded('finding a message by its unique-id', () =>
    db.messages.where(REF_INDEX).equals([accountId, ref.uid, ref.ordinal]).toArray(),
  );
}

export interface SearchQuery {
  /** Undefined: all accounts. */
  readonly accountId?: AccountId;
  /** Undefined: all folders. */
  readonly folder?: FolderKind;
  readonly text: string;
  /** At most this many results, newest first. */
  readonly limit?: number;
}

export const DEFAULT_SEARCH_LIMIT = 500;

function matches(m: StoredMessage, needle: string): boolean {
  if (m.sortSubject.includes(needle) || foldText(m.subject).includes(needle)) return true;
  if (m.from.some((a) => foldText(a.name).includes(needle) || foldText(a.address).includes(needle))) return true;
  return foldText(m.previewText).includes(needle);
}

/**
 * Case- and accent-insensitive substring search over sender, subject and preview text. A paged scan of the
 * account's messages: fine for a local mailbox of tens of thousands; a word index is the next step beyond that.
 */
export async function searchMessages(db: PoplarDb, query: SearchQuery): Promise<MessageRecord[]> {
  const needle = foldText(query.text);
  if (needle === '') return [];
  const found: StoredMessage[] = [];
  await scanMessages(db, query.accountId, (m) => {
    if ((query.folder === undefined || m.folder === query.folder) && matches(m, needle)) found.push(m);
  });
  found.sort((a, b) => b.receivedAt - a.receivedAt || (a.key < b.key ? -1 : 1));
  return found.slice(0, query.limit ?? DEFAULT_SEARCH_LIMIT);
}
