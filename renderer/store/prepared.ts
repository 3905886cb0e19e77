/**
 * Prepared views of downloaded messages (schema.ts, PreparedRecord): kept next to the bodies they are made from,
 * by the build that made them. The store neither makes nor reads a view; it keeps it, finds which messages lack
 * one, and removes it with its body (bodies.ts) and with stale builds.
 */
import type { MessageKey } from '../../app/ids.ts';
import type { PoplarDb } from './db.ts';
import { guarded } from './errors.ts';
import { prefixRange } from './keys.ts';
import { UNIFIED_INDEX } from './schema.ts';

/** The view stored for a message by build `version`; undefined when there is none, or only another build's. */
export async function readPrepared(db: PoplarDb, key: MessageKey, version: string): Promise<unknown> {
  const record = await guarded('reading a prepared view', () => db.prepared.get(key));
  return record?.version === version ? record.view : undefined;
}

/**
 * Keeps a view, in one transaction with a check that the message's body is still stored: a view made while its
 * message was being deleted is not left behind. Returns whether it was kept.
 */
export function writePrepared(db: PoplarDb, key: MessageKey, version: string, view: unknown): Promise<boolean> {
  return guarded('keeping a prepared view', () =>
    db.transaction('rw', [db.bodies, db.prepared], async () => {
      if ((await db.bodies.get([key, 0])) === undefined) return false;
      await db.prepared.put({ key, version, view });
      return true;
    }),
  );
}

/** Removes the views no other build than `version` can show; returns how many. */
export function dropStalePrepared(db: PoplarDb, version: string): Promise<number> {
  return guarded('removing stale prepared views', () =>
    db.transaction('rw', db.prepared, () => db.prepared.where('version').notEqual(version).delete()),
  );
}

/**
 * Downloaded messages in the inboxes (of all accounts) without a view by build `version`, newest received first:
 * of the newest `scan` messages, at most `limit` keys. Bounded both ways, and keys only (no record is read: a
 * message is downloaded when its body is stored), so it can run at idle on any mailbox without a long task.
 */
export function downloadedWithoutView(db: PoplarDb, version: string, limit: number, scan: number): Promise<MessageKey[]> {
  return guarded('finding messages to prepare', () =>
    db.transaction('r', [db.messages, db.bodies, db.prepared], async () => {
      const [lower, upper] = prefixRange(['inbox']);
      const newest = await db.messages
        .where(UNIFIED_INDEX.receivedAt)
        .between(lower, upper, true, true)
        .reverse()
        .limit(scan)
        .primaryKeys();
      if (newest.length === 0) return [];
      const firstChunks = await db.bodies.where('[key+index]').anyOf(newest.map((key) => [key, 0])).primaryKeys();
      const downloaded = new Set(firstChunks.map(([key]) => key));
      const have = new Set(await db.prepared.where('version').equals(version).primaryKeys());
      return newest.filter((key) => downloaded.has(key) && !have.has(key)).slice(0, limit);
    }),
  );
}

/**
 * Keeps views only for the newest `scan` messages of the inboxes: a view of an older message, or of one in Deleted
 * Items (kept when it was opened), is removed, so the space views take is bounded by the newest mail rather than
 * growing with the mailbox. Opening such a message makes its view again. Returns how many went. Keys only.
 */
export function dropViewsOfOlderMail(db: PoplarDb, scan: number): Promise<number> {
  return guarded('removing prepared views of older mail', () =>
    db.transaction('rw', [db.messages, db.prepared], async () => {
      const [lower, upper] = prefixRange(['inbox']);
      const newest = new Set(
        await db.messages.where(UNIFIED_INDEX.receivedAt).between(lower, upper, true, true).reverse().limit(scan).primaryKeys(),
      );
      const older = (await db.prepared.toCollection().primaryKeys()).filter((key) => !newest.has(key));
      await db.prepared.bulkDelete(older);
      return older.length;
    }),
  );
}
