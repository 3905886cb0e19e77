/**
 * The window's side of syncing. The store in this window is the single source of truth for mail (design brief,
 * "Where state lives"); main keeps none. So the window:
 * - answers main's store requests: the sync state of an account, and each batch of a run, committed before the
 *   answer goes back (main sends DELE only after that: no loss); batches are written by the store's worker in the
 *   app (store/sync-writer.ts), so a large first check does not block the window;
 * - tells main which accounts to schedule, whenever the accounts in the store change (settings only, no secret);
 * - records how each run ended with the account, so its status survives a restart;
 * - announces new mail when the window is hidden.
 */
import { toErrorData } from '../app/errors.ts';
import type { AccountConfig, MainApi, SyncOutcomeEvent } from '../app/ipc/contract.ts';
import { toAccountConfig } from './accounts/account-form.ts';
import { watchAccounts } from './store/hooks.ts';
import {
  getAccount,
  isStoreError,
  loadSyncSnapshot,
  recordSyncResult,
  type AccountRecord,
  type PoplarDb,
  type SyncOutcome,
} from './store/index.ts';
import { inThreadWriter, type SyncWriter } from './store/sync-writer.ts';

/** Shows "new mail" to the user; the window's implementation uses the Web Notification API. */
export interface NewMailNotifier {
  /** Whether the user is looking elsewhere (the window is hidden or minimized): only then is a notice shown. */
  isHidden(): boolean;
  notify(title: string, body: string): void;
}

export interface SyncHostOptions {
  readonly api: MainApi;
  readonly db: PoplarDb;
  /** Where sync batches are written: the store's worker in the app; this thread when not given. */
  readonly writer?: SyncWriter;
  readonly notifier?: NewMailNotifier;
  /** A problem with no better place to go (main refused the accounts, the store failed to record). */
  readonly onProblem?: (problem: ReturnType<typeof toErrorData>) => void;
  readonly now?: () => number;
}

export interface SyncHost {
  /** Resolves once main has been sent the accounts the store held at start. */
  readonly ready: Promise<void>;
  stop(): void;
}

/** The run's ending as stored with the account: the server's own words when it gave some. */
export function outcomeRecord(event: SyncOutcomeEvent, at: number): SyncOutcome {
  if (event.ok || event.error === undefined) return { at, ok: event.ok };
  return { at, ok: false, errorCode: event.error.code, message: event.error.details.serverText ?? event.error.message };
}

export function newMailText(account: Pick<AccountRecord, 'name'>, count: number): { title: string; body: string } {
  return {
    title: count === 1 ? 'New message' : `${count.toLocaleString('en')} new messages`,
    body: `in ${account.name}`,
  };
}

function checksByItself(config: AccountConfig): boolean {
  return config.policy.schedule.atStartup || config.policy.schedule.everyMinutes !== null;
}

export function startSyncHost(options: SyncHostOptions): SyncHost {
  const { api, db } = options;
  const writer = options.writer ?? inThreadWriter(db);
  const now = options.now ?? Date.now;
  const problem = (e: unknown) => options.onProblem?.(toErrorData(e));

  const offs: Array<() => void> = [
    api.serve('store:load-sync-state', ({ accountId }) => loadSyncSnapshot(db, accountId)),
    api.serve('store:apply-sync-batch', async ({ accountId, batch }) => {
      await writer.applySyncBatch(accountId, batch);
      return null;
    }),
  ];

  // Main is told only when what it needs changed: recording an outcome changes the account record, not its config.
  let sent: string | undefined;
  /** The accounts main has been told about; undefined until the first configure (those are not new). */
  let known: ReadonlySet<string> | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const configure = async (accounts: readonly AccountRecord[]) => {
    const configs: AccountConfig[] = [];
    for (const account of accounts) {
      const config = toAccountConfig(account);
      if (config !== undefined) configs.push(config);
      else problem(new Error(`The settings of account "${account.name}" are not valid; it is not checked.`));
    }
    const text = JSON.stringify(configs);
    if (text === sent) return;
    sent = text;
    const result = await api.invoke('accounts:configure', { accounts: configs });
    if (!result.ok) {
      sent = undefined;
      options.onProblem?.(result.error);
      return;
    }
    // An account just added is checked at once when it is meant to be checked automatically at all; main knows
    // it only now, after configure.
    const fresh = known === undefined ? [] : configs.filter((c) => !known?.has(c.id) && checksByItself(c));
    known = new Set(configs.map((c) => c.id));
    for (const config of fresh) {
      const run = await api.invoke('sync:send-receive', { accountId: config.id });
      if (!run.ok) options.onProblem?.(run.error);
    }
  };
  let configuring = Promise.resolve();
  offs.push(
    watchAccounts(
      db,
      (accounts) => {
        // One configure at a time, in the order the changes came.
        configuring = configuring.then(() => configure(accounts)).catch(problem).finally(markReady);
      },
      problem,
    ),
  );

  const record = async (event: SyncOutcomeEvent) => {
    try {
      await recordSyncResult(db, event.accountId, outcomeRecord(event, now()));
    } catch (e) {
      // The account was removed while it synced: nothing to record.
      if (isStoreError(e) && e.storeCode === 'NOT_FOUND') return;
      throw e;
    }
    if (event.ok && event.newMessages > 0 && options.notifier?.isHidden() === true) {
      const account = await getAccount(db, event.accountId);
      if (account !== undefined) {
        const { title, body } = newMailText(account, event.newMessages);
        options.notifier.notify(title, body);
      }
    }
  };
  offs.push(api.on('sync:outcome', (event) => void record(event).catch(problem)));

  return {
    ready,
    stop() {
      for (const off of offs.splice(0)) off();
      writer.close();
    },
  };
}
