/**
 * The dedicated worker that owns sync writes (see sync-writer.ts): it receives one batch at a time from the window,
 * stores it with `applySyncBatch` on its own connection to the database, and answers once the transaction is
 * durable, or with the typed error that refused it. Requests are handled as they come; Dexie orders the
 * transactions of one connection, and the executor never has two batches of one run in flight.
 */
import { toErrorData } from '../../app/errors.ts';
import { openPoplarDb, type PoplarDb } from './db.ts';
import { applySyncBatch } from './sync-batch.ts';
import type { SyncWriteReply, SyncWriteRequest } from './sync-writer.ts';

/** The worker's global scope, as far as this file uses it (the WebWorker lib is not in the window's tsconfig). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: { readonly data: SyncWriteRequest }) => void): void;
  postMessage(message: SyncWriteReply): void;
}

const scope = globalThis as unknown as WorkerScope;
const connections = new Map<string, Promise<PoplarDb>>();

function database(name: string): Promise<PoplarDb> {
  let db = connections.get(name);
  if (db === undefined) {
    db = openPoplarDb(name);
    // A failed open is not cached: the next batch tries again.
    db.catch(() => connections.delete(name));
    connections.set(name, db);
  }
  return db;
}

async function handle(request: SyncWriteRequest): Promise<SyncWriteReply> {
  try {
    await applySyncBatch(await database(request.dbName), request.accountId, request.batch);
    return { id: request.id, ok: true };
  } catch (e) {
    return { id: request.id, ok: false, error: toErrorData(e) };
  }
}

scope.addEventListener('message', (event) => {
  void handle(event.data).then((reply) => {
    scope.postMessage(reply);
  });
});
