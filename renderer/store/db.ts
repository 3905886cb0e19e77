/**
 * The Poplar database: one Dexie instance over IndexedDB, its versioned schema and typed tables. Only
 * renderer/store/ imports Dexie (house style 3); everything else uses the named queries and writes.
 */
import Dexie from 'dexie';
import type { DexieOptions, EntityTable, Table } from 'dexie';
import type { MessageKey } from '../../app/ids.ts';
import { guarded } from './errors.ts';
import { DERIVED_FIELDS_MIDDLEWARE, dateSortKey, unreadKey } from './keys.ts';
import type {
  AccountRecord,
  BodyChunk,
  BodyKey,
  FolderRecord,
  PreparedRecord,
  StateKey,
  StoredMessage,
  StoredUidRecord,
} from './schema.ts';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 } from './schema.ts';

/**
 * An IndexedDB factory and key-range class, as Dexie needs them. Typed by Dexie's own option types rather than
 * the DOM's `IDBFactory`, so the store also compiles where no DOM types exist (the Node tests pass
 * fake-indexeddb's factory explicitly; no global is patched).
 */
export type IndexedDbFactory = NonNullable<DexieOptions['indexedDB']>;
export type KeyRangeClass = NonNullable<DexieOptions['IDBKeyRange']>;

export class PoplarDb extends Dexie {
  declare readonly accounts: EntityTable<AccountRecord, 'id'>;
  declare readonly folders: EntityTable<FolderRecord, 'id'>;
  declare readonly messages: Table<StoredMessage, MessageKey>;
  declare readonly bodies: Table<BodyChunk, BodyKey>;
  declare readonly pop3State: Table<StoredUidRecord, StateKey>;
  declare readonly prepared: Table<PreparedRecord, MessageKey>;

  constructor(name: string, options: DexieOptions) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    // Version 2 (schema.ts): `unread` and `sortDate` on every message, the received-order indexes tie-broken by
    // `sortDate`, and an unread index. Dexie builds the new indexes; the upgrade fills in the new fields of
    // version-1 records (an index skips a record until it has them). 100,000 messages take about a minute on a
    // small machine (README, "Schema").
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade((tx) => addDerivedFields(tx.table<StoredMessage, MessageKey>('messages')));
    // Version 3: a new table only (prepared views); no record changes, so the upgrade is immediate.
    this.version(3).stores(SCHEMA_V3);
    // Every write path keeps the derived numbers true, whether or not it goes through toStored (keys.ts).
    this.use(DERIVED_FIELDS_MIDDLEWARE);
  }
}

/** Records per read and write of an upgrade: bounded memory, and one getAll and one bulkPut per page. */
const UPGRADE_PAGE = 2000;

/**
 * Version 1 → 2: gives every message its `unread` and `sortDate` (keys.ts), page by page along the primary key.
 * Not `Collection.modify`, which reads the records one request each.
 */
async function addDerivedFields(messages: Table<StoredMessage, MessageKey>): Promise<void> {
  let after: MessageKey | undefined;
  for (;;) {
    const range = after === undefined ? messages.toCollection() : messages.where(':id').above(after);
    const page = await range.limit(UPGRADE_PAGE).toArray();
    const last = page[page.length - 1];
    if (last === undefined) return;
    await messages.bulkPut(page.map((m) => ({ ...m, unread: unreadKey(m), sortDate: dateSortKey(m) })));
    if (page.length < UPGRADE_PAGE) return;
    after = last.key;
  }
}

export const DEFAULT_DB_NAME = 'poplar';

/**
 * Opens (creating or upgrading) the database. In the renderer the browser's own IndexedDB is used; a test passes
 * fake-indexeddb's `IDBFactory` instance and `IDBKeyRange` class.
 *
 * Durability is 'strict' (Chromium flushes to disk before a transaction reports complete): the sync executor
 * lets the server DELE a message only after the store confirmed its content, so "committed" must survive a power
 * cut, not only a crash of the renderer (no loss). `durability` exists for the store benchmark
 * (bench/chromium-store.ts), which compares the two; the app always opens with 'strict'.
 */
export async function openPoplarDb(
  name: string = DEFAULT_DB_NAME,
  indexedDB?: IndexedDbFactory,
  IDBKeyRange?: KeyRangeClass,
  durability: 'strict' | 'relaxed' = 'strict',
): Promise<PoplarDb> {
  const options: DexieOptions = { chromeTransactionDurability: durability };
  if (indexedDB !== undefined) options.indexedDB = indexedDB;
  if (IDBKeyRange !== undefined) options.IDBKeyRange = IDBKeyRange;
  const db = new PoplarDb(name, options);
  try {
    await guarded(`opening the database "${name}"`, () => db.open());
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
