import { describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import type { Address } from '../../../app/mail/types.ts';
import type { PoplarDb, SyncBatch, WholeWrite } from '../../../renderer/store/index.ts';
import {
  addAccount,
  applySyncBatch,
  getMessage,
  listMessages,
  loadSyncState,
  setMark,
  StoreError,
  writePrepared,
} from '../../../renderer/store/index.ts';
import { bytesOf, emptyBatch, newAccount, openTestDb, preview, previewBatch, ref, wholeItem } from './helpers.ts';

const A = accountId('acct-a');
const NOW = 1_750_000_000_000;

async function contents(db: PoplarDb) {
  return {
    messages: await db.messages.toArray(),
    bodies: await db.bodies.count(),
    state: await db.pop3State.toArray(),
  };
}

const whole: WholeWrite = wholeItem('w', bytesOf(9), { firstSeen: NOW });

/** A batch that writes messages, a body and state: a failure in its last write must undo the first ones. */
const bigBatch: SyncBatch = { ...previewBatch(NOW + 1, 20, 'late-'), wholes: [whole] };

/**
 * Makes every write to pop3State (or the first `times`) fail the way a full disk does, and records the order of writes, so the test can
 * see that messages and bodies were written earlier in the same transaction.
 */
async function failStateWrites(db: PoplarDb, writes: string[], times = Infinity): Promise<void> {
  let failed = 0;
  // Dexie builds its middleware stack when it opens.
  db.close();
  db.use({
    stack: 'dbcore',
    name: 'quota-on-pop3State',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (req) => {
            writes.push(name);
            if (name !== 'pop3State' || failed >= times) return table.mutate(req);
            failed += 1;
            return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
          },
        };
      },
    }),
  });
  await db.open();
}

describe('store errors', () => {
  it('rolls a batch back whole when its last write hits the quota, keeping what was committed before', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await applySyncBatch(db, A, previewBatch(NOW, 3));
    const before = await contents(db);

    const writes: string[] = [];
    await failStateWrites(db, writes);
    const failure = await applySyncBatch(db, A, bigBatch).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ code: 'STORE_QUOTA' });
    // The bodies' prepared views go with them (store/bodies.ts), in the same transaction.
    expect(writes.filter((name) => name !== 'prepared').slice(0, 2)).toEqual(['messages', 'bodies']);
    expect(writes.indexOf('prepared')).toBeLessThan(writes.indexOf('pop3State'));
    expect(writes).toContain('pop3State');

    expect(await contents(db)).toEqual(before);
    db.close();
  });

  it('gives back the space of prepared views and stores a batch refused for want of space', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await applySyncBatch(db, A, { ...emptyBatch(NOW), wholes: [wholeItem('kept', bytesOf(50), { firstSeen: NOW })] });
    expect(await writePrepared(db, messageKey('acct-a:0:kept'), 'v', { document: 'x' })).toBe(true);

    const writes: string[] = [];
    await failStateWrites(db, writes, 1);
    await applySyncBatch(db, A, bigBatch);
    expect(await db.prepared.count()).toBe(0);
    expect((await contents(db)).messages).toHaveLength(1 + 21);
    expect(await getMessage(db, messageKey('acct-a:0:w'))).toMatchObject({ content: 'whole' });
    db.close();
  });

  it('still refuses a batch the disk cannot hold once the prepared views are gone, keeping the mail', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await applySyncBatch(db, A, { ...emptyBatch(NOW), wholes: [wholeItem('kept', bytesOf(50), { firstSeen: NOW })] });
    await writePrepared(db, messageKey('acct-a:0:kept'), 'v', { document: 'x' });
    const before = await contents(db);

    await failStateWrites(db, []);
    await expect(applySyncBatch(db, A, bigBatch)).rejects.toMatchObject({ code: 'STORE_QUOTA' });
    expect(await contents(db)).toEqual(before);
    expect(await db.prepared.count()).toBe(0);
    db.close();
  });

  it('refuses a batch that names an invalid server message before writing anything', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    const bad: SyncBatch = {
      ...previewBatch(NOW, 5),
      adopted: [{ ref: { uid: ref('x').uid, ordinal: Number.NaN }, size: 1, firstSeen: NOW }],
    };
    await expect(applySyncBatch(db, A, bad)).rejects.toMatchObject({ code: 'STORE_INVALID' });
    await expect(applySyncBatch(db, A, { ...emptyBatch(NOW), forgotten: [ref('')] })).rejects.toMatchObject({
      code: 'STORE_INVALID',
    });
    expect(await contents(db)).toEqual({ messages: [], bodies: 0, state: [] });
    db.close();
  });

  it('reports a value IndexedDB cannot store as FAILED, with nothing half-written', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    // A sender that structured clone refuses (a function): IndexedDB throws DataCloneError mid-transaction.
    const unclonable = { name: 'x', address: 'x@example.org', toString: () => 'x' } as unknown as Address;
    const batch: SyncBatch = {
      ...previewBatch(NOW, 3),
      wholes: [{ ...whole, preview: preview('bad', { from: [unclonable] }) }],
    };
    const failure = await applySyncBatch(db, A, batch).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'STORE_FAILED', storeCode: 'FAILED' });
    expect((failure as StoreError).message).toMatch(/clone/i);
    expect(await contents(db)).toEqual({ messages: [], bodies: 0, state: [] });
    db.close();
  });

  it('reports a closed database as CLOSED, for writes and reads alike', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await applySyncBatch(db, A, previewBatch(NOW, 1));
    db.close({ disableAutoOpen: true });
    await expect(setMark(db, messageKey('acct-a:0:uid-0'), 'download')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(applySyncBatch(db, A, previewBatch(NOW, 2))).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(loadSyncState(db, A)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(
      listMessages(db, { folder: 'inbox', sort: 'receivedAt', direction: 'desc', offset: 0, limit: 10 }),
    ).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('keeps a committed mark when a later write fails', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await applySyncBatch(db, A, previewBatch(NOW, 1));
    await setMark(db, messageKey('acct-a:0:uid-0'), 'download');
    await failStateWrites(db, []);
    await expect(setMark(db, messageKey('acct-a:0:uid-0'), 'none')).rejects.toMatchObject({ code: 'STORE_QUOTA' });
    expect((await getMessage(db, messageKey('acct-a:0:uid-0')))?.mark).toBe('download');
    expect((await loadSyncState(db, A))[0]?.mark).toBe('download');
    db.close();
  });
});
