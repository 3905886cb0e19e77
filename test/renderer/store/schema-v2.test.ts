/**
 * Schema version 2 (renderer/store/schema.ts): the derived fields `unread` and `sortDate`, the received-order indexes
 * tie-broken by Date, the unread index, the upgrade of a version-1 database, and the middleware that keeps the
 * derived fields true on writes that do not go through toStored.
 */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { accountId, messageKey, uidl } from '../../../app/ids.ts';
import type { MessageKey } from '../../../app/ids.ts';
import type { MessageRecord } from '../../../app/mail/types.ts';
import { DEFAULT_POLICY } from '../../../app/sync/policy.ts';
import {
  addAccount,
  applySyncBatch,
  countMessages,
  getMessage,
  listMessages,
  markRead,
  type IndexedDbFactory,
  type KeyRangeClass,
} from '../../../renderer/store/index.ts';
import { toStored } from '../../../renderer/store/keys.ts';
import {
  ACCOUNT_INDEX,
  REF_INDEX,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  UNIFIED_INDEX,
  UNREAD_INDEX,
  type StoredMessage,
} from '../../../renderer/store/schema.ts';
import { IDBKeyRange } from 'fake-indexeddb';
import { emptyBatch, newAccount, newFactory, openTestDb, preview, ref } from './helpers.ts';

const A = accountId('acct-a');
const B = accountId('acct-b');
const T0 = 1_760_000_000_000;
const DAY = 86_400_000;

describe('schema version 2', () => {
  it('opens at version 3 (version 2 and the prepared views) with every table and every index the queries use', async () => {
    const db = await openTestDb();
    expect(db.verno).toBe(3);
    expect(db.tables.map((t) => t.name).sort()).toEqual(Object.keys(SCHEMA_V3).sort());
    expect(Object.keys(SCHEMA_V3).sort()).toEqual([...Object.keys(SCHEMA_V2), 'prepared'].sort());
    expect(db.prepared.schema.primKey.keyPath).toBe('key');
    expect(db.prepared.schema.indexes.map((i) => i.name)).toEqual(['version']);
    const indexes = db.messages.schema.indexes.map((i) => i.name);
    for (const name of [...Object.values(ACCOUNT_INDEX), ...Object.values(UNIFIED_INDEX), UNREAD_INDEX, REF_INDEX]) {
      expect(indexes).toContain(name);
    }
    // The version-1 received-order indexes are gone: a query on them would miss new messages' order.
    expect(indexes).not.toContain('[accountId+folder+receivedAt]');
    expect(indexes).not.toContain('[folder+receivedAt]');
    expect(db.pop3State.schema.primKey.keyPath).toEqual(['accountId', 'uid', 'ordinal']);
    expect(db.bodies.schema.primKey.keyPath).toEqual(['key', 'index']);
    db.close();
  });

  it('stores the derived fields with every message a sync writes', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await applySyncBatch(db, A, {
      ...emptyBatch(T0),
      previews: [
        { ref: ref('dated'), size: 1, firstSeen: T0, preview: preview('dated', { date: T0 - DAY }) },
        { ref: ref('undated'), size: 1, firstSeen: T0, preview: preview('undated') },
      ],
    });
    const rows = await db.messages.orderBy('key').toArray();
    expect(rows.map((m) => [m.subject, m.unread, m.sortDate])).toEqual([
      ['dated', 1, T0 - DAY],
      ['undated', 1, T0],
    ]);
    db.close();
  });
});

describe('writes that bypass toStored', () => {
  async function twoMessages() {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await applySyncBatch(db, A, {
      ...emptyBatch(T0),
      previews: [
        { ref: ref('m1'), size: 1, firstSeen: T0, preview: preview('one', { date: T0 - DAY }) },
        { ref: ref('m2'), size: 1, firstSeen: T0, preview: preview('two', { date: T0 - 2 * DAY }) },
      ],
    });
    return { db, m1: messageKey('acct-a:0:m1'), m2: messageKey('acct-a:0:m2') };
  }
  const stored = async (db: Awaited<ReturnType<typeof openTestDb>>, key: MessageKey) =>
    (await db.messages.get(key)) as StoredMessage;

  it('keeps `unread` true through markRead (a Collection.modify), update and bulkUpdate', async () => {
    const { db, m1, m2 } = await twoMessages();
    await markRead(db, [m1], true);
    expect((await stored(db, m1)).unread).toBe(0);
    expect(await countMessages(db, { accountId: A, folder: 'inbox', unread: true })).toBe(1);
    await db.messages.update(m1, { read: false });
    expect((await stored(db, m1)).unread).toBe(1);
    await db.messages.bulkUpdate([
      { key: m1, changes: { read: true } },
      { key: m2, changes: { read: true } },
    ]);
    expect([(await stored(db, m1)).unread, (await stored(db, m2)).unread]).toEqual([0, 0]);
    expect(await countMessages(db, { accountId: A, folder: 'inbox', unread: true })).toBe(0);
    db.close();
  });

  it('keeps `sortDate` true when a put carries a stale one, and the list order follows', async () => {
    const { db, m2 } = await twoMessages();
    const before = await listMessages(db, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'desc', offset: 0, limit: 5 });
    expect(before.map((m) => m.subject)).toEqual(['one', 'two']);
    // A whole message replacing its preview may bring a Date the preview did not have.
    await db.messages.put({ ...(await stored(db, m2)), date: T0 - 1000 });
    expect((await stored(db, m2)).sortDate).toBe(T0 - 1000);
    const after = await listMessages(db, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'desc', offset: 0, limit: 5 });
    expect(after.map((m) => m.subject)).toEqual(['two', 'one']);
    db.close();
  });
});

