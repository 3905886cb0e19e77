/**
 * applySyncBatch: the exactly-once write. What one stretch of a sync run brought down (the SyncBatch contract of
 * app/sync/batch.ts) is stored in ONE transaction, so a unique-id is recorded as known in the same transaction
 * that stores its preview or content (design: "Exactly once"). A re-run of the same batch after a crash finds the
 * state records it wrote and neither loses nor duplicates anything.
 */
import { cmp, type IndexableType, type Table } from 'dexie';
import { BugError } from '../../app/errors.ts';
import type { AccountId, MessageKey } from '../../app/ids.ts';
import type { MessagePreview, MessageRecord } from '../../app/mail/types.ts';
import type {
  AdoptWrite,
  PreviewWrite,
  Rebind,
  StateUpdate,
  SyncBatch,
  UnidentifiedWrite,
  WholeWrite,
} from '../../app/sync/batch.ts';
import type { ServerMessageRef } from '../../app/sync/state.ts';
import { refKey } from '../../app/sync/state.ts';
import type { BodyBytes } from './bodies.ts';
import { writeBodiesIn } from './bodies.ts';
import type { PoplarDb } from './db.ts';
import { checkBatch, messageIdOf, previewFields, refsOf } from './batch-input.ts';
import { guarded, isStoreError, storeError } from './errors.ts';
import { messageKeyFor, stateKey, toStored, unidentifiedKeyFor } from './keys.ts';
import type { StateKey, StoredMessage, StoredUidRecord } from './schema.ts';

export type {
  AdoptWrite,
  PreviewWrite,
  Rebind,
  StateUpdate,
  SyncBatch,
  UnidentifiedWrite,
  WholeWrite,
} from '../../app/sync/batch.ts';

export interface BatchReceipt {
  /** Messages that did not exist before this batch (for "N new messages"). */
  readonly created: readonly MessageKey[];
  /** Previews that became whole messages, keeping their key, folder and flags. */
  readonly upgraded: readonly MessageKey[];
  /** Items already stored by an earlier run of this batch, or no longer wanted (purged): left as they were. */
  readonly skipped: number;
}

/** Below this many keys, a batch's records are simply fetched one by one. */
const SPAN_READ_MIN_KEYS = 100;
/** A span read gives up (and fetches one by one) when the span holds more than this many keys per wanted key. */
const SPAN_READ_MAX_RATIO = 4;

/** IndexedDB's key order (strings, numbers and arrays of them), without a round trip. */
function sameKey(k: IndexableType): string {
  return typeof k === 'string' ? `s${k}` : `j${JSON.stringify(k)}`;
}

/**
 * `table.bulkGet(keys)`, in fewer requests when it can. A first check stores mostly messages never seen before,
 * so most of a large batch's lookups find nothing, and each costs a request. For many keys, one key-only read of
 * the span between the smallest and the largest finds which exist, and only those are fetched. When the span is
 * crowded with other records (a large mailbox receiving a few new messages), a bounded read notices, and the keys
 * are fetched one by one as before. The result is the same either way.
 */
async function bulkGetSparse<T, K extends IndexableType>(table: Table<T, K>, keys: readonly K[]): Promise<Array<T | undefined>> {
  if (keys.length < SPAN_READ_MIN_KEYS) return table.bulkGet([...keys]);
  let min = keys[0] as K;
  let max = min;
  for (const k of keys) {
    if (cmp(k, min) < 0) min = k;
    if (cmp(k, max) > 0) max = k;
  }
  const limit = keys.length * SPAN_READ_MAX_RATIO;
  const inSpan = await table.where(':id').between(min, max, true, true).limit(limit).primaryKeys();
  if (inSpan.length >= limit) return table.bulkGet([...keys]);
  const present = new Set(inSpan.map(sameKey));
  const wanted = keys.filter((k) => present.has(sameKey(k)));
  const found = await table.bulkGet(wanted);
  const byKey = new Map<string, T | undefined>();
  wanted.forEach((k, i) => byKey.set(sameKey(k), found[i]));
  return keys.map((k) => byKey.get(sameKey(k)));
}

