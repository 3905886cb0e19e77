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

export interface StoreBenchApi {
  run(input: StoreBenchInput): Promise<StoreBenchResult>;
}
