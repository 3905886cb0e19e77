/**
 * Prints how long the sync-sized store operations take under fake-indexeddb. Numbers only: a test never asserts
 * on wall-clock speed (house style 23); real IndexedDB in Chromium has its own, different costs.
 */
import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import {
  addAccount,
  applySyncBatch,
  countMessages,
  listMessageKeys,
  listMessages,
  loadSyncState,
  markRead,
  searchMessages,
} from '../../../renderer/store/index.ts';
import { readMessageKeys } from '../../../renderer/store/queries.ts';
import { newAccount, openTestDb, previewBatch } from './helpers.ts';

const A = accountId('acct-a');
const N = 10_000;

async function timed<T>(label: string, op: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await op();
  console.log(`[store perf, fake-indexeddb] ${label}: ${(performance.now() - start).toFixed(1)} ms`);
  return result;
}

it(`prints timings for ${N} previews`, { timeout: 120_000 }, async () => {
  const db = await openTestDb();
  await addAccount(db, newAccount('acct-a'));
  const batch = previewBatch(1_750_000_000_000, N);

  const first = await timed(`applySyncBatch, ${N} new previews`, () => applySyncBatch(db, A, batch));
  const again = await timed(`applySyncBatch, the same ${N} again (re-run)`, () => applySyncBatch(db, A, batch));
  const state = await timed(`loadSyncState, ${N} records`, () => loadSyncState(db, A));
  await timed(`loadSyncState, ${N} records (warm)`, () => loadSyncState(db, A));
  await timed('listMessages, first page of 100 by subject', () =>
    listMessages(db, { accountId: A, folder: 'inbox', sort: 'subject', direction: 'asc', offset: 0, limit: 100 }),
  );
  await timed('listMessages, page of 100 at offset 9,900, newest first', () =>
    listMessages(db, { folder: 'inbox', sort: 'receivedAt', direction: 'desc', offset: 9_900, limit: 100 }),
  );
  await timed(`countMessages, ${N}`, () => countMessages(db, { accountId: A, folder: 'inbox' }));
  await timed(`countMessages, unread of ${N} (all unread, index count)`, () =>
    countMessages(db, { accountId: A, folder: 'inbox', unread: true }),
  );
  const keys = await timed(`listMessageKeys, all ${N} newest first (one request)`, () =>
    listMessageKeys(db, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'desc' }),
  );
  const chunked = await timed(`readMessageKeys, all ${N} newest first (in chunks)`, () =>
    readMessageKeys(db, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'desc' }),
  );
  await timed('markRead, 1,000 messages', () => markRead(db, keys.slice(0, 1000), true));
  const unread = await timed(`countMessages, unread of ${N} after that`, () =>
    countMessages(db, { accountId: A, folder: 'inbox', unread: true }),
  );
  await timed(`searchMessages over ${N}`, () => searchMessages(db, { text: 'message 9999' }));

  expect(first.created).toHaveLength(N);
  expect(again.created).toHaveLength(0);
  expect(state).toHaveLength(N);
  expect(chunked).toEqual(keys);
  expect(unread).toBe(N - 1000);
  db.close();
});
