/**
 * What the scheduler and the executor tell the window about each account: the progress of a run and the
 * account's status. Plain data, shared by main/ (which produces it) and renderer/ (which shows it).
 */
import type { ErrorData } from '../errors.ts';
import type { AccountId, RunId } from '../ids.ts';

export type SyncPhase = 'connecting' | 'authenticating' | 'listing' | 'downloading' | 'deleting' | 'finishing';

export interface SyncProgress {
  readonly accountId: AccountId;
  readonly runId: RunId;
  readonly phase: SyncPhase;
  /** Messages done of `total` in this phase. */
  readonly done: number;
  readonly total: number;
  /** Bytes received of `totalBytes` expected (from LIST) in this phase. */
  readonly bytes: number;
  readonly totalBytes: number;
}

export type AccountActivity =
  | 'idle'
  | 'queued'
  | 'running'
  /** A temporary failure; the next try is at `nextCheckAt`. */
  | 'retrying'
  /** A failure only the user can fix (password, certificate, policy); no automatic check until then. */
  | 'needs-user'
  | 'offline';

export interface AccountStatus {
  readonly accountId: AccountId;
  readonly activity: AccountActivity;
  readonly lastCheck?: { readonly at: number; readonly ok: boolean; readonly error?: ErrorData };
  /** When the next automatic check will run, if one is planned. */
  readonly nextCheckAt?: number;
  /** No connection before this time (LOGIN-DELAY). */
  readonly notBefore?: number;
  readonly retryAttempt: number;
}
