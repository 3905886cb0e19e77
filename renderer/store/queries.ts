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
import { guarded, storeError } from './errors.ts';
import { accountKeyBounds, foldText, prefixRange } from './keys.ts';
import type { AccountRecord, FolderRecord, MessageSort, StoredMessage } from './schema.ts';
import { ACCOUNT_INDEX, REF_INDEX, UNIFIED_INDEX, UNREAD_INDEX } from './schema.ts';

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

/** The index that keeps the scope in `sort` order, and the prefix of its keys that is the scope. */
function indexOf(scope: FolderScope, sort: MessageSort): { readonly index: string; readonly prefix: readonly unknown[] } {
  return scope.accountId === undefined
    ? { index: UNIFIED_INDEX[sort], prefix: [scope.folder] }
    : { index: ACCOUNT_INDEX[sort], prefix: [scope.accountId, scope.folder] };
}

/** The scope as a range of the index that keeps it in `sort` order. */
function inOrder(db: PoplarDb, scope: FolderScope, sort: MessageSort): Collection<StoredMessage, MessageKey> {
  const { index, prefix } = indexOf(scope, sort);
  const [lower, upper] = prefixRange(prefix);
  return db.messages.where(index).between(lower, upper, true, true);
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

export type KeyListQuery = Omit<MessageListQuery, 'offset' | 'limit'>;

/**
 * The keys of a folder in a sort order, all of them or the first `limit`: for a virtualized list that holds the
 * order and fetches the rows of its visible window with getMessages. One request: IndexedDB answers nothing else
 * of this database while it runs (Chromium serves one origin's requests in turn), so a large folder is better
 * read with readMessageKeys.
 */
export function listMessageKeys(db: PoplarDb, query: KeyListQuery & { readonly limit?: number }): Promise<MessageKey[]> {
  return guarded('listing message keys', () => {
    const ordered = inOrder(db, query, query.sort);
    const directed = query.direction === 'desc' ? ordered.reverse() : ordered;
    return (query.limit === undefined ? directed : directed.limit(query.limit)).primaryKeys();
  });
}

export interface KeyReadOptions {
  /** Keys per request after the first. */
  readonly chunk?: number;
  /** Keys of the first request: small, so what waits behind it (the rows in view) waits little. */
  readonly firstChunk?: number;
  /** The keys read so far (a growing prefix of the answer), after each request that is not the last. */
  readonly onProgress?: (keys: readonly MessageKey[]) => void;
  /** Checked between requests: true stops the read early, with what it has read so far. */
  readonly aborted?: () => boolean;
}

export const KEY_CHUNK = 10_000;
const FIRST_KEY_CHUNK = 1000;

/**
 * Every key of a folder in a sort order, read in chunks, each its own short request (and transaction), so that
 * the requests of the rows in view, and a sync's commits, are served between them instead of after a single read
 * of the whole folder (see listMessageKeys).
 *
 * A chunk continues where the last one ended: from the index key of its last entry (taken from that record),
 * inclusive, asking for as many more entries as there are with that same index key (one count), and dropping
 * those already read (IndexedDB orders equal index keys by primary key). A run of equal index keys longer than a
 * chunk (a server without Date headers, in one check) ends the chunking: the rest is read in one request.
 *
 * Chunks are separate reads: a change committed between two of them may show in one and not the other. Nothing
 * is listed twice; a live list reads again when its folder changes anyway.
 */
export async function readMessageKeys(
  db: PoplarDb,
  query: KeyListQuery,
  options: KeyReadOptions = {},
): Promise<MessageKey[]> {
  const chunk = Math.max(1, options.chunk ?? KEY_CHUNK);
  const { index, prefix } = indexOf(query, query.sort);
  const keyPath = db.messages.schema.idxByName[index]?.keyPath;
  if (!Array.isArray(keyPath)) throw storeError('FAILED', `the index ${index} is missing`);
  const [lower, upper] = prefixRange(prefix);
  const desc = query.direction === 'desc';
  const all: MessageKey[] = [];
  const seen = new Set<MessageKey>();
  let from: unknown[] | undefined;
  let want = Math.max(1, options.firstChunk ?? FIRST_KEY_CHUNK);
  for (;;) {
    if (options.aborted?.() === true) return all;
    const at = from;
    const limit = want;
    const got = await guarded('listing message keys', () => {
      const range = db.messages
        .where(index)
        .between(desc || at === undefined ? lower : at, desc && at !== undefined ? at : upper, true, true);
      const directed = desc ? range.reverse() : range;
      return (Number.isFinite(limit) ? directed.limit(limit) : directed).primaryKeys();
    });
    for (const key of got) {
      if (!seen.has(key)) {
        seen.add(key);
        all.push(key);
      }
    }
    if (got.length < limit) return all;
    options.onProgress?.(all);
    from = await indexKeyAtEnd(db, keyPath, all);
    // The last keys read are all gone already (deleted meanwhile): the list is as good as it gets; the folder
    // changed, so a live list reads it again.
    if (from === undefined) return all;
    const end = from;
    const ties = await guarded('listing message keys', () => db.messages.where(index).between(end, end, true, true).count());
    want = ties > chunk ? Number.POSITIVE_INFINITY : chunk + ties;
  }
}

/** The index key of the last key read that still exists (of the last few). */
async function indexKeyAtEnd(
  db: PoplarDb,
  keyPath: readonly string[],
  keys: readonly MessageKey[],
): Promise<unknown[] | undefined> {
  const tail = keys.slice(Math.max(0, keys.length - 16));
  const rows = await guarded('listing message keys', () => db.messages.bulkGet(tail));
  const last = rows.findLast((r) => r !== undefined);
  return last === undefined ? undefined : keyPath.map((p) => (last as unknown as Record<string, unknown>)[p]);
}

/** The messages with these keys, in the same order; undefined where one no longer exists. */
export function getMessages(db: PoplarDb, keys: readonly MessageKey[]): Promise<(MessageRecord | undefined)[]> {
  return guarded('reading messages', () => db.messages.bulkGet([...keys]));
}

export interface CountQuery extends FolderScope {
  /** Count only unread messages (the folder badge). */
  readonly unread?: boolean;
}

/**
 * How many messages a folder holds, or how many of them are unread. Either is the count of one index range (for
 * "All inboxes" unread, one per account): IndexedDB counts in the database, without reading a record, though it
 * still steps over every entry of the range.
 */
export async function countMessages(db: PoplarDb, query: CountQuery): Promise<number> {
  if (query.unread !== true) {
    return guarded('counting messages', () => inOrder(db, query, 'receivedAt').count());
  }
  const { accountId, folder } = query;
  const unreadIn = (account: AccountId) => db.messages.where(UNREAD_INDEX).equals([account, folder, 1]).count();
  return guarded('counting unread messages', () =>
    accountId !== undefined
      ? unreadIn(accountId)
      : db.transaction('r', [db.accounts, db.messages], async () => {
          const accounts = await db.accounts.toCollection().primaryKeys();
          let total = 0;
          for (const account of accounts) total += await unreadIn(account);
          return total;
        }),
  );
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
