/**
 * Named live reads for the window (house style 15): each hook is `useLiveQuery` over one of the named queries, so
 * a component re-renders when what it shows changes in the store, and never touches the db itself. `undefined`
 * from a hook means "still loading" (house style 16); a failed query throws during render, for the pane's error
 * boundary to show.
 *
 * `watchAccounts` is the same kind of live read for code outside React (the sync host).
 */
import { liveQuery } from 'dexie';
import { useLiveQuery } from 'dexie-react-hooks';
import { createContext, useContext } from 'react';
import type { AccountId, MessageKey } from '../../app/ids.ts';
import type { FolderKind, MessageRecord } from '../../app/mail/types.ts';
import type { PoplarDb } from './db.ts';
import { fromSortKey, subjectSortKey } from './keys.ts';
import {
  DEFAULT_SEARCH_LIMIT,
  countMessages,
  getAccount,
  getMessage,
  getMessages,
  listAccounts,
  listMessageKeys,
  searchMessages,
} from './queries.ts';
import type { FolderScope } from './queries.ts';
import type { AccountRecord, MessageSort } from './schema.ts';

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

/** Unread messages in each account's Inbox and Deleted Items (the folder badges). */
export function useUnreadCounts(accountIds: readonly AccountId[]): ReadonlyMap<AccountId, UnreadCounts> | undefined {
  const db = usePoplarDb();
  const idList = accountIds.join('\n');
  return useLiveQuery(async () => {
    const entries = await Promise.all(
      accountIds.map(async (accountId): Promise<[AccountId, UnreadCounts]> => {
        const [inbox, deleted] = await Promise.all([
          countMessages(db, { accountId, folder: 'inbox', unread: true }),
          countMessages(db, { accountId, folder: 'deleted', unread: true }),
        ]);
        return [accountId, { inbox, deleted }];
      }),
    );
    return new Map(entries);
    // The ids' joined text stands for the array: a new array with the same ids must not query again.
  }, [db, idList]);
}

export interface ListOrder {
  readonly sort: MessageSort;
  readonly direction: 'asc' | 'desc';
}

/**
 * `useLiveQuery` keeps its last result while a query with new arguments runs; a list must not show one folder's
 * keys under another's name, so its results carry the arguments they answer, and a stale one reads as loading.
 */
function useCurrent<T>(id: string, querier: () => Promise<T>, deps: unknown[]): T | undefined {
  const result = useLiveQuery(async () => ({ id, value: await querier() }), deps);
  return result?.id === id ? result.value : undefined;
}

/** Every key of a folder (or "All inboxes") in the list's order: a virtualized list holds this, not the rows. */
export function useMessageKeys(scope: FolderScope, order: ListOrder): readonly MessageKey[] | undefined {
  const db = usePoplarDb();
  const { accountId, folder } = scope;
  const { sort, direction } = order;
  return useCurrent(
    JSON.stringify([accountId, folder, sort, direction]),
    () => listMessageKeys(db, { accountId, folder, sort, direction }),
    [db, accountId, folder, sort, direction],
  );
}

function compareBy(sort: MessageSort): (a: MessageRecord, b: MessageRecord) => number {
  const text = (f: (m: MessageRecord) => string) => (a: MessageRecord, b: MessageRecord) => {
    const x = f(a);
    const y = f(b);
    return x < y ? -1 : x > y ? 1 : a.receivedAt - b.receivedAt;
  };
  switch (sort) {
    case 'receivedAt':
      return (a, b) => a.receivedAt - b.receivedAt;
    case 'size':
      return (a, b) => a.sizeOnServer - b.sizeOnServer || a.receivedAt - b.receivedAt;
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
 * returns a bounded number of results, so ordering them here, in memory, is cheap.
 */
export function useSearchKeys(search: SearchScope, order: ListOrder): readonly MessageKey[] | undefined {
  const db = usePoplarDb();
  const { accountId, folder, text } = search;
  const { sort, direction } = order;
  return useCurrent(
    JSON.stringify([accountId, folder, text, sort, direction]),
    async () => {
      const found = await searchMessages(db, { accountId, folder, text });
      const compare = compareBy(sort);
      found.sort(direction === 'asc' ? compare : (a, b) => compare(b, a));
      return found.map((m) => m.key);
    },
    [db, accountId, folder, text, sort, direction],
  );
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