/** The records a batch touches, read once in bulk and then changed in memory; written back in bulk at the end. */
class BatchWork {
  private readonly states = new Map<string, StoredUidRecord | null>();
  private readonly messages = new Map<MessageKey, StoredMessage | null>();
  private readonly dirtyStates = new Map<string, ServerMessageRef>();
  private readonly dirtyMessages = new Set<MessageKey>();
  private readonly bodies = new Map<MessageKey, BodyBytes>();
  private readonly freeKeys = new Map<string, MessageKey>();
  readonly created: MessageKey[] = [];
  readonly upgraded: MessageKey[] = [];
  skipped = 0;

  constructor(
    private readonly db: PoplarDb,
    private readonly accountId: AccountId,
    private readonly now: number,
  ) {}

  /**
   * Reads, in a few bulk requests, every record the batch may touch (then `reserveKeys`); the rest of the work is
   * synchronous, so nothing but Dexie is awaited inside the transaction.
   */
  async load(batch: SyncBatch): Promise<void> {
    const refs = new Map<string, ServerMessageRef>();
    for (const ref of refsOf(batch)) refs.set(refKey(ref), ref);
    const refList = [...refs.values()];
    const found = await bulkGetSparse(this.db.pop3State, refList.map((r) => stateKey(this.accountId, r)));
    refList.forEach((ref, i) => this.states.set(refKey(ref), found[i] ?? null));

    const keys: MessageKey[] = [];
    for (const rec of found) if (rec?.messageKey !== undefined) keys.push(rec.messageKey);
    for (const item of [...batch.previews, ...batch.wholes]) keys.push(messageKeyFor(this.accountId, item.ref));
    for (const item of batch.unidentified ?? []) keys.push(unidentifiedKeyFor(this.accountId, item.id));
    await this.loadMessages(keys);
  }

  private async loadMessages(keys: readonly MessageKey[]): Promise<void> {
    const unknown = [...new Set(keys)].filter((k) => !this.messages.has(k));
    if (unknown.length === 0) return;
    const rows = await bulkGetSparse(this.db.messages, unknown);
    unknown.forEach((key, i) => this.messages.set(key, rows[i] ?? null));
  }

  /**
   * The key each ref's new message would get: its deterministic key, or the next free variant of it when an older
   * message still holds it (its state was forgotten when it left the server; that message is never overwritten).
   * Found in bulk rounds, one per variant tried, after the rebinds (which move state) and before the previews and
   * wholes that use them.
   */
  async reserveKeys(batch: SyncBatch): Promise<void> {
    let pending = [...batch.previews, ...batch.wholes]
      .map((item) => item.ref)
      .filter((ref) => {
        const rec = this.state(ref);
        return rec === null || (rec.deletion !== 'purged' && this.message(rec.messageKey) === null);
      })
      .map((ref) => ({ ref, attempt: 0 }));
    while (pending.length > 0) {
      await this.loadMessages(pending.map((p) => messageKeyFor(this.accountId, p.ref, p.attempt)));
      const next: typeof pending = [];
      for (const p of pending) {
        const key = messageKeyFor(this.accountId, p.ref, p.attempt);
        if (this.messages.get(key) === null) this.freeKeys.set(refKey(p.ref), key);
        else next.push({ ref: p.ref, attempt: p.attempt + 1 });
      }
      pending = next;
    }
  }

  private freeKey(ref: ServerMessageRef): MessageKey {
    const key = this.freeKeys.get(refKey(ref));
    if (key === undefined) throw new BugError(`no free message key was reserved for ${JSON.stringify(ref)}`);
    return key;
  }

  private state(ref: ServerMessageRef): StoredUidRecord | null {
    return this.states.get(refKey(ref)) ?? null;
  }

  private putState(rec: StoredUidRecord | null, ref: ServerMessageRef): void {
    this.states.set(refKey(ref), rec);
    this.dirtyStates.set(refKey(ref), ref);
  }

  private message(key: MessageKey | undefined): StoredMessage | null {
    return key === undefined ? null : (this.messages.get(key) ?? null);
  }

  private putMessage(message: MessageRecord): void {
    this.messages.set(message.key, toStored(message));
    this.dirtyMessages.add(message.key);
  }

  private newMessage(key: MessageKey, item: { size: number; preview: MessagePreview }, ref?: ServerMessageRef) {
    const message: MessageRecord = {
      ...previewFields(item.preview),
      key,
      accountId: this.accountId,
      folder: 'inbox',
      ...(ref === undefined ? {} : { uid: ref.uid, ordinal: ref.ordinal }),
      sizeOnServer: item.size,
      content: 'preview',
      mark: 'none',
      onServer: true,
      deletion: 'none',
      read: false,
      flagged: false,
      receivedAt: this.now,
    };
    return message;
  }

