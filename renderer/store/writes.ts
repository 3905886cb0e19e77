/**
 * Named writes: accounts, and the user's actions on messages. Each is one Dexie transaction that awaits nothing
 * but Dexie (no IPC, fetch or timers inside), persisted the moment the user acts ("Marks survive"). Every failure
 * is a StoreError, and a failed write is rolled back whole.
 */
import type { AccountId, MessageKey } from '../../app/ids.ts';
import { accountId as toAccountId } from '../../app/ids.ts';
import type { FolderKind, MessageRecord } from '../../app/mail/types.ts';
import type { Mark } from '../../app/sync/state.ts';
import { deleteBodiesIn } from './bodies.ts';
import type { PoplarDb } from './db.ts';
import { guarded, storeError } from './errors.ts';
import { ACCOUNT_ID_PATTERN, accountKeyBounds, folderId, prefixRange, stateKey, toStored } from './keys.ts';
import type { AccountRecord, FolderRecord, StateKey, StoredMessage, StoredUidRecord, SyncOutcome } from './schema.ts';
import { ACCOUNT_INDEX, UNIFIED_INDEX } from './schema.ts';

// ---- Accounts ----------------------------------------------------------------------------------------------

/** A new account's settings. The id is generated unless given; it must match ACCOUNT_ID_PATTERN. */
export type NewAccount = Omit<AccountRecord, 'id' | 'createdAt' | 'lastSync' | 'firstSyncDone'> & {
  readonly id?: AccountId;
  readonly createdAt?: number;
};

export type AccountPatch = Partial<Omit<AccountRecord, 'id' | 'createdAt'>>;

const FOLDER_NAMES: Readonly<Record<FolderKind, string>> = { inbox: 'Inbox', deleted: 'Deleted Items' };

/** Adds an account together with its Inbox and Deleted Items. */
export async function addAccount(db: PoplarDb, input: NewAccount): Promise<AccountRecord> {
  const { id: givenId, createdAt: givenCreatedAt, ...settings } = input;
  const id = givenId ?? toAccountId(crypto.randomUUID());
  if (!ACCOUNT_ID_PATTERN.test(id)) {
    throw storeError('INVALID', `an account id must match ${String(ACCOUNT_ID_PATTERN)}; got ${JSON.stringify(id)}`);
  }
  const account: AccountRecord = { ...settings, id, createdAt: givenCreatedAt ?? Date.now(), firstSyncDone: false };
  const folders: FolderRecord[] = (['inbox', 'deleted'] as const).map((kind) => ({
    id: folderId(id, kind),
    accountId: id,
    kind,
    name: FOLDER_NAMES[kind],
  }));
  await guarded('adding an account', () =>
    db.transaction('rw', [db.accounts, db.folders], async () => {
      await db.accounts.add(account);
      await db.folders.bulkAdd(folders);
    }),
  );
  return account;
}

export function updateAccount(db: PoplarDb, id: AccountId, patch: AccountPatch): Promise<AccountRecord> {
  return guarded('updating an account', () =>
    db.transaction('rw', db.accounts, async () => {
      const account = await db.accounts.get(id);
      if (account === undefined) throw storeError('NOT_FOUND', `account ${id} does not exist`);
      const next: AccountRecord = { ...account, ...patch, id: account.id, createdAt: account.createdAt };
      await db.accounts.put(next);
      return next;
    }),
  );
}

/** Removes an account and everything stored for it: messages, bodies, prepared views, POP3 state, folders. Idempotent. */
export function removeAccount(db: PoplarDb, id: AccountId): Promise<void> {
  return guarded('removing an account', () =>
    db.transaction('rw', [db.accounts, db.folders, db.messages, db.bodies, db.prepared, db.pop3State], async () => {
      // Every key of the account's messages (and so of their bodies) starts with `${id}:` (keys.ts).
      const [lower, upper] = accountKeyBounds(id);
      await db.messages.where(':id').between(lower, upper, true, false).delete();
      await db.bodies.where('[key+index]').between([lower], [upper], true, false).delete();
      await db.prepared.where(':id').between(lower, upper, true, false).delete();
      const [stateLower, stateUpper] = prefixRange([id]);
      await db.pop3State.where(':id').between(stateLower, stateUpper, true, true).delete();
      await db.folders.where('accountId').equals(id).delete();
      await db.accounts.delete(id);
    }),
  );
}

/** Records how a sync ended, for the account's status; the first successful one sets `firstSyncDone`. */
export function recordSyncResult(db: PoplarDb, id: AccountId, result: SyncOutcome): Promise<void> {
  return guarded('recording a sync result', () =>
    db.transaction('rw', db.accounts, async () => {
      const account = await db.accounts.get(id);
      if (account === undefined) throw storeError('NOT_FOUND', `account ${id} does not exist`);
      await db.accounts.put({ ...account, lastSync: result, firstSyncDone: account.firstSyncDone || result.ok });
    }),
  );
}

// ---- Messages --------------------------------------------------------------------------------------------------

/**
 * The POP3 state records that belong to these messages. A record belongs to a message only while its messageKey
 * names it: after a forgotten unique-id came back, an older message may share the ref with a newer one.
 */
