/**
 * The sync writer: batches go to the store's worker and come back as the store's own typed errors; when the worker
 * fails, what it had not answered is written on this thread, in order, and nothing is lost or stored twice. The
 * worker here is a fake that runs the same applySyncBatch on its own connection to the same (fake) database; the
 * real worker runs in Chromium in the end-to-end tests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import { isMailError } from '../../../app/errors.ts';
import { addAccount, applySyncBatch, listMessages, type PoplarDb } from '../../../renderer/store/index.ts';
import {
  errorFromData,
  inThreadWriter,
  workerWriter,
  type SyncWriteReply,
  type SyncWriteRequest,
  type WorkerPort,
} from '../../../renderer/store/sync-writer.ts';
import { toErrorData } from '../../../app/errors.ts';
import { newAccount, newFactory, openTestDb, previewBatch } from './helpers.ts';

const A = accountId('a');
const NOW = Date.UTC(2026, 0, 5, 9);

/** A worker that stores each batch in `db` (its own connection) unless told to hold or to crash. */
class FakeWorker implements WorkerPort {
  readonly received: SyncWriteRequest[] = [];
  terminated = false;
  hold = false;
  private readonly held: SyncWriteRequest[] = [];
  private onMessage: ((event: { readonly data: unknown }) => void) | undefined;
  private onError: ((event: { readonly message?: string }) => void) | undefined;

  constructor(private readonly db: PoplarDb) {}

  postMessage(message: SyncWriteRequest): void {
    this.received.push(message);
    if (this.hold) this.held.push(message);
    else void this.answer(message);
  }

  addEventListener(type: 'message' | 'error', listener: (event: never) => void): void {
    if (type === 'message') this.onMessage = listener as (event: { readonly data: unknown }) => void;
    else this.onError = listener as (event: { readonly message?: string }) => void;
  }

  terminate(): void {
    this.terminated = true;
  }

  crash(message: string): void {
    this.onError?.({ message });
  }

  send(data: unknown): void {
    this.onMessage?.({ data });
  }

  private async answer(request: SyncWriteRequest): Promise<void> {
    let reply: SyncWriteReply;
    try {
      await applySyncBatch(this.db, request.accountId, request.batch);
      reply = { id: request.id, ok: true };
    } catch (e) {
      reply = { id: request.id, ok: false, error: toErrorData(e) };
    }
    if (!this.terminated) this.onMessage?.({ data: reply });
  }
}

const dbs: PoplarDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

async function setUp(): Promise<{ window: PoplarDb; workerDb: PoplarDb }> {
  const factory = newFactory();
  const window = await openTestDb(factory);
  // The worker's own connection to the same database.
  const workerDb = await openTestDb(factory);
  dbs.push(window, workerDb);
  await addAccount(window, newAccount(A));
  return { window, workerDb };
}

describe('the worker writer', () => {
  it('stores batches through the worker and resolves once each is committed', async () => {
    const { window, workerDb } = await setUp();
    const worker = new FakeWorker(workerDb);
    const writer = workerWriter(worker, 'poplar-test', inThreadWriter(window));
    await writer.applySyncBatch(A, previewBatch(NOW, 3));
    await writer.applySyncBatch(A, previewBatch(NOW, 2, 'second-'));
    expect(worker.received.map((r) => [r.id, r.dbName, r.batch.previews.length])).toEqual([
      [1, 'poplar-test', 3],
      [2, 'poplar-test', 2],
    ]);
    expect(await listMessages(window, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'asc', offset: 0, limit: 10 })).toHaveLength(5);
  });

  it("a refused batch rejects with the store's own typed error", async () => {
    const { window, workerDb } = await setUp();
    const writer = workerWriter(new FakeWorker(workerDb), 'poplar-test', inThreadWriter(window));
    const refused = writer.applySyncBatch(accountId('gone'), previewBatch(NOW, 1));
    await expect(refused).rejects.toSatisfy((e: unknown) => isMailError(e) && e.code === 'STORE_NOT_FOUND');
  });

  it('when the worker dies, the unanswered batches are written here, in order, and so is every later one', async () => {
    const { window, workerDb } = await setUp();
    const worker = new FakeWorker(workerDb);
    worker.hold = true;
    const problems: string[] = [];
    const writer = workerWriter(worker, 'poplar-test', inThreadWriter(window), (p) => problems.push(p));
    const first = writer.applySyncBatch(A, previewBatch(NOW, 2, 'one-'));
    const second = writer.applySyncBatch(A, previewBatch(NOW, 2, 'two-'));
    worker.crash('out of memory');
    await Promise.all([first, second]);
    await writer.applySyncBatch(A, previewBatch(NOW, 1, 'three-'));
    expect(worker.terminated).toBe(true);
    expect(worker.received).toHaveLength(2);
    expect(problems).toEqual([expect.stringContaining('out of memory')]);
    const stored = await listMessages(window, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'asc', offset: 0, limit: 10 });
    expect(stored.map((m) => m.uid).sort()).toEqual(['one-0', 'one-1', 'three-0', 'two-0', 'two-1']);
  });

  it('a batch the worker committed but never answered is not stored twice when written again here', async () => {
    const { window, workerDb } = await setUp();
    const worker = new FakeWorker(workerDb);
    const writer = workerWriter(worker, 'poplar-test', inThreadWriter(window));
    const batch = previewBatch(NOW, 3);
    // The worker commits, then dies before its answer arrives.
    await applySyncBatch(workerDb, A, batch);
    worker.hold = true;
    const pending = writer.applySyncBatch(A, batch);
    worker.crash('killed');
    await pending;
    expect(await listMessages(window, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'asc', offset: 0, limit: 10 })).toHaveLength(3);
  });

  it('a worker that answers with garbage is given up on, and the batch is still stored', async () => {
    const { window, workerDb } = await setUp();
    const worker = new FakeWorker(workerDb);
    worker.hold = true;
    const writer = workerWriter(worker, 'poplar-test', inThreadWriter(window));
    const pending = writer.applySyncBatch(A, previewBatch(NOW, 1));
    worker.send({ nonsense: true });
    await pending;
    expect(worker.terminated).toBe(true);
    expect(await listMessages(window, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'asc', offset: 0, limit: 10 })).toHaveLength(1);
  });
});

describe('errorFromData', () => {
  it('keeps a known code and its details; anything else is a bug', () => {
    const quota = errorFromData({ code: 'STORE_QUOTA', message: 'full', details: {} });
    expect(isMailError(quota) && quota.code).toBe('STORE_QUOTA');
    expect(errorFromData({ code: 'BUG', message: 'oops', details: {} }).name).toBe('BugError');
    expect(errorFromData({ code: 'NO_SUCH_CODE' as never, message: 'x', details: {} }).name).toBe('BugError');
  });
});
