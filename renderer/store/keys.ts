/**
 * Keys and derived fields: how the store names a message, a folder and a body chunk, and the sort keys it writes
 * next to a message so that IndexedDB can order the list.
 */
import Dexie from 'dexie';
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

/** The message as stored: the record plus its sort keys, recomputed on every write so they never go stale. */
export function toStored(message: MessageRecord): StoredMessage {
  return { ...message, sortFrom: fromSortKey(message), sortSubject: subjectSortKey(message.subject) };
}

