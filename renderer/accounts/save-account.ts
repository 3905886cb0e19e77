/**
 * Saving the account dialog: the settings to the store, the password to main's vault. The password goes first, so
 * that main never schedules a new account it has no password for (the sync host configures main as soon as the
 * account appears in the store).
 */
import type { ErrorData } from '../../app/errors.ts';
import { toErrorData } from '../../app/errors.ts';
import type { AccountId } from '../../app/ids.ts';
import type { MainApi } from '../../app/ipc/contract.ts';
import { addAccount, removeAccount, updateAccount, type AccountRecord, type PoplarDb } from '../store/index.ts';
import type { AccountSettings, ValidAccount } from './account-form.ts';

/** The store's account writes, as the dialog uses them (bound to the db in the window, fakes in tests). */
export interface AccountWrites {
  add(id: AccountId, settings: AccountSettings): Promise<AccountRecord>;
  update(id: AccountId, settings: AccountSettings): Promise<AccountRecord>;
  remove(id: AccountId): Promise<void>;
}

export function storeAccountWrites(db: PoplarDb): AccountWrites {
  return {
    add: (id, settings) => addAccount(db, { ...settings, id }),
    update: (id, settings) => updateAccount(db, id, settings),
    remove: (id) => removeAccount(db, id),
  };
}

export type SaveResult = { readonly ok: true; readonly account: AccountRecord } | { readonly ok: false; readonly error: ErrorData };

export async function saveAccount(
  writes: AccountWrites,
  api: Pick<MainApi, 'invoke'>,
  id: AccountId,
  isNew: boolean,
  valid: ValidAccount,
): Promise<SaveResult> {
  try {
    if (valid.password !== undefined) {
      const secret = await api.invoke('accounts:set-secret', { accountId: id, password: valid.password });
      if (!secret.ok) return { ok: false, error: secret.error };
    }
    const account = isNew ? await writes.add(id, valid.settings) : await writes.update(id, valid.settings);
    // A new password is usually the answer to a refused login, after which main checks no more by itself: check
    // now. (A new account is checked by the sync host, once main knows it.) The outcome shows in its status.
    if (!isNew && valid.password !== undefined) await api.invoke('sync:send-receive', { accountId: id });
    return { ok: true, account };
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  }
}

/** Removes an account and its mail from this computer, and its password from main. */
export async function removeAccountEverywhere(
  writes: AccountWrites,
  api: Pick<MainApi, 'invoke'>,
  id: AccountId,
): Promise<ErrorData | undefined> {
  try {
    await writes.remove(id);
    const forgotten = await api.invoke('accounts:forget-secret', { accountId: id });
    return forgotten.ok ? undefined : forgotten.error;
  } catch (e) {
    return toErrorData(e);
  }
}
