import { describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import type { PoplarDb } from '../../../renderer/store/index.ts';
import {
  addAccount,
  applySyncBatch,
  countMessages,
  deleteMessages,
  emptyDeletedItems,
  getMessage,
  loadSyncState,
  markRead,
  pendingMarks,
  purgeMessages,
  readBody,
  restoreMessages,
  setFlagged,
  setMark,
} from '../../../renderer/store/index.ts';
import {
  bytesOf,
  emptyBatch,
  newAccount,
  newFactory,
  openTestDb,
  preview,
  previewBatch,
  ref,
  wholeItem,
} from './helpers.ts';

const A = accountId('acct-a');
const B = accountId('acct-b');
const NOW = 1_750_000_000_000;
const key = (uid: string, account = 'acct-a') => messageKey(`${account}:0:${uid}`);

async function withMail(db: PoplarDb, id = A): Promise<void> {
  await addAccount(db, newAccount(id));
  await applySyncBatch(db, id, {
    ...previewBatch(NOW, 3),
    wholes: [wholeItem('w', bytesOf(9), { firstSeen: NOW, preview: preview('whole') })],
  });
}

describe('user actions', () => {
  it('persists marks at once, across closing and reopening the database', async () => {
    const factory = newFactory();
    const db = await openTestDb(factory);
    await withMail(db);
    await setMark(db, key('uid-0'), 'download');
    await setMark(db, key('uid-1'), 'download-copy');
    await setMark(db, key('uid-2'), 'download');
    await setMark(db, key('uid-2'), 'none');
    db.close();

    const reopened = await openTestDb(factory);
    expect((await getMessage(reopened, key('uid-0')))?.mark).toBe('download');
    expect((await getMessage(reopened, key('uid-1')))?.mark).toBe('download-copy');
    expect((await getMessage(reopened, key('uid-2')))?.mark).toBe('none');
    expect((await pendingMarks(reopened, A)).map((r) => [r.uid, r.mark])).toEqual([
      ['uid-0', 'download'],
      ['uid-1', 'download-copy'],
    ]);
    await expect(setMark(reopened, key('missing'), 'download')).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    reopened.close();
  });

  it('marks read and flagged', async () => {
    const db = await openTestDb();
    await withMail(db);
    await markRead(db, [key('uid-0'), key('uid-1'), key('gone')], true);
    await setFlagged(db, [key('uid-1')], true);
    expect(await countMessages(db, { accountId: A, folder: 'inbox', unread: true })).toBe(2);
    expect(await getMessage(db, key('uid-1'))).toMatchObject({ read: true, flagged: true });
    await markRead(db, [key('uid-1')], false);
    expect(await countMessages(db, { accountId: A, folder: 'inbox', unread: true })).toBe(3);
    db.close();
  });

  it('deletes to Deleted Items, restores, then purges: loadSyncState shows what the planner must do', async () => {
    const db = await openTestDb();
    await withMail(db);
    const stateOf = async (uid: string) => (await loadSyncState(db, A)).find((r) => r.uid === uid);

    await deleteMessages(db, [key('uid-0'), key('w')]);
    expect(await getMessage(db, key('uid-0'))).toMatchObject({ folder: 'deleted', deletion: 'trashed' });
    expect(await stateOf('uid-0')).toMatchObject({ deletion: 'trashed', messageKey: key('uid-0') });
    expect(await countMessages(db, { accountId: A, folder: 'deleted' })).toBe(2);
    expect(await countMessages(db, { accountId: A, folder: 'inbox' })).toBe(2);

    await restoreMessages(db, [key('uid-0')]);
    expect(await getMessage(db, key('uid-0'))).toMatchObject({ folder: 'inbox', deletion: 'none' });
    expect(await stateOf('uid-0')).toMatchObject({ deletion: 'none' });

    await setMark(db, key('w'), 'download');
    await purgeMessages(db, [key('w')]);
    expect(await getMessage(db, key('w'))).toBeUndefined();
    await expect(readBody(db, key('w'))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    expect(await db.bodies.count()).toBe(0);
    const purged = await stateOf('w');
    expect(purged).toMatchObject({ deletion: 'purged', content: 'whole', mark: 'none' });
    expect(purged && 'messageKey' in purged).toBe(false);

    // A purged unique-id stays known: the next listing does not bring it back.
    const again = await applySyncBatch(db, A, {
      ...emptyBatch(NOW + 1),
      previews: [{ ref: ref('w'), size: 9, firstSeen: NOW + 1, preview: preview('whole') }],
    });
    expect(again.created).toEqual([]);
    db.close();
  });

  it('empties Deleted Items of one account, or of all', async () => {
    const db = await openTestDb();
    await withMail(db, A);
    await withMail(db, B);
    await deleteMessages(db, [key('uid-0'), key('w'), key('uid-0', 'acct-b')]);
    await emptyDeletedItems(db, A);
    expect(await countMessages(db, { folder: 'deleted' })).toBe(1);
    expect((await loadSyncState(db, A)).filter((r) => r.deletion === 'purged').map((r) => r.uid)).toEqual([
      'uid-0',
      'w',
    ]);
    expect(await db.bodies.count()).toBe(1);
    await emptyDeletedItems(db);
    expect(await countMessages(db, { folder: 'deleted' })).toBe(0);
    expect(await countMessages(db, { folder: 'inbox' })).toBe(5);
    expect((await loadSyncState(db, B)).find((r) => r.uid === 'uid-0')?.deletion).toBe('purged');
    db.close();
  });

  it('purges a message without a server ref by removing it, and leaves a newer copy of its ref alone', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    const { created } = await applySyncBatch(db, A, {
      ...emptyBatch(NOW),
      unidentified: [{ id: 'run1:1', size: 5, preview: preview('no uidl'), bytes: bytesOf(5) }],
    });
    await purgeMessages(db, created);
    expect(await db.messages.count()).toBe(0);
    expect(await db.bodies.count()).toBe(0);

    // uid-0 vanished and was forgotten; a new message came with the same ref. Deleting the old copy must not
    // touch the state of the new one.
    await applySyncBatch(db, A, previewBatch(NOW, 1));
    await applySyncBatch(db, A, { ...emptyBatch(NOW + 1), forgotten: [ref('uid-0')] });
    await applySyncBatch(db, A, previewBatch(NOW + 2, 1));
    await purgeMessages(db, [key('uid-0')]);
    expect(await loadSyncState(db, A)).toEqual([
      expect.objectContaining({ uid: 'uid-0', deletion: 'none', messageKey: messageKey('acct-a:0:uid-0~1') }),
    ]);
    db.close();
  });
});
