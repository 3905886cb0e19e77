import { describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import type { MessageKey } from '../../../app/ids.ts';
import {
  addAccount,
  applySyncBatch,
  deleteMessages,
  downloadedWithoutView,
  dropStalePrepared,
  dropViewsOfOlderMail,
  purgeMessages,
  readPrepared,
  removeAccount,
  writePrepared,
} from '../../../renderer/store/index.ts';
import type { PoplarDb } from '../../../renderer/store/index.ts';
import { bytesOf, emptyBatch, newAccount, openTestDb, previewBatch, wholeItem } from './helpers.ts';

const A = accountId('acct-a');
const keyOf = (uid: string): MessageKey => messageKey(`acct-a:0:${uid}`);
const VIEW = { document: '<p>prepared</p>', blockedCount: 2 };

/** Whole messages `uids`, all received at `now`. */
async function downloaded(db: PoplarDb, now: number, ...uids: string[]): Promise<void> {
  await applySyncBatch(db, A, { ...emptyBatch(now), wholes: uids.map((u) => wholeItem(u, bytesOf(100, u.length))) });
}

async function withAccount(): Promise<PoplarDb> {
  const db = await openTestDb();
  await addAccount(db, newAccount('acct-a'));
  return db;
}

describe('prepared views', () => {
  it('keeps a view by the build that made it; another build reads none', async () => {
    const db = await withAccount();
    await downloaded(db, 1, 'm1');
    expect(await writePrepared(db, keyOf('m1'), 'v1', VIEW)).toBe(true);
    expect(await readPrepared(db, keyOf('m1'), 'v1')).toEqual(VIEW);
    expect(await readPrepared(db, keyOf('m1'), 'v2')).toBeUndefined();
    expect(await readPrepared(db, keyOf('m2'), 'v1')).toBeUndefined();
    db.close();
  });

  it('keeps no view for a message whose body is not stored (a preview, or one deleted meanwhile)', async () => {
    const db = await withAccount();
    await applySyncBatch(db, A, previewBatch(1, 1, 'p'));
    expect(await writePrepared(db, keyOf('p0'), 'v1', VIEW)).toBe(false);
    expect(await writePrepared(db, keyOf('nothing'), 'v1', VIEW)).toBe(false);
    expect(await db.prepared.count()).toBe(0);
    db.close();
  });

  it('goes with its body: purged, downloaded again, or its account removed', async () => {
    const db = await withAccount();
    await downloaded(db, 1, 'm1', 'm2', 'm3');
    for (const uid of ['m1', 'm2', 'm3']) await writePrepared(db, keyOf(uid), 'v1', VIEW);

    await purgeMessages(db, [keyOf('m1')]);
    expect(await readPrepared(db, keyOf('m1'), 'v1')).toBeUndefined();
    // Moved to Deleted Items, the body stays, and so does its view.
    await deleteMessages(db, [keyOf('m2')]);
    expect(await readPrepared(db, keyOf('m2'), 'v1')).toEqual(VIEW);
    // A new body for the same message (downloaded again): the old view is not of it.
    await downloaded(db, 2, 'm3');
    expect(await readPrepared(db, keyOf('m3'), 'v1')).toBeUndefined();

    await writePrepared(db, keyOf('m3'), 'v1', VIEW);
    await removeAccount(db, A);
    expect(await db.prepared.count()).toBe(0);
    db.close();
  });

  it('drops the views of other builds only', async () => {
    const db = await withAccount();
    await downloaded(db, 1, 'm1', 'm2', 'm3');
    await writePrepared(db, keyOf('m1'), 'old', VIEW);
    await writePrepared(db, keyOf('m2'), 'older', VIEW);
    await writePrepared(db, keyOf('m3'), 'now', VIEW);
    expect(await dropStalePrepared(db, 'now')).toBe(2);
    expect(await db.prepared.toCollection().primaryKeys()).toEqual([keyOf('m3')]);
    db.close();
  });

  it('finds downloaded inbox messages without a view of this build, newest received first, bounded', async () => {
    const db = await withAccount();
    await downloaded(db, 100, 'old1', 'old2');
    await applySyncBatch(db, A, previewBatch(200, 3, 'p'));
    await downloaded(db, 300, 'mid');
    await downloaded(db, 400, 'new1');
    await deleteMessages(db, [keyOf('old2')]);
    await writePrepared(db, keyOf('mid'), 'v1', VIEW);
    await writePrepared(db, keyOf('new1'), 'v0', VIEW);

    // Not a preview, not Deleted Items, not one with this build's view; one with another build's view is stale.
    expect(await downloadedWithoutView(db, 'v1', 10, 100)).toEqual([keyOf('new1'), keyOf('old1')]);
    expect(await downloadedWithoutView(db, 'v1', 1, 100)).toEqual([keyOf('new1')]);
    // Only the newest `scan` messages are looked at: new1, mid (prepared), then previews.
    expect(await downloadedWithoutView(db, 'v1', 10, 3)).toEqual([keyOf('new1')]);
    db.close();
  });

  it('keeps views only for the newest inbox mail: older messages and Deleted Items lose theirs', async () => {
    const db = await withAccount();
    await downloaded(db, 100, 'oldest');
    await downloaded(db, 200, 'older');
    await downloaded(db, 300, 'new1', 'new2');
    await deleteMessages(db, [keyOf('new2')]);
    for (const uid of ['oldest', 'older', 'new1', 'new2']) await writePrepared(db, keyOf(uid), 'v1', VIEW);

    // The newest two inbox messages are new1 and older (new2 is in Deleted Items).
    expect(await dropViewsOfOlderMail(db, 2)).toBe(2);
    expect((await db.prepared.toCollection().primaryKeys()).sort()).toEqual([keyOf('new1'), keyOf('older')].sort());
    expect(await dropViewsOfOlderMail(db, 2)).toBe(0);
    db.close();
  });
});
