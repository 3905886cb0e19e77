/**
 * The signals the window's large reads follow (renderer/store/hooks.ts): a folder's answers again when a message
 * enters or leaves it (new mail, a small batch or a large one, a move, a deletion for good), and not when one is
 * only marked read; the unread counts' answers again when a message becomes read or unread. They are Dexie live
 * queries, run here under fake-indexeddb.
 */
import Dexie, { liveQuery } from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import { folderSignal, unreadSignal } from '../../../renderer/store/hooks.ts';
import {
  addAccount,
  applySyncBatch,
  deleteMessages,
  markRead,
  purgeMessages,
  setFlagged,
  type PoplarDb,
} from '../../../renderer/store/index.ts';
import { newAccount, newFactory, openTestDb, previewBatch } from './helpers.ts';

const A = accountId('acct-a');
const B = accountId('acct-b');
const T0 = 1_760_000_000_000;
const key = (uid: string) => messageKey(`acct-a:0:${uid}`);

/*
 * Dexie runs live queries only where it has found an IndexedDB of its own (a browser global); this says there is
 * one. The database itself still uses the fake factory it was opened with.
 */
// Typed by hand: Dexie types it with the DOM's IDBFactory, which the Node test project does not load.
const dependencies = Dexie.dependencies as unknown as { indexedDB: unknown };
const previous = dependencies.indexedDB;
beforeAll(() => {
  dependencies.indexedDB = newFactory();
});
afterAll(() => {
  dependencies.indexedDB = previous;
});

/** Counts a live query's answers; `after` runs a write and says how many answers it brought. */
async function watch(query: () => Promise<unknown>) {
  let answers = 0;
  const subscription = liveQuery(query).subscribe({ next: () => (answers += 1) });
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 30));
  await quiet();
  expect(answers).toBe(1);
  return {
    async after(write: () => Promise<unknown>): Promise<number> {
      const before = answers;
      await write();
      await quiet();
      return answers - before;
    },
    stop: () => subscription.unsubscribe(),
  };
}

describe('signals', () => {
  let db: PoplarDb;
  beforeAll(async () => {
    db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await addAccount(db, newAccount('acct-b'));
    await applySyncBatch(db, A, previewBatch(T0, 5, 'first-'));
  });
  afterAll(() => db.close());

  it("tells a folder's list when messages arrive, move or go, and not when they are only read or flagged", async () => {
    const inbox = await watch(() => folderSignal(db, { accountId: A, folder: 'inbox' }));
    const deleted = await watch(() => folderSignal(db, { accountId: A, folder: 'deleted' }));
    const allInboxes = await watch(() => folderSignal(db, { folder: 'inbox' }));
    expect(await inbox.after(() => applySyncBatch(db, A, previewBatch(T0 + 1, 3, 'small-')))).toBeGreaterThan(0);
    // 50 records or more in one write: Dexie no longer tracks them one by one, and says so to every query.
    expect(await inbox.after(() => applySyncBatch(db, A, previewBatch(T0 + 2, 60, 'large-')))).toBeGreaterThan(0);
    expect(await inbox.after(() => markRead(db, [key('first-1')], true))).toBe(0);
    expect(await inbox.after(() => setFlagged(db, [key('first-2')], true))).toBe(0);
    expect(await deleted.after(() => markRead(db, [key('first-3')], true))).toBe(0);
    expect(await inbox.after(() => deleteMessages(db, [key('first-4')]))).toBeGreaterThan(0);
    expect(await deleted.after(() => deleteMessages(db, [key('first-3')]))).toBeGreaterThan(0);
    expect(await deleted.after(() => purgeMessages(db, [key('first-3')]))).toBeGreaterThan(0);
    expect(await allInboxes.after(() => applySyncBatch(db, B, previewBatch(T0 + 3, 2, 'b-')))).toBeGreaterThan(0);
    // Another account's mail is not this account's folder.
    expect(await inbox.after(() => applySyncBatch(db, B, previewBatch(T0 + 4, 2, 'b2-')))).toBe(0);
    for (const w of [inbox, deleted, allInboxes]) w.stop();
  });

  it('tells the unread counts when a message becomes read or unread, arrives, or goes', async () => {
    const counts = await watch(() => unreadSignal(db, [A]));
    expect(await counts.after(() => markRead(db, [key('small-0')], true))).toBeGreaterThan(0);
    expect(await counts.after(() => markRead(db, [key('small-0')], false))).toBeGreaterThan(0);
    expect(await counts.after(() => setFlagged(db, [key('small-1')], true))).toBe(0);
    expect(await counts.after(() => applySyncBatch(db, A, previewBatch(T0 + 5, 2, 'more-')))).toBeGreaterThan(0);
    expect(await counts.after(() => purgeMessages(db, [key('more-0')]))).toBeGreaterThan(0);
    counts.stop();
  });
});
