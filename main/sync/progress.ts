/**
 * Progress of a sync run, batched: phase changes go out at once, counters at most every `intervalMs`, so the UI
 * can draw a real progress bar without being flooded by one event per message.
 */
import type { AccountId, RunId } from '../../app/ids.ts';
import type { SyncPhase, SyncProgress } from '../../app/sync/status.ts';

export type { SyncPhase, SyncProgress } from '../../app/sync/status.ts';

export class ProgressReporter {
  private current: SyncProgress;
  private lastEmit = Number.NEGATIVE_INFINITY;
  private pending = false;

  constructor(
    accountId: AccountId,
    runId: RunId,
    private readonly emit: ((p: SyncProgress) => void) | undefined,
    private readonly intervalMs = 100,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.current = { accountId, runId, phase: 'connecting', done: 0, total: 0, bytes: 0, totalBytes: 0 };
  }

  phase(phase: SyncPhase, total = 0, totalBytes = 0): void {
    this.current = { ...this.current, phase, done: 0, total, bytes: 0, totalBytes };
    this.flush();
  }

  advance(messages: number, bytes: number): void {
    this.current = { ...this.current, done: this.current.done + messages, bytes: this.current.bytes + bytes };
    if (this.clock() - this.lastEmit >= this.intervalMs) this.flush();
    else this.pending = true;
  }

  /** Emit what is pending (at the end of a phase, so the bar reaches 100%). */
  flush(): void {
    this.pending = false;
    this.lastEmit = this.clock();
    this.emit?.(this.current);
  }

  get hasPending(): boolean {
    return this.pending;
  }
}
