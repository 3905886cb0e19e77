/**
 * The sync executor: one run for one account. Connect, log in, list, plan (app/sync/planner.ts), carry the plan
 * out in one pipelined session, writing to the store in batches as results arrive, and only then delete.
 *
 * The order is what keeps the invariants (design.md):
 * - every fetched message reaches the store in a batch, and `applySyncBatch` resolves only once it is durable;
 * - DELE goes out only for messages whose content was committed (or that the user deleted for good);
 * - QUIT — the only thing that makes a server apply DELEs (RFC 1939 §6) — goes out after the last batch. If the
 *   store refuses a write, the session is dropped without QUIT: nothing is deleted, and the next run starts clean.
 */
import type { ErrorData } from '../../app/errors.ts';
import { isMailError, mailError, toErrorData } from '../../app/errors.ts';
import { runId as makeRunId, type AccountId, type RunId } from '../../app/ids.ts';
import { extractPreview } from '../../app/mail/preview.ts';
import type { SyncBatch, SyncStorePort } from '../../app/sync/batch.ts';
import { emptyBatch } from '../../app/sync/batch.ts';
import {
  matchMigration,
  plan,
  type Plan,
  type PlanNotice,
  type ServerListing,
  type SyncAction,
} from '../../app/sync/planner.ts';
import type { AccountPolicy } from '../../app/sync/policy.ts';
import { refKey, type UidRecord } from '../../app/sync/state.ts';
import { SILENT_LOGGER, type Logger } from '../log.ts';
import type { Credentials } from '../pop3/auth.ts';
import type { Pop3Timeouts, Security, TlsTrust } from '../pop3/connection.ts';
import { Pop3Session } from '../pop3/session.ts';
import { ProgressReporter, type SyncProgress } from './progress.ts';

export interface SyncAccount {
  readonly id: AccountId;
  readonly host: string;
  readonly port: number;
  readonly security: Security;
  readonly tls?: TlsTrust;
  readonly credentials: Credentials;
  readonly policy: AccountPolicy;
  readonly timeouts?: Partial<Pop3Timeouts>;
  readonly pipelining?: 'auto' | 'off';
}

export interface SyncOptions {
  readonly now: () => number;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** At most one progress event per this many ms while messages come down (default 100): a bar, not a flood. */
  readonly progressIntervalMs?: number;
  readonly logger?: Logger;
  /** Messages per store batch; a batch is also flushed past `batchBytes`. */
  readonly batchSize?: number;
  readonly batchBytes?: number;
  readonly migrationConfirmed?: boolean;
  readonly runId?: RunId;
  /**
   * How long the store may take to confirm one read or write. In the app the store lives in the renderer: if it
   * crashes mid-sync, its answer never comes, and the run must end (without QUIT) rather than wait forever.
   */
  readonly storeTimeoutMs?: number;
}

export interface SyncCounts {
  previews: number;
  wholes: number;
  adopted: number;
  deleted: number;
  gone: number;
  refused: number;
}

export type SyncOutcome =
  | {
      readonly ok: true;
      readonly runId: RunId;
      readonly counts: SyncCounts;
      readonly notices: readonly PlanNotice[];
      /** RFC 2449 LOGIN-DELAY from CAPA, for the scheduler. */
      readonly loginDelaySeconds?: number;
      /** A suspected migration left messages unmatched: the user must confirm before they are fetched. */
      readonly needsConfirmation?: { readonly matched: number; readonly unmatched: number };
    }
  | {
      readonly ok: false;
      readonly runId: RunId;
      readonly error: ErrorData;
      readonly counts: SyncCounts;
      readonly loginDelaySeconds?: number;
    };

/** Messages per batch by default: the first batch is small, so a first check shows mail at once; then it doubles. */
const FIRST_BATCH_SIZE = 100;
const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_STORE_TIMEOUT_MS = 120_000;
const DEFAULT_BATCH_BYTES = 8 * 1024 * 1024;
let runCounter = 0;

