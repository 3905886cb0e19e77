/** What the store benchmark's page offers the Node side (bench/chromium-store.ts), on `window.poplarStoreBench`. */
export interface StoreBenchInput {
  readonly count: number;
  readonly batchSize: number;
  readonly durability: 'strict' | 'relaxed';
  /** A fresh database per run: the name must not have been used in this profile. */
  readonly dbName: string;
}

export interface StoreBenchResult {
  /** Wall time of all the batches, one after the other, as the executor issues them. */
  readonly totalMs: number;
  /** Each batch's applySyncBatch time, in order. */
  readonly batchMs: readonly number[];
  /** Messages in the folder afterwards (counted through the store's own query): proves the writes happened. */
  readonly stored: number;
}

export interface FloorInput {
  readonly count: number;
  readonly batchSize: number;
  /** Records written per message: 1 (the message), 2 (the message and its POP3 state, as Poplar stores them). */
  readonly recordsPerMessage: 1 | 2;
  readonly dbName: string;
}

export interface StoreBenchApi {
  run(input: StoreBenchInput): Promise<StoreBenchResult>;
  /**
   * Bare IndexedDB, no Dexie and no index: `recordsPerMessage` records of two fields per message, relaxed
   * durability, one transaction per batch. No store that keeps a record per message can be faster than this.
   */
  floor(input: FloorInput): Promise<{ readonly totalMs: number }>;
}
