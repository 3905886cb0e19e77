/** The store's public surface: open the db, read through named queries, write through named transactions. */
export type { IndexedDbFactory, KeyRangeClass } from './db.ts';
export { DEFAULT_DB_NAME, PoplarDb, openPoplarDb } from './db.ts';
export type { StoreErrorCode } from './errors.ts';
export { StoreError, isStoreError } from './errors.ts';
export type { AccountRecord, FolderRecord, MessageSort, Security, SyncOutcome } from './schema.ts';
export { BODY_CHUNK_BYTES } from './schema.ts';
export type { BodyBytes } from './bodies.ts';
export { readBody, readBodyChunks } from './bodies.ts';
export { downloadedWithoutView, dropStalePrepared, dropViewsOfOlderMail, readPrepared, writePrepared } from './prepared.ts';
export type { CountQuery, FolderScope, MessageListQuery, SearchQuery } from './queries.ts';
export {
  countMessages,
  findMessagesByRef,
  getAccount,
  getMessage,
  getMessages,
  listAccounts,
  listFolders,
  listMessageKeys,
  listMessages,
  loadSyncState,
  pendingMarks,
  searchMessages,
} from './queries.ts';
export type {
  AdoptWrite,
  BatchReceipt,
  PreviewWrite,
  Rebind,
  StateUpdate,
  SyncBatch,
  UnidentifiedWrite,
  WholeWrite,
} from './sync-batch.ts';
export { applySyncBatch } from './sync-batch.ts';
export { loadSyncSnapshot, syncStorePort } from './port.ts';
export type { AccountPatch, NewAccount } from './writes.ts';
export {
  addAccount,
  deleteMessages,
  emptyDeletedItems,
  markRead,
  purgeMessages,
  recordSyncResult,
  removeAccount,
  restoreMessages,
  setFlagged,
  setMark,
  updateAccount,
} from './writes.ts';