describe('upgrade from version 1', () => {
  /** A version-1 record: what version 1's toStored wrote (sort keys, no `unread` or `sortDate`). */
  function v1Record(account: string, uid: string, i: number): Omit<StoredMessage, 'unread' | 'sortDate'> {
    const message: MessageRecord = {
      ...preview(`Message ${i}`, i % 5 === 0 ? {} : { date: T0 - (i % 13) * DAY }),
      key: messageKey(`${account}:0:${uid}`),
      accountId: accountId(account),
      folder: i % 7 === 0 ? 'deleted' : 'inbox',
      uid: uidl(uid),
      ordinal: 0,
      sizeOnServer: 1000 + i,
      content: 'preview',
      mark: 'none',
      onServer: true,
      deletion: i % 7 === 0 ? 'trashed' : 'none',
      read: i % 3 === 0,
      flagged: false,
      // Checks of 100 messages each: ties of received time, as a first check makes them.
      receivedAt: T0 + Math.floor(i / 100) * 60_000,
    };
    const v2Only = new Set<string>(['unread', 'sortDate']);
    return Object.fromEntries(Object.entries(toStored(message)).filter(([k]) => !v2Only.has(k))) as Omit<
      StoredMessage,
      'unread' | 'sortDate'
    >;
  }

  /** A database at version 1, written by Dexie with version 1's schema alone, as Poplar 0.1 left it. */
  async function version1Database(factory: IndexedDbFactory, name: string, count: number) {
    const v1 = new Dexie(name, {
      indexedDB: factory,
      IDBKeyRange: IDBKeyRange as unknown as KeyRangeClass,
    });
    v1.version(1).stores(SCHEMA_V1);
    await v1.open();
    const records = [
      ...Array.from({ length: count }, (_, i) => v1Record('acct-a', `a${String(i).padStart(5, '0')}`, i)),
      ...Array.from({ length: 40 }, (_, i) => v1Record('acct-b', `b${i}`, i)),
    ];
    await v1.table('accounts').bulkAdd([
      { ...newAccount('acct-a'), policy: DEFAULT_POLICY, firstSyncDone: true },
      { ...newAccount('acct-b'), policy: DEFAULT_POLICY, firstSyncDone: true },
    ]);
    await v1.table('messages').bulkAdd(records);
    v1.close();
    return records;
  }

  it('gives every message its derived fields, in pages, and leaves everything else as it was', async () => {
    const factory = newFactory();
    // More than one page of the upgrade (2,000 records).
    const records = await version1Database(factory, 'poplar-v1', 2100);
    const db = await openTestDb(factory, 'poplar-v1');
    expect(db.verno).toBe(3);
    const upgraded = await db.messages.toArray();
    expect(upgraded).toHaveLength(records.length);
    const byKey = new Map(upgraded.map((m) => [m.key, m]));
    for (const before of records) {
      const after = byKey.get(before.key);
      expect(after).toEqual({ ...before, unread: before.read ? 0 : 1, sortDate: before.date ?? before.receivedAt });
    }
    db.close();
  });

  it('serves unread counts and the received order from the new indexes', async () => {
    const factory = newFactory();
    const records = await version1Database(factory, 'poplar-v1', 300);
    const db = await openTestDb(factory, 'poplar-v1');
    const unread = (account: string, folder: string) =>
      records.filter((m) => m.accountId === account && m.folder === folder && !m.read).length;
    expect(await countMessages(db, { accountId: A, folder: 'inbox', unread: true })).toBe(unread('acct-a', 'inbox'));
    expect(await countMessages(db, { accountId: A, folder: 'deleted', unread: true })).toBe(unread('acct-a', 'deleted'));
    expect(await countMessages(db, { folder: 'inbox', unread: true })).toBe(unread('acct-a', 'inbox') + unread('acct-b', 'inbox'));
    expect(await countMessages(db, { accountId: B, folder: 'inbox' })).toBe(records.filter((m) => m.accountId === B && m.folder === 'inbox').length);

    const dateOf = (m: Pick<MessageRecord, 'date' | 'receivedAt'>) => m.date ?? m.receivedAt;
    const expected = records
      .filter((m) => m.accountId === A && m.folder === 'inbox')
      .sort((a, b) => b.receivedAt - a.receivedAt || dateOf(b) - dateOf(a) || (a.key < b.key ? 1 : -1))
      .map((m) => m.key);
    const listed = await listMessages(db, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'desc', offset: 0, limit: 1000 });
    expect(listed.map((m) => m.key)).toEqual(expected);
    // A write after the upgrade goes through the same derivation.
    const first = listed.find((m) => !m.read)?.key as MessageKey;
    await markRead(db, [first], true);
    expect((await getMessage(db, first))?.read).toBe(true);
    expect(await countMessages(db, { accountId: A, folder: 'inbox', unread: true })).toBe(unread('acct-a', 'inbox') - 1);
    db.close();
  });
});
