/**
 * Where the batches of a sync run are written. The design brief asks that bulk store work not block the window:
 * a first check of 10,000 previews is tens of thousands of IndexedDB requests, and on the window's thread every
 * one of them competes with painting and input. So in the app a dedicated worker owns sync writes
 * (sync-worker.ts) and the window reads through Dexie's live queries, which hear of the worker's commits through
 * Dexie's BroadcastChannel.
 *
 * The worker runs the very same `applySyncBatch` on its own connection to the same database, so every guarantee
 * holds unchanged: one transaction per batch, exactly once, durable ('strict') before the answer goes back. A
 * failure comes back as the same typed error (its code, message and details cross as ErrorData).
 *
 * If the worker cannot start or dies (a missing file, a crash), the batches it had not answered are written on the
 * window's thread instead, in their order, and so is every later batch: an unanswered batch was never committed
 * (its transaction died with the worker), and applying a batch is idempotent, so nothing is lost or doubled.
 */
import type { ErrorData } from '../../app/errors.ts';
import { BugError, MAIL_ERROR_CODES, mailError } from '../../app/errors.ts';
import type { AccountId } from '../../app/ids.ts';
import type { SyncBatch } from '../../app/sync/batch.ts';
import type { PoplarDb } from './db.ts';
import { applySyncBatch } from './sync-batch.ts';

export interface SyncWriter {
  applySyncBatch(accountId: AccountId, batch: SyncBatch): Promise<void>;
  /** Stops the worker, if any; later calls are written on this thread. */
  close(): void;
}

/** What the window sends the worker: one batch to store in the named database. */
export interface SyncWriteRequest {
  readonly id: number;
  readonly dbName: string;
  readonly accountId: AccountId;
  readonly batch: SyncBatch;
}

export type SyncWriteReply =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: false; readonly error: ErrorData };

/** The part of a Web Worker the writer uses (a fake in tests). */
export interface WorkerPort {
  postMessage(message: SyncWriteRequest): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: string }) => void): void;
  terminate(): void;
}

/** Writes on the calling thread: in tests, and where no worker can run. */
export function inThreadWriter(db: PoplarDb): SyncWriter {
  return {
    applySyncBatch: async (accountId, batch) => {
      await applySyncBatch(db, accountId, batch);
    },
    close: () => undefined,
  };
}

const KNOWN_CODES: ReadonlySet<string> = new Set(MAIL_ERROR_CODES);

/** The typed error an ErrorData stands for, so the executor sees the store's own code (STORE_QUOTA, …). */
export function errorFromData(data: ErrorData): Error {
  if (data.code !== 'BUG' && KNOWN_CODES.has(data.code)) return mailError(data.code, data.message, data.details);
  return new BugError(data.message);
}

function isReply(data: unknown): data is SyncWriteReply {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as { id?: unknown; ok?: unknown; error?: unknown };
  return typeof r.id === 'number' && (r.ok === true || (r.ok === false && typeof r.error === 'object' && r.error !== null));
}

interface Pending {
  readonly request: SyncWriteRequest;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Writes through `worker`; `fallback` takes over (see the module comment) when the worker fails. `onProblem`
 * hears why, once.
 */
export function workerWriter(
  worker: WorkerPort,
  dbName: string,
  fallback: SyncWriter,
  onProblem: (message: string) => void = () => undefined,
): SyncWriter {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let broken = false;

  const viaFallback = (p: Pending): void => {
    fallback.applySyncBatch(p.request.accountId, p.request.batch).then(p.resolve, p.reject);
  };
  const giveUp = (why: string): void => {
    if (broken) return;
    broken = true;
    worker.terminate();
    onProblem(`The background store writer stopped (${why}); sync writes continue in the window.`);
    // In the order they were sent: batches of one run must commit in order.
    const unanswered = [...pending.values()].sort((a, b) => a.request.id - b.request.id);
    pending.clear();
    for (const p of unanswered) viaFallback(p);
  };

  worker.addEventListener('message', (event) => {
    const reply = event.data;
    if (!isReply(reply)) {
      giveUp('it sent a message that is not a reply');
      return;
    }
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve();
    else p.reject(errorFromData(reply.error));
  });
  worker.addEventListener('error', (event) => {
    giveUp(event.message ?? 'it failed to load or crashed');
  });

  return {
    applySyncBatch: (accountId, batch) =>
      new Promise<void>((resolve, reject) => {
        const p: Pending = { request: { id: nextId++, dbName, accountId, batch }, resolve, reject };
        if (broken) {
          viaFallback(p);
          return;
        }
        pending.set(p.request.id, p);
        try {
          worker.postMessage(p.request);
        } catch (e) {
          // A batch that cannot be cloned would fail the same way anywhere: report it, keep the worker.
          pending.delete(p.request.id);
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }),
    close: () => {
      if (!broken) {
        broken = true;
        worker.terminate();
      }
      const unanswered = [...pending.values()];
      pending.clear();
      for (const p of unanswered) viaFallback(p);
    },
  };
}
