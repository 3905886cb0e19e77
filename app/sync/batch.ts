/**
 * What the sync executor asks the store to write, in one transaction per batch, and the port through which it
 * asks. In the app the port is the renderer's store behind IPC; in tests it is the same store called directly.
 */
import type { AccountId } from '../ids.ts';
import type { MessagePreview } from '../mail/types.ts';
import type { ServerMessageRef, UidRecord } from './state.ts';

export interface PreviewWrite {
  readonly ref: ServerMessageRef;
  readonly size: number;
  readonly firstSeen: number;
  readonly preview: MessagePreview;
}

export interface WholeWrite extends PreviewWrite {
  /** The raw RFC 5322 bytes, as RETR delivered them (possibly in chunks). */
  readonly bytes: Uint8Array | readonly Uint8Array[];
  /** "Download a copy": the server copy stays whatever the policy. */
  readonly keepOnServer: boolean;
}

export interface AdoptWrite {
  readonly ref: ServerMessageRef;
  readonly size: number;
  readonly firstSeen: number;
}

export interface StateUpdate {
  readonly ref: ServerMessageRef;
  readonly patch: Partial<Pick<UidRecord, 'onServer' | 'mark' | 'keepOnServer' | 'deletion' | 'size'>>;
}

/** After a server migration, a known message found again under a new unique-id (matched by Message-ID and size). */
export interface Rebind {
  readonly from: ServerMessageRef;
  readonly to: ServerMessageRef;
  readonly size: number;
}

/** A message from a server without UIDL: stored as a new message with no server identity. */
export interface UnidentifiedWrite {
  /**
   * Unique to this message in this run (the executor's run id and the message number): the store keys on it, so
   * re-applying a batch writes nothing twice, and two messages can never share a key.
   */
  readonly id: string;
  readonly size: number;
  readonly preview: MessagePreview;
  readonly bytes: Uint8Array | readonly Uint8Array[];
}

export interface SyncBatch {
  /** The executor's clock for this batch: `receivedAt` of new messages. */
  readonly now: number;
  readonly previews: readonly PreviewWrite[];
  readonly wholes: readonly WholeWrite[];
  readonly adopted: readonly AdoptWrite[];
  readonly stateUpdates: readonly StateUpdate[];
  readonly forgotten: readonly ServerMessageRef[];
  readonly rebinds?: readonly Rebind[];
  readonly unidentified?: readonly UnidentifiedWrite[];
  /** Set on the last batch of the account's first complete sync ("start from now" applies only before it). */
  readonly firstSyncDone?: boolean;
}

export interface SyncStateSnapshot {
  readonly state: readonly UidRecord[];
  readonly firstSync: boolean;
}

/**
 * The store as the executor sees it. `applySyncBatch` resolves only once the batch is durably committed: the
 * executor sends DELE for a message only after that (no loss), and QUIT only after the last batch.
 */
export interface SyncStorePort {
  loadSyncState(accountId: AccountId): Promise<SyncStateSnapshot>;
  applySyncBatch(accountId: AccountId, batch: SyncBatch): Promise<void>;
}

export function emptyBatch(now: number): SyncBatch {
  return { now, previews: [], wholes: [], adopted: [], stateUpdates: [], forgotten: [] };
}