async function linkedStates(
  db: PoplarDb,
  messages: readonly StoredMessage[],
): Promise<Map<MessageKey, StoredUidRecord>> {
  const refs: StateKey[] = [];
  for (const m of messages) {
    if (m.uid === undefined || m.ordinal === undefined) continue;
    refs.push(stateKey(m.accountId, { uid: m.uid, ordinal: m.ordinal }));
  }
  const records = await db.pop3State.bulkGet(refs);
  const linked = new Map<MessageKey, StoredUidRecord>();
  const wanted = new Set(messages.map((m) => m.key));
  for (const rec of records) {
    if (rec?.messageKey !== undefined && wanted.has(rec.messageKey)) linked.set(rec.messageKey, rec);
  }
  return linked;
}

async function existing(db: PoplarDb, keys: readonly MessageKey[]): Promise<StoredMessage[]> {
  const rows = await db.messages.bulkGet([...keys]);
  return rows.filter((m): m is StoredMessage => m !== undefined);
}

/**
 * Changes messages and mirrors the change onto their POP3 state, in one transaction. Keys of messages that no
 * longer exist are passed over: the user acted on a list that was a moment old.
 */
function changeMessages(
  db: PoplarDb,
  what: string,
  keys: readonly MessageKey[],
  change: (m: StoredMessage) => MessageRecord,
  mirror: (r: StoredUidRecord) => StoredUidRecord,
): Promise<void> {
  return guarded(what, () =>
    db.transaction('rw', [db.messages, db.pop3State], async () => {
      const messages = await existing(db, keys);
      const linked = await linkedStates(db, messages);
      await db.messages.bulkPut(messages.map((m) => toStored(change(m))));
      await db.pop3State.bulkPut([...linked.values()].map(mirror));
    }),
  );
}

/** "Mark to download", "Mark to download a copy", "Unmark": carried out by the next successful sync. */
export function setMark(db: PoplarDb, key: MessageKey, mark: Mark): Promise<void> {
  return guarded('marking a message', () =>
    db.transaction('rw', [db.messages, db.pop3State], async () => {
      const message = await db.messages.get(key);
      if (message === undefined) throw storeError('NOT_FOUND', `message ${key} does not exist`);
      const linked = await linkedStates(db, [message]);
      await db.messages.put({ ...message, mark });
      const rec = linked.get(key);
      if (rec !== undefined) await db.pop3State.put({ ...rec, mark });
    }),
  );
}

export function markRead(db: PoplarDb, keys: readonly MessageKey[], read: boolean): Promise<void> {
  return guarded('marking messages read', () =>
    db.transaction('rw', db.messages, () => db.messages.where(':id').anyOf([...keys]).modify({ read })),
  ).then(() => undefined);
}

export function setFlagged(db: PoplarDb, keys: readonly MessageKey[], flagged: boolean): Promise<void> {
  return guarded('flagging messages', () =>
    db.transaction('rw', db.messages, () => db.messages.where(':id').anyOf([...keys]).modify({ flagged })),
  ).then(() => undefined);
}

/** Moves messages to Deleted Items; the server copy follows the account's policy only once they are purged. */
export function deleteMessages(db: PoplarDb, keys: readonly MessageKey[]): Promise<void> {
  return changeMessages(
    db,
    'deleting messages',
    keys,
    (m) => ({ ...m, folder: 'deleted', deletion: 'trashed' }),
    (r) => ({ ...r, deletion: 'trashed' }),
  );
}

/** Moves messages from Deleted Items back to the Inbox. */
export function restoreMessages(db: PoplarDb, keys: readonly MessageKey[]): Promise<void> {
  return changeMessages(
    db,
    'restoring messages',
    keys,
    (m) => ({ ...m, folder: 'inbox', deletion: 'none' }),
    (r) => ({ ...r, deletion: 'none' }),
  );
}

/**
 * Inside a caller's transaction: deletes messages for good. Message and body go; the state record stays, marked
 * 'purged' without a messageKey, so the planner can DELE the server copy per policy and never fetches it again.
 */
async function purgeIn(db: PoplarDb, keys: readonly MessageKey[]): Promise<void> {
  const messages = await existing(db, keys);
  const linked = await linkedStates(db, messages);
  const purged = [...linked.values()].map((rec) => {
    const next: { -readonly [K in keyof StoredUidRecord]: StoredUidRecord[K] } = {
      ...rec,
      deletion: 'purged',
      mark: 'none',
    };
    delete next.messageKey;
    return next;
  });
  await db.pop3State.bulkPut(purged);
  await db.messages.bulkDelete(messages.map((m) => m.key));
  await deleteBodiesIn(db, messages.map((m) => m.key));
}

export function purgeMessages(db: PoplarDb, keys: readonly MessageKey[]): Promise<void> {
  return guarded('deleting messages for good', () =>
    db.transaction('rw', [db.messages, db.bodies, db.prepared, db.pop3State], () => purgeIn(db, keys)),
  );
}

/** Purges everything in Deleted Items: of one account, or of all accounts when `accountId` is undefined. */
export function emptyDeletedItems(db: PoplarDb, accountId?: AccountId): Promise<void> {
  return guarded('emptying Deleted Items', () =>
    db.transaction('rw', [db.messages, db.bodies, db.prepared, db.pop3State], async () => {
      const [lower, upper] = prefixRange(accountId === undefined ? ['deleted'] : [accountId, 'deleted']);
      const index = accountId === undefined ? UNIFIED_INDEX.receivedAt : ACCOUNT_INDEX.receivedAt;
      const keys = await db.messages.where(index).between(lower, upper, true, true).primaryKeys();
      await purgeIn(db, keys);
    }),
  );
}
