/** Saving the dialog: the password goes to main before the account reaches the store (and main's schedule). */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import { checkAccountForm, emptyForm } from '../../../renderer/accounts/account-form.ts';
import { removeAccountEverywhere, saveAccount, storeAccountWrites } from '../../../renderer/accounts/save-account.ts';
import { getAccount, listFolders } from '../../../renderer/store/index.ts';
import { failure, fakeMain } from '../commands/fake-main.ts';
import { openTestDb } from '../store/helpers.ts';

const ID = accountId('new_1');

function valid(password: string) {
  const r = checkAccountForm(
    { ...emptyForm(), name: 'Home', email: 'me@example.org', host: 'pop.example.org', user: 'me', password },
    { id: ID, passwordRequired: password !== '' },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('saving an account', () => {
  it('hands the password to main, then adds the account with its folders', async () => {
    const db = await openTestDb();
    const main = fakeMain();
    const result = await saveAccount(storeAccountWrites(db), main, ID, true, valid('pw'));
    expect(result.ok).toBe(true);
    expect(main.calls).toEqual([{ channel: 'accounts:set-secret', payload: { accountId: ID, password: 'pw' } }]);
    const stored = await getAccount(db, ID);
    expect(stored?.name).toBe('Home');
    expect(JSON.stringify(stored)).not.toContain('"pw"');
    expect((await listFolders(db, ID)).map((f) => f.name)).toEqual(['Inbox', 'Deleted Items']);
  });

  it('adds nothing when main cannot keep the password', async () => {
    const db = await openTestDb();
    const main = fakeMain({ 'accounts:set-secret': () => failure('STORE_FAILED', 'vault locked') });
    const result = await saveAccount(storeAccountWrites(db), main, ID, true, valid('pw'));
    expect(result).toMatchObject({ ok: false, error: { message: 'vault locked' } });
    expect(await getAccount(db, ID)).toBeUndefined();
  });

  it('updates an account without touching the saved password when none was typed', async () => {
    const db = await openTestDb();
    const writes = storeAccountWrites(db);
    await saveAccount(writes, fakeMain(), ID, true, valid('pw'));
    const main = fakeMain();
    const edited = { ...valid(''), settings: { ...valid('').settings, name: 'Renamed', port: 1995 } };
    const result = await saveAccount(writes, main, ID, false, edited);
    expect(result.ok).toBe(true);
    expect(main.calls).toEqual([]);
    expect(await getAccount(db, ID)).toMatchObject({ name: 'Renamed', port: 1995 });
  });

  it('checks the account again at once after its password was replaced', async () => {
    const db = await openTestDb();
    const writes = storeAccountWrites(db);
    await saveAccount(writes, fakeMain(), ID, true, valid('old'));
    const main = fakeMain();
    await saveAccount(writes, main, ID, false, valid('new'));
    expect(main.calls.map((c) => c.channel)).toEqual(['accounts:set-secret', 'sync:send-receive']);
    expect(main.callsTo('sync:send-receive')).toEqual([{ accountId: ID }]);
  });

  it('reports a store failure as data', async () => {
    const db = await openTestDb();
    const result = await saveAccount(storeAccountWrites(db), fakeMain(), accountId('missing'), false, valid(''));
    expect(result).toMatchObject({ ok: false, error: { code: 'STORE_NOT_FOUND' } });
  });

  it('removes an account from the store and its password from main', async () => {
    const db = await openTestDb();
    const writes = storeAccountWrites(db);
    await saveAccount(writes, fakeMain(), ID, true, valid('pw'));
    const main = fakeMain();
    expect(await removeAccountEverywhere(writes, main, ID)).toBeUndefined();
    expect(await getAccount(db, ID)).toBeUndefined();
    expect(main.callsTo('accounts:forget-secret')).toEqual([{ accountId: ID }]);
  });
});
