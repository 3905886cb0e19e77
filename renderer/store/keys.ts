/**
 * Keys and derived fields: how the store names a message, a folder and a body chunk, and the fields it writes next
 * to a message so that IndexedDB can order the list and count the unread (with the middleware that keeps them true).
 */
import Dexie from 'dexie';
import type { DBCore, DBCoreMutateRequest, Middleware } from 'dexie';
import type { AccountId, MessageKey } from '../../app/ids.ts';
import { messageKey } from '../../app/ids.ts';
import type { FolderKind, MessageRecord } from '../../app/mail/types.ts';
import type { ServerMessageRef } from '../../app/sync/state.ts';
import type { StateKey, StoredMessage } from './schema.ts';

/**
 * Account ids are short and free of ':' and '/', so the keys built from them below cannot be confused: the account
 * id ends at the first ':' of a message key, and every key of an account starts with `${accountId}:`.
 */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The key of the message shown for a server message: a function of (account, uid, ordinal) alone, so that a
 * re-run of a batch after a crash computes the same key and overwrites rather than duplicates. The ordinal comes
 * before the uid because a uid may contain ':' (RFC 1939 §7 allows any of 0x21–0x7E); the ordinal, all digits,
 * ends at the next ':'. `attempt` > 0 gives the next free key when the plain one is held by an older message of
 * the same ref that the state has since forgotten (it vanished from the server, and a new message now has its
 * unique-id and ordinal).
 */
export function messageKeyFor(account: AccountId, ref: ServerMessageRef, attempt = 0): MessageKey {
  const base = `${account}:${ref.ordinal}:${ref.uid}`;
  return messageKey(attempt === 0 ? base : `${base}~${attempt}`);
}

/**
 * A message from a server without UIDL has no server identity; its key comes from the run-unique id the executor
 * gives it, so re-applying the same batch is idempotent and two messages never collide. 'x' is never an ordinal.
 */
export function unidentifiedKeyFor(account: AccountId, id: string): MessageKey {
  return messageKey(`${account}:x:${id}`);
}

export function stateKey(account: AccountId, ref: ServerMessageRef): StateKey {
  return [account, ref.uid, ref.ordinal];
}

export function folderId(account: AccountId, kind: FolderKind): string {
  return `${account}/${kind}`;
}

/** All keys of an account's messages lie in [`${account}:`, `${account};`): ';' is the code unit after ':'. */
export function accountKeyBounds(account: AccountId): readonly [string, string] {
  return [`${account}:`, `${account};`];
}

/**
 * The bounds of every index entry whose compound key starts with `prefix`: the prefix itself sorts before all
 * its extensions, and Dexie.maxKey (an array) after any string, number or date in the next position.
 */
export function prefixRange(prefix: readonly unknown[]): [unknown[], unknown[]] {
  return [[...prefix], [...prefix, Dexie.maxKey]];
}

/**
 * A sort key for text: without accents, case or surrounding space. IndexedDB compares strings by code unit, so
 * this is as close to a human order as an index can get.
 */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/** Reply and forward prefixes, in the languages mail clients commonly write them, ignored when sorting. */
const SUBJECT_PREFIX = /^(?:\s*(?:re|fwd?|aw|wg|sv|vs|antw|tr|rif|enc)(?:\[\d+\])?\s*:)+/i;

export function subjectSortKey(subject: string): string {
  return foldText(subject.replace(SUBJECT_PREFIX, ''));
}

export function fromSortKey(message: Pick<MessageRecord, 'from'>): string {
  const first = message.from[0];
  if (first === undefined) return '';
  return foldText(first.name === '' ? first.address : first.name);
}

/** `read` as an index can hold it: IndexedDB keys cannot be booleans. */
export function unreadKey(message: Pick<MessageRecord, 'read'>): 0 | 1 {
  return message.read ? 0 : 1;
}

/**
 * The tie-breaker after the received time: the Date header, or the received time itself when there is none (as
 * Thunderbird does), so an undated message sorts as if written when it arrived.
 */
export function dateSortKey(message: Pick<MessageRecord, 'date' | 'receivedAt'>): number {
  return typeof message.date === 'number' && Number.isFinite(message.date) ? message.date : message.receivedAt;
}

/** The message as stored: the record plus its derived fields, recomputed on every write so they never go stale. */
export function toStored(message: MessageRecord): StoredMessage {
  return {
    ...message,
    sortFrom: fromSortKey(message),
    sortSubject: subjectSortKey(message.subject),
    unread: unreadKey(message),
    sortDate: dateSortKey(message),
  };
}

/**
 * A stored message with its number-valued derived fields made true: the same object when they already are (every
 * write through toStored), a corrected copy otherwise. Cheap enough to run on every write.
 */
export function withNumericKeys(value: StoredMessage): StoredMessage {
  const unread = unreadKey(value);
  const sortDate = dateSortKey(value);
  return value.unread === unread && value.sortDate === sortDate ? value : { ...value, unread, sortDate };
}

/**
 * Keeps `unread` and `sortDate` true on every write to the messages table, including those that do not go through
 * toStored: `Collection.modify({ read })` (markRead), `Table.update`, `bulkUpdate`. Dexie turns each of them into a
 * DBCore put of whole records, which is where this runs. It sits above Dexie's own observability and cache layers
 * (a level above theirs), so live queries see the corrected records and their index keys.
 */
export const DERIVED_FIELDS_MIDDLEWARE: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'poplar-derived-fields',
  level: 10,
  create: (down) => ({
    ...down,
    table: (name) => {
      const table = down.table(name);
      if (name !== 'messages') return table;
      return {
        ...table,
        mutate: (req: DBCoreMutateRequest) => {
          if (req.type !== 'add' && req.type !== 'put') return table.mutate(req);
          const values = req.values as readonly StoredMessage[];
          const next = values.map(withNumericKeys);
          return table.mutate(next.some((v, i) => v !== values[i]) ? { ...req, values: next } : req);
        },
      };
    },
  }),
};