export async function runSync(account: SyncAccount, rawStore: SyncStorePort, options: SyncOptions): Promise<SyncOutcome> {
  const store = withDeadline(rawStore, options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS);
  const runId = options.runId ?? makeRunId(`${account.id}#${Date.now().toString(36)}${(++runCounter).toString(36)}`);
  const log = (options.logger ?? SILENT_LOGGER).child({ account: account.id, run: runId });
  const progress = new ProgressReporter(account.id, runId, options.onProgress, options.progressIntervalMs);
  const counts: SyncCounts = { previews: 0, wholes: 0, adopted: 0, deleted: 0, gone: 0, refused: 0 };
  let session: Pop3Session | undefined;
  let run: Run | undefined;
  let loginDelaySeconds: number | undefined;
  try {
    // The state comes first: if the store cannot answer, nothing connects.
    const snapshot = await store.loadSyncState(account.id);
    progress.phase('connecting');
    session = await Pop3Session.connect({
      host: account.host,
      port: account.port,
      security: account.security,
      tls: account.tls,
      timeouts: account.timeouts,
      logger: log,
      pipelining: account.pipelining,
    });
    progress.phase('authenticating');
    await session.authenticate(account.credentials);
    loginDelaySeconds = session.capabilities.loginDelay?.seconds;
    progress.phase('listing');
    const list = await session.list();
    const uidl = await listUnique(session);
    const supportsTop = await topSupported(session, account.policy, list);
    run = new Run(account, store, session, progress, counts, options, log, runId);
    const outcome = await run.execute(snapshot.state, snapshot.firstSync, {
      uidl,
      list,
      supportsTop,
    });
    progress.phase('finishing');
    await session.quit();
    log.info('sync done', { ...counts });
    return { ok: true, runId, counts, loginDelaySeconds, ...outcome };
  } catch (e) {
    // No QUIT: a server enters UPDATE only on QUIT, so every DELE of this session is void (RFC 1939 §6).
    session?.abort('The sync run failed.');
    const error = toErrorData(e);
    if (run !== undefined && !error.code.startsWith('STORE_')) {
      // Messages that arrived whole before the connection broke are kept, so a flaky link still makes progress.
      // Nothing is deleted on this path: the session is gone.
      await run.salvage().catch((salvageError: unknown) => {
        log.warn('could not keep what arrived before the failure', { message: toErrorData(salvageError).message });
      });
    }
    log.warn('sync failed', { code: error.code, message: error.message });
    if (!isMailError(e) && error.code === 'BUG') log.error('unexpected error in sync', { stack: String((e as Error).stack) });
    return { ok: false, runId, error, counts, loginDelaySeconds };
  }
}

/** The store port, with every call bounded in time: a store that never answers is a failed store. */
function withDeadline(store: SyncStorePort, ms: number): SyncStorePort {
  const bounded = <T>(what: string, work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(mailError('STORE_FAILED', `The local store did not confirm ${what} within ${Math.round(ms / 1000)} s.`));
      }, ms);
    });
    return Promise.race([work, deadline]).finally(() => {
      clearTimeout(timer);
    });
  };
  return {
    loadSyncState: (id) => bounded('reading the account state', store.loadSyncState(id)),
    applySyncBatch: (id, batch) => bounded('a write', store.applySyncBatch(id, batch)),
  };
}

/**
 * Whether TOP works. CAPA says so (RFC 2449 §6.2); a server without CAPA is asked once, with `TOP n 0` on the
 * first message, and only when the policy would use previews: an old server without TOP then gets whole
 * downloads instead of previews that never arrive.
 */
async function topSupported(
  session: Pop3Session,
  policy: AccountPolicy,
  list: ReadonlyArray<{ readonly n: number }>,
): Promise<boolean> {
  if (session.capabilities.supported) return session.capabilities.top;
  const first = list[0];
  if (policy.download.kind === 'whole' || first === undefined) return true;
  try {
    await session.top(first.n, 0);
    return true;
  } catch (e) {
    if (isMailError(e) && e.code === 'SERVER_ERROR') return false;
    throw e;
  }
}

