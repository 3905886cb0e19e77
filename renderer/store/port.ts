/**
 * The store as the sync executor sees it (SyncStorePort, app/sync/batch.ts). In the app the executor reaches it
 * over IPC; in tests it is called directly.
 */
import type { AccountId } from '../../app/ids.ts';
import type { SyncStateSnapshot, SyncStorePort } from '../../app/sync/batch.ts';
import type { PoplarDb } from './db.ts';
import { guarded, storeError } from './errors.ts';
import { loadSyncState } from './queries.ts';
import { applySyncBatch } from './sync-batch.ts';

/** An account's state and whether its first complete sync is still to come, read in one transaction. */
export function loadSyncSnapshot(db: PoplarDb, accountId: AccountId): Promise<SyncStateSnapshot> {
  return guarded('loading the sync state', () =>
    db.transaction('r', [db.accounts, db.pop3State], async () => {
      const account = await db.accounts.get(accountId);
      if (account === undefined) throw storeError('NOT_FOUND', `account ${accountId} does not exist`);
      const state = await loadSyncState(db, accountId);
      return { state, firstSync: !account.firstSyncDone };
    }),
  );
}

export function syncStorePort(db: PoplarDb): SyncStorePort {
  return {
    loadSyncState: (accountId) => loadSyncSnapshot(db, accountId),
    applySyncBatch: async (accountId, batch) => {
      await applySyncBatch(db, accountId, batch);
    },
  };
}