  private freshState(item: AdoptWrite): StoredUidRecord {
    return {
      accountId: this.accountId,
      uid: item.ref.uid,
      ordinal: item.ref.ordinal,
      firstSeen: item.firstSeen,
      onServer: true,
      content: 'none',
      mark: 'none',
      keepOnServer: false,
      deletion: 'none',
      size: item.size,
    };
  }

  preview(item: PreviewWrite): void {
    const rec = this.state(item.ref);
    // Exactly once: a preview or a whole message is already stored for this unique-id (a re-run after a crash).
    if (rec !== null && (rec.content !== 'none' || rec.deletion === 'purged')) {
      this.skipped++;
      return;
    }
    const key = this.freeKey(item.ref);
    this.putMessage(this.newMessage(key, item, item.ref));
    this.created.push(key);
    const base = rec ?? this.freshState(item);
    this.putState(
      { ...base, content: 'preview', onServer: true, size: item.size, messageKey: key, ...messageIdOf(item) },
      item.ref,
    );
  }

  whole(item: WholeWrite): void {
    const rec = this.state(item.ref);
    // The user deleted it for good: its content is not wanted back.
    if (rec?.deletion === 'purged') {
      this.skipped++;
      return;
    }
    const existing = this.message(rec?.messageKey);
    let key: MessageKey;
    if (existing !== null) {
      key = existing.key;
      // Upgrade in place: same key, folder, read and flagged state; the preview fields now come from the whole.
      this.putMessage({
        ...existing,
        ...previewFields(item.preview),
        content: 'whole',
        mark: 'none',
        onServer: true,
        sizeOnServer: item.size,
      });
      if (existing.content === 'preview') this.upgraded.push(key);
      else this.skipped++;
    } else {
      key = this.freeKey(item.ref);
      this.putMessage({ ...this.newMessage(key, item, item.ref), content: 'whole' });
      this.created.push(key);
    }
    this.bodies.set(key, item.bytes);
    const base = rec ?? this.freshState(item);
    this.putState(
      {
        ...base,
        content: 'whole',
        mark: 'none',
        // Once a copy is kept on the server, it stays kept: a later download must not undo the user's choice.
        keepOnServer: base.keepOnServer || item.keepOnServer,
        onServer: true,
        size: item.size,
        messageKey: key,
        ...messageIdOf(item),
      },
      item.ref,
    );
  }

  /**
   * A known message found again under a new unique-id after a server migration: its state moves to the new ref,
   * keeping what Poplar knew (content, marks, first-seen clock); its message keeps its key and follows the ref.
   * Skipped when the old ref is already gone (a re-run) or the new one is already known (never clobbered).
   */
  rebind(r: Rebind): void {
    const old = this.state(r.from);
    if (old === null || this.state(r.to) !== null) {
      this.skipped++;
      return;
    }
    this.putState(null, r.from);
    this.putState({ ...old, uid: r.to.uid, ordinal: r.to.ordinal, size: r.size, onServer: true }, r.to);
    const message = this.message(old.messageKey);
    if (message !== null) {
      this.putMessage({ ...message, uid: r.to.uid, ordinal: r.to.ordinal, sizeOnServer: r.size, onServer: true });
    }
  }

  adopted(item: AdoptWrite): void {
    if (this.state(item.ref) !== null) {
      this.skipped++;
      return;
    }
    this.putState(this.freshState(item), item.ref);
  }

  update(update: StateUpdate): void {
    const rec = this.state(update.ref);
    // Nothing to patch: the record is gone (forgotten earlier); the next plan starts from what is stored.
    if (rec === null) return;
    const p = update.patch;
    this.putState(
      {
        ...rec,
        ...(p.onServer === undefined ? {} : { onServer: p.onServer }),
        ...(p.mark === undefined ? {} : { mark: p.mark }),
        ...(p.keepOnServer === undefined ? {} : { keepOnServer: p.keepOnServer }),
        ...(p.deletion === undefined ? {} : { deletion: p.deletion }),
        ...(p.size === undefined ? {} : { size: p.size }),
      },
      update.ref,
    );
    const message = this.message(rec.messageKey);
    if (message !== null) {
      this.putMessage({
        ...message,
        ...(p.onServer === undefined ? {} : { onServer: p.onServer }),
        ...(p.mark === undefined ? {} : { mark: p.mark }),
        ...(p.size === undefined ? {} : { sizeOnServer: p.size }),
      });
    }
  }