/** UIDL, or undefined for a server that has none (RFC 1939 lists it as optional). */
async function listUnique(session: Pop3Session): Promise<Array<{ n: number; uid: string }> | undefined> {
  if (session.capabilities.supported && !session.capabilities.uidl) return undefined;
  try {
    return await session.uidl();
  } catch (e) {
    if (isMailError(e) && e.code === 'SERVER_ERROR') return undefined;
    throw e;
  }
}

interface RunResult {
  readonly notices: readonly PlanNotice[];
  readonly needsConfirmation?: { readonly matched: number; readonly unmatched: number };
}

/** The part of a run that has a session and a plan: fetch, commit in batches, then delete. */
class Run {
  private batch: MutableBatch;
  private batchCount = 0;
  private batchBytes = 0;
  /** Refs whose whole content is durably stored in this run: their `afterFetch` deletes may go. */
  private readonly committedWhole = new Set<string>();
  private readonly pendingWhole: string[] = [];
  private readonly maxBytes: number;
  /** The commit under way while the next batch is fetched, if any. */
  private committing: Promise<void> | undefined;
  private commits = 0;

  constructor(
    private readonly account: SyncAccount,
    private readonly store: SyncStorePort,
    private readonly session: Pop3Session,
    private readonly progress: ProgressReporter,
    private readonly counts: SyncCounts,
    private readonly options: SyncOptions,
    private readonly log: Logger,
    private readonly runId: RunId,
  ) {
    this.batch = mutableBatch(options.now());
    this.maxBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  }

  async execute(state: readonly UidRecord[], firstSync: boolean, server: ServerListing): Promise<RunResult> {
    const input = { server, state, policy: this.account.policy, now: this.options.now(), firstSync, migrationConfirmed: this.options.migrationConfirmed };
    let thePlan = plan(input);
    let needsConfirmation: RunResult['needsConfirmation'];
    if (thePlan.notices.some((n) => n.kind === 'migration-suspected')) {
      const resolved = await this.resolveMigration(thePlan, state);
      if (resolved.unmatched > Math.max(10, resolved.probed / 10)) {
        await this.flushAsync(false);
        await this.drain();
        return { notices: thePlan.notices, needsConfirmation: { matched: resolved.matched, unmatched: resolved.unmatched } };
      }
      // Matched messages now carry their new identities; plan again as an ordinary run.
      const fresh = await this.store.loadSyncState(this.account.id);
      const migrationNotices = thePlan.notices;
      thePlan = plan({ ...input, state: fresh.state, migrationConfirmed: true });
      // The user is still told that a migration was found and handled.
      thePlan = { ...thePlan, notices: [...migrationNotices, ...thePlan.notices] };
    }
    if (thePlan.refused) {
      const notice = thePlan.notices.find((n) => n.kind === 'uidl-required');
      throw mailError('NOT_SUPPORTED', notice?.kind === 'uidl-required' ? notice.reason : 'This account cannot sync with this server.');
    }
    this.applyStateActions(thePlan.actions);
    await this.fetchAll(thePlan.actions);
    await this.flushAsync(firstSync);
    await this.drain();
    await this.deleteAll(thePlan.actions);
    return { notices: thePlan.notices, needsConfirmation };
  }

  /** Reads the headers of the new messages and rebinds those that match a vanished known one. */
  private async resolveMigration(thePlan: Plan, state: readonly UidRecord[]): Promise<{ matched: number; unmatched: number; probed: number }> {
    const probes = thePlan.actions.filter((a): a is Extract<SyncAction, { kind: 'probe-headers' }> => a.kind === 'probe-headers');
    const byN = new Map(probes.map((p) => [p.n, p]));
    const probed: Array<{ n: number; ref: (typeof probes)[number]['ref']; size: number; messageId: string | undefined }> = [];
    this.progress.phase('downloading', probes.length, 0);
    await this.session.fetchMany('top', probes.map((p) => p.n), { lines: 0, onRefused: () => undefined }, (n, body) => {
      const p = byN.get(n);
      if (p !== undefined) probed.push({ n, ref: p.ref, size: p.size, messageId: extractPreview(body).messageId });
      this.progress.advance(1, body.length);
    });
    const listedKeys = new Set(thePlan.actions.map((a) => ('ref' in a ? refKey(a.ref) : '')));
    const vanished = state.filter((r) => r.onServer && !listedKeys.has(refKey(r)));
    const { rebind, unmatched } = matchMigration(vanished, probed);
    this.batch.rebinds.push(...rebind.map((r) => ({ from: { uid: r.from.uid, ordinal: r.from.ordinal }, to: r.to.ref, size: r.to.size })));
    await this.flushAsync(false);
    await this.drain();
    this.log.info('server migration handled', { matched: rebind.length, unmatched: unmatched.length });
    return { matched: rebind.length, unmatched: unmatched.length, probed: probed.length };
  }

