/**
 * Named live reads for the window (house style 15), so a component re-renders when what it shows changes in the
 * store, and never touches the db itself. `undefined` from a hook means "still loading" (house style 16); a failed
 * query throws during render, for the pane's error boundary to show.
 *
 * Two kinds:
 * - cheap reads (an account, a message, the rows in view) are `useLiveQuery` over a named query: Dexie runs them
 *   again whenever a write touches what they read;
 * - reads whose cost grows with the folder (every key of it, a search, unread counts) follow the store through a
 *   *signal*: a live query over the same index ranges that reads one key, so Dexie tells when they change (it
 *   tracks the whole range a query asks for, whatever its limit), while the read itself runs outside Dexie's
 *   live-query machinery (which would track every key it returns), at most a few times a second however fast a
 *   sync commits (throttled-read.ts). A folder's keys arrive in chunks: the first rows show at once, and the list
 *   grows while the rest is read.
 *
 * `watchAccounts` is a live read for code outside React (the sync host).
 */
import Dexie, { liveQuery } from 'dexie';
import { useLiveQuery } from 'dexie-react-hooks';
import { createContext, useContext, useEffect, useState } from 'react';
import type { AccountId, MessageKey } from '../../app/ids.ts';
import type { FolderKind, MessageRecord } from '../../app/mail/types.ts';
import type { PoplarDb } from './db.ts';
import { accountKeyBounds, dateSortKey, fromSortKey, prefixRange, subjectSortKey } from './keys.ts';
import {
  DEFAULT_SEARCH_LIMIT,
  countMessages,
  getAccount,
  getMessage,
  getMessages,
  listAccounts,
  readMessageKeys,
  searchMessages,
} from './queries.ts';
import type { FolderScope } from './queries.ts';
import type { AccountRecord, MessageSort } from './schema.ts';
import { ACCOUNT_INDEX, UNIFIED_INDEX, UNREAD_INDEX } from './schema.ts';
import { ThrottledRead } from './throttled-read.ts';

/** The open database, provided once at the root of the window. */
export const PoplarDbContext = createContext<PoplarDb | undefined>(undefined);

export function usePoplarDb(): PoplarDb {
  const db = useContext(PoplarDbContext);
  if (db === undefined) throw new Error('usePoplarDb outside a PoplarDbContext provider');
  return db;
}

export function useAccounts(): readonly AccountRecord[] | undefined {
  const db = usePoplarDb();
  return useLiveQuery(() => listAccounts(db), [db]);
}

/** `null` when there is no such account (removed), `undefined` while loading. */
export function useAccount(id: AccountId | undefined): AccountRecord | null | undefined {
  const db = usePoplarDb();
  return useLiveQuery(async () => (id === undefined ? null : ((await getAccount(db, id)) ?? null)), [db, id]);
}

export interface UnreadCounts {
  readonly inbox: number;
  readonly deleted: number;
}

/** What a followed read gives a component. */
interface Followed<T> {
  readonly value: T;
  /** False while the first read for this id is still under way (`value` is then a part of the answer). */
  readonly complete: boolean;
}

/** Queries fail with StoreErrors (errors.ts); anything else is wrapped, for the error boundary to show. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'a live read failed');
}

/**
 * A read that follows the store through a signal (see the top of this file). `signal` is a cheap live query over
 * the ranges `read` depends on; each of its answers but the first means they changed. `read` may report partial
 * values (`progress`) before its answer; they are shown only until the first full answer for `id`. While a new
 * `id` is first read, the answer is undefined (loading), or with `keepPrevious` the last id's answer.
 */
function useFollowedRead<T>(
  id: string,
  signal: () => Promise<unknown>,
  read: (progress: (partial: T) => void, stopped: () => boolean) => Promise<T>,
  keepPrevious = false,
): Followed<T> | undefined {
  const [state, setState] = useState<{ readonly id: string; readonly value?: Followed<T>; readonly error?: Error }>();
  useEffect(() => {
    let answered = false;
    const reader = new ThrottledRead<T>(
      (stopped) =>
        read((partial) => {
          if (!answered && !stopped()) setState({ id, value: { value: partial, complete: false } });
        }, stopped),
      {
        value: (value) => {
          answered = true;
          setState({ id, value: { value, complete: true } });
        },
        error: (error) => setState({ id, error: asError(error) }),
      },
    );
    reader.request();
    let first = true;
    const subscription = liveQuery(signal).subscribe({
      next: () => {
        // The first answer only says the signal is set up; it is a change only if it comes after the first read
        // ended (a write could have fallen between that read and the signal's start).
        const change = !first || reader.reads > 0;
        first = false;
        if (change) reader.request();
      },
      error: (error: unknown) => setState({ id, error: asError(error) }),
    });
    return () => {
      subscription.unsubscribe();
      reader.stop();
    };
    // `id` stands for everything `signal` and `read` depend on.
  }, [id]);
  if (state?.id !== id) return keepPrevious ? state?.value : undefined;
  if (state.error !== undefined) throw state.error;
  return state.value;
}

