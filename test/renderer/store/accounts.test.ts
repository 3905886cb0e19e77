import { describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import {
  addAccount,
  applySyncBatch,
  getAccount,
  listAccounts,
  listFolders,
  loadSyncState,
  readBody,
  recordSyncResult,
  removeAccount,
  StoreError,
  updateAccount,
} from '../../../renderer/store/index.ts';
import { bytesOf, emptyBatch, newAccount, openTestDb, previewBatch, ref, wholeItem } from './helpers.ts';

const A = accountId('acct-a');
const B = accountId('acct-b');

describe('accounts', () => {
  it('adds an account with its Inbox and Deleted Items, and no secret fields', async () => {
    const db = await openTestDb();
    const account = await addAccount(db, newAccount('acct-a'));
    expect(account).toMatchObject({ id: A, firstSyncDone: false, createdAt: 1_700_000_000_000 });
    expect(await getAccount(db, A)).toEqual(account);
    expect(await listFolders(db, A)).toEqual([
      { id: 'acct-a/inbox', accountId: A, kind: 'inbox', name: 'Inbox' },
      { id: 'acct-a/deleted', accountId: A, kind: 'deleted', name: 'Deleted Items' },
    ]);
    for (const secret of ['password', 'pass', 'secret', 'token']) expect(Object.keys(account)).not.toContain(secret);
    db.close();
  });

  it('generates an id when none is given, and refuses an id that would make keys ambiguous', async () => {
    const db = await openTestDb();
    const { id: _unused, ...withoutId } = newAccount('x');
    expect(_unused).toBe('x');
    const generated = await addAccount(db, withoutId);
    expect(generated.id).toMatch(/^[0-9a-f-]{36}$/);
    await expect(addAccount(db, newAccount('bad:id'))).rejects.toMatchObject({ code: 'STORE_INVALID' });
    await expect(addAccount(db, newAccount(generated.id))).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(await listAccounts(db)).toHaveLength(1);
    db.close();
  });

  it('lists accounts in the order they were added', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('second', { createdAt: 2 }));
    await addAccount(db, newAccount('first', { createdAt: 1 }));
    expect((await listAccounts(db)).map((a) => a.id)).toEqual(['first', 'second']);
    db.close();
  });

  it('updates settings but never the id or creation time', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    const updated = await updateAccount(db, A, { name: 'Work', port: 110, security: 'starttls' });
    expect(updated).toMatchObject({ id: A, name: 'Work', port: 110, security: 'starttls' });
    expect(await getAccount(db, A)).toEqual(updated);
    await expect(updateAccount(db, B, { name: 'nobody' })).rejects.toBeInstanceOf(StoreError);
    await expect(updateAccount(db, B, { name: 'nobody' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    db.close();
  });

  it('records sync results; the first success sets firstSyncDone, a later failure keeps it', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await recordSyncResult(db, A, { at: 1, ok: false, errorCode: 'AUTH_FAILED', message: '[AUTH] bad password' });
    expect(await getAccount(db, A)).toMatchObject({ firstSyncDone: false, lastSync: { ok: false } });
    await recordSyncResult(db, A, { at: 2, ok: true });
    await recordSyncResult(db, A, { at: 3, ok: false, errorCode: 'IN_USE' });
    expect(await getAccount(db, A)).toMatchObject({ firstSyncDone: true, lastSync: { at: 3, errorCode: 'IN_USE' } });
    await expect(recordSyncResult(db, B, { at: 4, ok: true })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    db.close();
  });

  it('removes an account with its messages, bodies, state and folders, and nothing of another account', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    await addAccount(db, newAccount('acct-ab'));
    const AB = accountId('acct-ab');
    for (const id of [A, AB]) {
      await applySyncBatch(db, id, {
        ...previewBatch(10, 3),
        wholes: [wholeItem('w', bytesOf(5))],
        adopted: [{ ref: ref('old'), size: 1, firstSeen: 10 }],
      });
    }
    await removeAccount(db, A);
    expect(await getAccount(db, A)).toBeUndefined();
    expect(await listFolders(db, A)).toEqual([]);
    expect(await loadSyncState(db, A)).toEqual([]);
    expect((await db.messages.toArray()).every((m) => m.accountId === AB)).toBe(true);
    expect(await db.messages.count()).toBe(4);
    expect(await db.bodies.count()).toBe(1);
    expect(await readBody(db, messageKey('acct-ab:0:w'))).toEqual(bytesOf(5));
    expect(await loadSyncState(db, AB)).toHaveLength(5);
    await removeAccount(db, A); // idempotent
    db.close();
  });

  it('refuses a sync batch for an account that was removed meanwhile', async () => {
    const db = await openTestDb();
    await expect(applySyncBatch(db, A, previewBatch(1, 2))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    await expect(applySyncBatch(db, A, emptyBatch(1))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    expect(await db.messages.count()).toBe(0);
    db.close();
  });
});