  private applyStateActions(actions: readonly SyncAction[]): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'adopt':
          this.batch.adopted.push({ ref: a.ref, size: a.size, firstSeen: a.firstSeen });
          this.counts.adopted++;
          break;
        case 'mark-gone':
          this.batch.stateUpdates.push({ ref: a.ref, patch: { onServer: false } });
          this.counts.gone++;
          break;
        case 'mark-back':
          this.batch.stateUpdates.push({ ref: a.ref, patch: { onServer: true } });
          break;
        case 'forget':
          this.batch.forgotten.push(a.ref);
          break;
        case 'fetch-preview':
        case 'fetch-whole':
        case 'delete-on-server':
        case 'fetch-whole-then-delete':
        case 'probe-headers':
          break;
      }
    }
  }

  private async fetchAll(actions: readonly SyncAction[]): Promise<void> {
    const previews = new Map<number, Extract<SyncAction, { kind: 'fetch-preview' }>>();
    const wholes = new Map<number, Extract<SyncAction, { kind: 'fetch-whole' } | { kind: 'fetch-whole-then-delete' }>>();
    for (const a of actions) {
      if (a.kind === 'fetch-preview') previews.set(a.n, a);
      else if (a.kind === 'fetch-whole' || a.kind === 'fetch-whole-then-delete') wholes.set(a.n, a);
    }
    const total = previews.size + wholes.size;
    const totalBytes = [...wholes.values()].reduce((s, a) => s + a.size, 0);
    this.progress.phase('downloading', total, totalBytes);
    const refused = (): void => {
      // The message went away between LIST and now (another client): the next run's listing will say so.
      this.counts.refused++;
    };
    // Previews by number of lines (one policy gives one value; a changed policy may leave two).
    const byLines = new Map<number, number[]>();
    for (const a of previews.values()) byLines.set(a.lines, [...(byLines.get(a.lines) ?? []), a.n]);
    for (const [lines, numbers] of byLines) {
      await this.session.fetchMany('top', numbers, { lines, onRefused: refused }, async (n, body) => {
        const a = previews.get(n);
        if (a === undefined) return;
        this.batch.previews.push({ ref: a.ref, size: a.size, firstSeen: a.firstSeen, preview: extractPreview(body) });
        this.counts.previews++;
        this.progress.advance(1, 0);
        await this.maybeFlush(1, body.length);
      });
    }
    if (wholes.size > 0) {
      await this.session.fetchMany('retr', [...wholes.keys()], { onRefused: refused }, async (n, body) => {
        const a = wholes.get(n);
        if (a === undefined) return;
        // A whole message is read from its body: its record needs no copy of its first lines.
        const preview = extractPreview(body, { maxFirstLinesChars: 0 });
        if (a.kind === 'fetch-whole') {
          this.batch.wholes.push({ ref: a.ref, size: a.size, firstSeen: a.firstSeen, preview, bytes: body, keepOnServer: a.keepOnServer });
          this.pendingWhole.push(refKey(a.ref));
        } else {
          this.batch.unidentified.push({ id: `${this.runId}:${n}`, size: a.size, preview, bytes: body });
          this.pendingWhole.push(`#${n}`);
        }
        this.counts.wholes++;
        this.progress.advance(1, body.length);
        await this.maybeFlush(1, body.length);
      });
    }
    this.progress.flush();
  }

  private async maybeFlush(count: number, bytes: number): Promise<void> {
    this.batchCount += count;
    this.batchBytes += bytes;
    if (this.batchCount >= this.nextBatchSize() || this.batchBytes >= this.maxBytes) await this.flushAsync(false);
  }

  /** After a failure: commits what is complete in the batch (after the commit already under way, if any). */
  async salvage(): Promise<void> {
    await this.drain();
    this.flush(false);
    await this.drain();
  }

  /**
   * Hands the batch to the store. The commit runs while the next batch is fetched (the network and the store
   * overlap), but commits stay in order and at most one is under way: a second flush first waits for the one
   * before, so memory holds at most two batches, and a store failure stops the run at the next flush.
   */
  private async flushAsync(last: boolean): Promise<void> {
    await this.drain();
    this.flush(last);
  }

  /** Starts committing the current batch; `drain` waits for it. Call only when no commit is under way. */
  private flush(last: boolean): void {
    const b = this.batch;
    const empty =
      b.previews.length + b.wholes.length + b.adopted.length + b.stateUpdates.length + b.forgotten.length + b.rebinds.length + b.unidentified.length === 0;
    if (empty && !last) return;
    const out: SyncBatch = { ...b, firstSyncDone: last ? true : undefined };
    this.batch = mutableBatch(this.options.now());
    this.batchCount = 0;
    this.batchBytes = 0;
    this.commits += 1;
    const committing = this.pendingWhole.splice(0);
    const commit = this.store.applySyncBatch(this.account.id, out).then(() => {
      // Only now are these whole messages durable, and so eligible for DELE.
      for (const key of committing) this.committedWhole.add(key);
    });
    // Handled here so a failure while the next batch is fetched is not an unhandled rejection; `drain` rethrows it.
    commit.catch(() => undefined);
    this.committing = commit;
  }

  /** Waits for the commit under way, if any; rethrows its failure. */
  private async drain(): Promise<void> {
    const commit = this.committing;
    this.committing = undefined;
    await commit;
  }

  /** The batch size for the next commit: small at first, so the first messages show at once, then larger. */
  private nextBatchSize(): number {
    if (this.options.batchSize !== undefined) return this.options.batchSize;
    return Math.min(DEFAULT_BATCH_SIZE, FIRST_BATCH_SIZE * 2 ** this.commits);
  }

  private async deleteAll(actions: readonly SyncAction[]): Promise<void> {
    const numbers: number[] = [];
    for (const a of actions) {
      if (a.kind === 'delete-on-server') {
        // No loss: an afterFetch delete goes only if this run committed the message whole.
        if (!a.afterFetch || this.committedWhole.has(refKey(a.ref))) numbers.push(a.n);
      } else if (a.kind === 'fetch-whole-then-delete' && this.committedWhole.has(`#${a.n}`)) {
        numbers.push(a.n);
      }
    }
    if (numbers.length === 0) return;
    this.progress.phase('deleting', numbers.length, 0);
    const refused = await this.session.deleMany(numbers);
    this.counts.deleted += numbers.length - refused.size;
    this.progress.advance(numbers.length, 0);
    this.progress.flush();
  }
}

interface MutableBatch {
  now: number;
  previews: Array<SyncBatch['previews'][number]>;
  wholes: Array<SyncBatch['wholes'][number]>;
  adopted: Array<SyncBatch['adopted'][number]>;
  stateUpdates: Array<SyncBatch['stateUpdates'][number]>;
  forgotten: Array<SyncBatch['forgotten'][number]>;
  rebinds: Array<NonNullable<SyncBatch['rebinds']>[number]>;
  unidentified: Array<NonNullable<SyncBatch['unidentified']>[number]>;
}

function mutableBatch(now: number): MutableBatch {
  const b = emptyBatch(now);
  return { ...b, previews: [], wholes: [], adopted: [], stateUpdates: [], forgotten: [], rebinds: [], unidentified: [] };
}