/**
 * A live query that reads one key of an index range: Dexie runs it again whenever a write adds, moves or changes
 * an entry of the range. Not when a record is deleted, though: Dexie reports a deletion by primary key only
 * (unless the same transaction read the record), and a read of an index range is told only of the keys it
 * returned; hence deletionSignal.
 */
function rangeSignal(db: PoplarDb, index: string, prefix: readonly unknown[]): Promise<unknown> {
  const [lower, upper] = prefixRange(prefix);
  return db.messages.where(index).between(lower, upper, true, true).limit(1).primaryKeys();
}

/** A keys-only read of a primary-key range is told of every deletion inside it: all of one account's messages. */
function deletionSignal(db: PoplarDb, accountId: AccountId | undefined): Promise<unknown> {
  const [lower, upper]: readonly unknown[] =
    accountId === undefined ? [Dexie.minKey, Dexie.maxKey] : accountKeyBounds(accountId);
  return db.messages.where(':id').between(lower, upper, true, false).limit(1).primaryKeys();
}

/**
 * A folder's signal (see the top of this file): as a live query, it answers again whenever a message enters or
 * leaves the folder (a new message, a move, a deletion), and not when one in it is only marked read or flagged.
 */
export function folderSignal(db: PoplarDb, scope: FolderScope): Promise<unknown> {
  return Promise.all([
    scope.accountId === undefined
      ? rangeSignal(db, UNIFIED_INDEX.receivedAt, [scope.folder])
      : rangeSignal(db, ACCOUNT_INDEX.receivedAt, [scope.accountId, scope.folder]),
    deletionSignal(db, scope.accountId),
  ]);
}

/**
 * The unread counts' signal: as a live query, it answers again whenever a message of these accounts' folders
 * becomes read or unread, arrives unread, moves, or is deleted.
 */
export function unreadSignal(db: PoplarDb, accountIds: readonly AccountId[]): Promise<unknown> {
  return Promise.all(
    accountIds.flatMap((a) => [
      rangeSignal(db, UNREAD_INDEX, [a, 'inbox', 1]),
      rangeSignal(db, UNREAD_INDEX, [a, 'deleted', 1]),
      deletionSignal(db, a),
    ]),
  );
}

/** Unread messages in each account's Inbox and Deleted Items (the folder badges): index counts, read throttled. */
export function useUnreadCounts(accountIds: readonly AccountId[]): ReadonlyMap<AccountId, UnreadCounts> | undefined {
  const db = usePoplarDb();
  // The ids' joined text stands for the array: a new array with the same ids must not query again.
  const id = accountIds.join('\n');
  const followed = useFollowedRead(
    id,
    () => unreadSignal(db, accountIds),
    async () => {
      const entries = await Promise.all(
        accountIds.map(async (accountId): Promise<[AccountId, UnreadCounts]> => {
          const inbox = await countMessages(db, { accountId, folder: 'inbox', unread: true });
          const deleted = await countMessages(db, { accountId, folder: 'deleted', unread: true });
          return [accountId, { inbox, deleted }];
        }),
      );
      return new Map(entries);
    },
    // Another set of accounts (one added or removed): the badges keep their numbers until the new ones are in.
    true,
  );
  return followed?.value;
}

export interface ListOrder {
  readonly sort: MessageSort;
  readonly direction: 'asc' | 'desc';
}

/** The keys of a list, in its order; `complete` is false while they are still being read (more will come). */
export interface KeyList {
  readonly keys: readonly MessageKey[];
  readonly complete: boolean;
}

/**
 * Every key of a folder (or "All inboxes") in the list's order: a virtualized list holds this, not the rows. The
 * first keys come at once, the rest in growing steps while they are read; afterwards the list follows the folder,
 * read again at most a few times a second while a sync adds messages (see the top of this file).
 */
export function useMessageKeys(scope: FolderScope, order: ListOrder): KeyList | undefined {
  const db = usePoplarDb();
  const { accountId, folder } = scope;
  const { sort, direction } = order;
  const followed = useFollowedRead<readonly MessageKey[]>(
    JSON.stringify([db.name, accountId, folder, sort, direction]),
    () => folderSignal(db, { accountId, folder }),
    (progress, stopped) => {
      let shown = 0;
      return readMessageKeys(
        db,
        { accountId, folder, sort, direction },
        {
          // The first chunk, and then each time the list has doubled: the list grows in a few steps, not one
          // per chunk.
          onProgress: (keys) => {
            if (keys.length >= 2 * shown) {
              shown = keys.length;
              progress([...keys]);
            }
          },
          aborted: stopped,
        },
      );
    },
  );
  return followed === undefined ? undefined : { keys: followed.value, complete: followed.complete };
}

