/**
 * The store's error vocabulary: every failure a store function reports is a `StoreError`, built by `storeError`: a
 * `MailError` whose code is one of the STORE_* codes of app/errors.ts, so it crosses IPC and reaches the account
 * status like any other expected failure.
 *
 * A write the store refuses never leaves half of itself behind: each write is one IndexedDB transaction, and any
 * error inside it aborts the transaction whole (IndexedDB, "transaction lifecycle"); what was committed before
 * stays committed.
 */

import { BugError, MailError, type MailErrorCode } from '../../app/errors.ts';

export type StoreErrorCode =
  /** The browser's storage quota for this origin is exhausted (QuotaExceededError). */
  | 'QUOTA'
  /** The database connection was closed (by us, by the browser, or by a version change in another tab). */
  | 'CLOSED'
  /** Any other refusal: a broken or aborted transaction, a constraint, a value IndexedDB cannot store. */
  | 'FAILED'
  /** The record the operation needs (an account, a message body) does not exist. */
  | 'NOT_FOUND'
  /** The caller passed something the store will not write (checked before any transaction starts). */
  | 'INVALID';

const MAIL_CODES: Readonly<Record<StoreErrorCode, MailErrorCode>> = {
  QUOTA: 'STORE_QUOTA',
  CLOSED: 'STORE_CLOSED',
  FAILED: 'STORE_FAILED',
  NOT_FOUND: 'STORE_NOT_FOUND',
  INVALID: 'STORE_INVALID',
};

export class StoreError extends MailError {
  // MailError fixes `name` as a literal; a store failure keeps that name so it is handled as an expected failure.
  /** The store's own, shorter code. */
  readonly storeCode: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(MAIL_CODES[code], message, {}, options);
    this.storeCode = code;
  }
}

/** The single factory for store failures. */
export function storeError(code: StoreErrorCode, message: string, cause?: unknown): StoreError {
  return new StoreError(code, message, cause === undefined ? undefined : { cause });
}

export function isStoreError(e: unknown): e is StoreError {
  return e instanceof StoreError;
}

const QUOTA_NAMES: ReadonlySet<string> = new Set(['QuotaExceededError']);
const CLOSED_NAMES: ReadonlySet<string> = new Set(['DatabaseClosedError']);

/**
 * The names found in an error and what it wraps: Dexie keeps the IndexedDB error in `inner`, a BulkError keeps one
 * error per failed item in `failures`, and an AbortError may carry the quota error that caused the abort.
 */
function errorNames(e: unknown, depth = 0): string[] {
  if (depth > 4 || typeof e !== 'object' || e === null) return [];
  const names: string[] = [];
  const rec = e as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  if (typeof rec.name === 'string') names.push(rec.name);
  names.push(...errorNames(rec.inner, depth + 1), ...errorNames(rec.cause, depth + 1));
  if (Array.isArray(rec.failures)) {
    for (const f of rec.failures.slice(0, 16)) names.push(...errorNames(f, depth + 1));
  }
  return names;
}

/** What any error thrown by Dexie or IndexedDB means for the caller. A StoreError passes through unchanged. */
export function toStoreError(e: unknown, what: string): StoreError {
  if (e instanceof StoreError) return e;
  const names = errorNames(e);
  const detail = e instanceof Error ? e.message : String(e);
  if (names.some((n) => QUOTA_NAMES.has(n))) {
    return storeError('QUOTA', `${what}: the storage quota is exhausted (a write is rolled back whole)`, e);
  }
  if (names.some((n) => CLOSED_NAMES.has(n))) {
    return storeError('CLOSED', `${what}: the database is closed`, e);
  }
  return storeError('FAILED', `${what} failed (a write is rolled back whole): ${detail}`, e);
}

/**
 * Runs one store operation and reports its failure as a StoreError. A BugError (a broken invariant inside Poplar)
 * passes through as itself: it is a programming error, not something the store refused.
 */
export async function guarded<T>(what: string, op: () => PromiseLike<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (e instanceof BugError) throw e;
    throw toStoreError(e, what);
  }
}
