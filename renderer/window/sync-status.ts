/**
 * What main says about syncing, kept for the window: each account's status (`sync:status`), the progress of its
 * current run (`sync:progress`), its last outcome (`sync:outcome`: notices, a migration waiting for the user's
 * word), and whether Poplar works offline (`sync:offline`). An external store for `useSyncExternalStore`: every
 * change makes a new, immutable snapshot.
 */
import type { AccountId } from '../../app/ids.ts';
import type { MainApi, SyncOutcomeEvent } from '../../app/ipc/contract.ts';
import type { AccountStatus, SyncProgress } from '../../app/sync/status.ts';

export interface AccountLive {
  readonly status?: AccountStatus;
  /** The current run's progress; cleared when the run ends. */
  readonly progress?: SyncProgress;
  readonly outcome?: SyncOutcomeEvent;
}

export interface SyncSnapshot {
  readonly offline: boolean;
  readonly accounts: ReadonlyMap<AccountId, AccountLive>;
}

export interface SyncStatusModel {
  readonly subscribe: (listener: () => void) => () => void;
  readonly getSnapshot: () => SyncSnapshot;
  /** The user answered a migration question: stop showing it. */
  clearConfirmation(accountId: AccountId): void;
  stop(): void;
}

const IDLE: SyncSnapshot = { offline: false, accounts: new Map() };

export function createSyncStatusModel(api: Pick<MainApi, 'on'>): SyncStatusModel {
  let snapshot = IDLE;
  const listeners = new Set<() => void>();

  const publish = (next: SyncSnapshot) => {
    snapshot = next;
    for (const listener of [...listeners]) listener();
  };
  const patch = (accountId: AccountId, change: (live: AccountLive) => AccountLive) => {
    const accounts = new Map(snapshot.accounts);
    accounts.set(accountId, change(accounts.get(accountId) ?? {}));
    publish({ ...snapshot, accounts });
  };
  const withoutProgress = (live: AccountLive): AccountLive => ({ ...live, progress: undefined });

  const offs = [
    api.on('sync:status', (status) => {
      patch(status.accountId, (live) => {
        const next = { ...live, status };
        return status.activity === 'running' ? next : withoutProgress(next);
      });
    }),
    api.on('sync:progress', (progress) => {
      patch(progress.accountId, (live) => ({ ...live, progress }));
    }),
    api.on('sync:outcome', (outcome) => {
      patch(outcome.accountId, (live) => withoutProgress({ ...live, outcome }));
    }),
    api.on('sync:offline', ({ offline }) => {
      if (offline !== snapshot.offline) publish({ ...snapshot, offline });
    }),
  ];

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    clearConfirmation(accountId) {
      const outcome = snapshot.accounts.get(accountId)?.outcome;
      if (outcome?.needsConfirmation === undefined) return;
      patch(accountId, (live) => ({ ...live, outcome: { ...outcome, needsConfirmation: undefined } }));
    },
    stop() {
      for (const off of offs) off();
      listeners.clear();
    },
  };
}