/** The order of the indexes (schema.ts), in memory: the sort key, then received time, then key. */
function compareBy(sort: MessageSort): (a: MessageRecord, b: MessageRecord) => number {
  const byKey = (a: MessageRecord, b: MessageRecord) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const ties = (a: MessageRecord, b: MessageRecord) => a.receivedAt - b.receivedAt || byKey(a, b);
  const text = (f: (m: MessageRecord) => string) => (a: MessageRecord, b: MessageRecord) => {
    const x = f(a);
    const y = f(b);
    return x < y ? -1 : x > y ? 1 : ties(a, b);
  };
  switch (sort) {
    case 'receivedAt':
      return (a, b) => a.receivedAt - b.receivedAt || dateSortKey(a) - dateSortKey(b) || byKey(a, b);
    case 'size':
      return (a, b) => a.sizeOnServer - b.sizeOnServer || ties(a, b);
    case 'from':
      return text(fromSortKey);
    case 'subject':
      return text((m) => subjectSortKey(m.subject));
  }
}

/** A search lists at most this many messages, newest first. */
export const SEARCH_LIMIT = DEFAULT_SEARCH_LIMIT;

export interface SearchScope {
  readonly accountId?: AccountId;
  readonly folder: FolderKind;
  readonly text: string;
}

/**
 * The keys of the messages matching a search by sender, subject or preview text, in the list's order. A search
 * returns a bounded number of results, so ordering them here, in memory, is cheap; finding them is a scan of the
 * scope, so it is run again, throttled, only when messages enter or leave the scope (a preview whose text grows
 * when it is downloaded whole is found by the next search, or after the next change to the folder).
 */
export function useSearchKeys(search: SearchScope, order: ListOrder): KeyList | undefined {
  const db = usePoplarDb();
  const { accountId, folder, text } = search;
  const { sort, direction } = order;
  const followed = useFollowedRead<readonly MessageKey[]>(
    JSON.stringify([db.name, accountId, folder, text, sort, direction]),
    () => folderSignal(db, { accountId, folder }),
    async () => {
      const found = await searchMessages(db, { accountId, folder, text });
      const compare = compareBy(sort);
      found.sort(direction === 'asc' ? compare : (a, b) => compare(b, a));
      return found.map((m) => m.key);
    },
  );
  return followed === undefined ? undefined : { keys: followed.value, complete: true };
}

/** The rows of one window of a list, and which window they are for. */
export interface MessageWindow {
  /** The window's keys, joined: compare with `windowIdOf` to know whether these rows are the ones in view. */
  readonly id: string;
  readonly rows: ReadonlyMap<MessageKey, MessageRecord>;
}

export function windowIdOf(keys: readonly MessageKey[], start: number, end: number): string {
  return keys.slice(Math.max(0, start), Math.max(0, end)).join('\n');
}

/**
 * The rows of one window of a list: the keys in [start, end) of `keys`, read with one bulk get. Only this window
 * is live, so a folder of 100,000 messages costs what its visible rows cost. The query depends on the window's
 * keys, not on the array holding them. While the next window loads, the previous one is returned.
 */
export function useMessageWindow(keys: readonly MessageKey[], start: number, end: number): MessageWindow | undefined {
  const db = usePoplarDb();
  const id = windowIdOf(keys, start, end);
  const wanted = keys.slice(Math.max(0, start), Math.max(0, end));
  return useLiveQuery(async () => {
    const found = await getMessages(db, wanted);
    const rows = new Map<MessageKey, MessageRecord>();
    for (const row of found) if (row !== undefined) rows.set(row.key, row);
    return { id, rows };
  }, [db, id]);
}

/** `null` when there is no such message (deleted for good), `undefined` while loading. */
export function useMessage(key: MessageKey | undefined): MessageRecord | null | undefined {
  const db = usePoplarDb();
  return useLiveQuery(async () => (key === undefined ? null : ((await getMessage(db, key)) ?? null)), [db, key]);
}

/**
 * Calls `onChange` with the accounts now, and again whenever they change; for code outside React. Returns the
 * function that stops watching.
 */
export function watchAccounts(
  db: PoplarDb,
  onChange: (accounts: readonly AccountRecord[]) => void,
  onError: (error: unknown) => void,
): () => void {
  const subscription = liveQuery(() => listAccounts(db)).subscribe({ next: onChange, error: onError });
  return () => {
    subscription.unsubscribe();
  };
}