  forget(ref: ServerMessageRef): void {
    const rec = this.state(ref);
    if (rec === null) return;
    this.putState(null, ref);
    // The message stays (no loss); it is no longer tracked on the server, so it no longer claims to be there.
    const message = this.message(rec.messageKey);
    if (message !== null && message.onServer) this.putMessage({ ...message, onServer: false });
  }

  unidentified(item: UnidentifiedWrite): void {
    const key = unidentifiedKeyFor(this.accountId, item.id);
    // The same id is the same message of the same run (a batch applied again): never write it twice.
    if (this.message(key) !== null) {
      this.skipped++;
      return;
    }
    this.created.push(key);
    this.putMessage({ ...this.newMessage(key, item), content: 'whole' });
    this.bodies.set(key, item.bytes);
  }

  async flush(): Promise<void> {
    const messages: StoredMessage[] = [];
    for (const key of this.dirtyMessages) {
      const m = this.messages.get(key);
      if (m) messages.push(m);
    }
    await this.db.messages.bulkPut(messages);
    await writeBodiesIn(this.db, this.bodies);
    const puts: StoredUidRecord[] = [];
    const deletes: StateKey[] = [];
    for (const [k, ref] of this.dirtyStates) {
      const rec = this.states.get(k) ?? null;
      if (rec === null) deletes.push(stateKey(this.accountId, ref));
      else puts.push(rec);
    }
    await this.db.pop3State.bulkPut(puts);
    await this.db.pop3State.bulkDelete(deletes);
  }
}

/**
 * Stores one batch of a sync run in one transaction (see the module comment). Refuses with NOT_FOUND when the
 * account was removed meanwhile, so a late batch cannot leave orphans; any failure rolls the whole batch back.
 * Only Dexie is awaited inside the transaction.
 */
export async function applySyncBatch(db: PoplarDb, accountId: AccountId, batch: SyncBatch): Promise<BatchReceipt> {
  try {
    return await applyOnce(db, accountId, batch);
  } catch (e) {
    // Mail before shortcuts: a batch refused for want of space is tried once more after the prepared views (derived
    // from the bodies, made again at idle: prepared.ts) have given their space back. The failed transaction left
    // nothing behind, and a batch is idempotent.
    if (!isStoreError(e) || e.storeCode !== 'QUOTA' || (await db.prepared.count().catch(() => 0)) === 0) throw e;
    await guarded('giving back the space of prepared views', () => db.prepared.clear());
    return applyOnce(db, accountId, batch);
  }
}

function applyOnce(db: PoplarDb, accountId: AccountId, batch: SyncBatch): Promise<BatchReceipt> {
  return guarded('storing a sync batch', async () => {
    checkBatch(batch);
    return db.transaction('rw', [db.accounts, db.messages, db.bodies, db.prepared, db.pop3State], async () => {
      const account = await db.accounts.get(accountId);
      if (account === undefined) {
        throw storeError('NOT_FOUND', `account ${accountId} no longer exists; the sync batch was not stored`);
      }
      const work = new BatchWork(db, accountId, batch.now);
      await work.load(batch);
      for (const r of batch.rebinds ?? []) work.rebind(r);
      await work.reserveKeys(batch);
      for (const item of batch.previews) work.preview(item);
      for (const item of batch.wholes) work.whole(item);
      for (const item of batch.adopted) work.adopted(item);
      for (const update of batch.stateUpdates) work.update(update);
      for (const ref of batch.forgotten) work.forget(ref);
      for (const item of batch.unidentified ?? []) work.unidentified(item);
      await work.flush();
      // "Start from now" applies only before the first complete sync: its last batch says so, atomically.
      if (batch.firstSyncDone === true && !account.firstSyncDone) {
        await db.accounts.put({ ...account, firstSyncDone: true });
      }
      return { created: work.created, upgraded: work.upgraded, skipped: work.skipped };
    });
  });
}
