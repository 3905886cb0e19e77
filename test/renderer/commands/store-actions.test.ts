/** The registry's actions against the real store (fake-indexeddb): what each command changes in the db. */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import { canTakeMark, storeActions } from '../../../renderer/commands/store-actions.ts';
import { addAccount, applySyncBatch, listMessages, type PoplarDb } from '../../../renderer/store/index.ts';
import { bytesOf, newAccount, openTestDb, previewBatch, ref, wholeItem, emptyBatch } from '../store/helpers.ts';

const NOW = Date.UTC(2026, 0, 5, 9);

async function twoAccounts(): Promise<PoplarDb> {
  const db = await openTestDb();
  await addAccount(db, newAccount('a'));
  await addAccount(db, newAccount('b'));
  await applySyncBatch(db, accountId('a'), previewBatch(NOW, 3, 'a-'));
  await applySyncBatch(db, accountId('b'), { ...emptyBatch(NOW), wholes: [wholeItem('b-whole', bytesOf(64))] });
  return db;
}

async function inbox(db: PoplarDb, id: string) {
  return listMessages(db, { accountId: accountId(id), folder: 'inbox', sort: 'receivedAt', direction: 'asc', offset: 0, limit: 100 });
}

describe('storeActions', () => {
  it('marks previews still on the server, and leaves whole messages alone', async () => {
    const db = await twoAccounts();
    const actions = storeActions(db);
    const [p0] = await inbox(db, 'a');
    const [whole] = await inbox(db, 'b');
    if (p0 === undefined || whole === undefined) throw new Error('fixture');
    await actions.setMark([p0.key, whole.key], 'download');
    const [p0After] = await inbox(db, 'a');
    const [wholeAfter] = await inbox(db, 'b');
    expect(p0After?.mark).toBe('download');
    expect(wholeAfter?.mark).toBe('none');
    await actions.setMark([p0.key], 'none');
    expect((await inbox(db, 'a'))[0]?.mark).toBe('none');
  });

  it('does not mark a preview that left the server', async () => {
    const db = await twoAccounts();
    await applySyncBatch(db, accountId('a'), {
      ...emptyBatch(NOW + 1),
      stateUpdates: [{ ref: ref('a-1'), patch: { onServer: false } }],
    });
    const gone = (await inbox(db, 'a')).find((m) => !m.onServer);
    if (gone === undefined) throw new Error('the fixture should have a message gone from the server');
    expect(canTakeMark(gone, 'download')).toBe(false);
    expect(canTakeMark(gone, 'none')).toBe(true);
    await storeActions(db).setMark([gone.key], 'download-copy');
    expect((await inbox(db, 'a')).find((m) => m.key === gone.key)?.mark).toBe('none');
  });

  it('deletes to Deleted Items, restores, purges, and reads', async () => {
    const db = await twoAccounts();
    const actions = storeActions(db);
    const keys = (await inbox(db, 'a')).map((m) => m.key);
    await actions.trash(keys.slice(0, 2));
    expect(await inbox(db, 'a')).toHaveLength(1);
    await actions.restore(keys.slice(0, 1));
    expect(await inbox(db, 'a')).toHaveLength(2);
    await actions.purge(keys.slice(1, 2));
    await actions.markRead(keys, true);
    const left = await inbox(db, 'a');
    expect(left.map((m) => m.key)).toEqual([keys[0], keys[2]]);
    expect(left.every((m) => m.read)).toBe(true);
  });

  it('names the accounts of a selection, once each', async () => {
    const db = await twoAccounts();
    const a = (await inbox(db, 'a')).map((m) => m.key);
    const b = (await inbox(db, 'b')).map((m) => m.key);
    expect(await storeActions(db).accountsOf([...a, ...b, ...a])).toEqual([accountId('a'), accountId('b')]);
  });
});
