/**
 * Pipelining (RFC 2449 §6.6): many commands in flight, responses matched in order. The window of commands in
 * flight adapts to the link: it must cover the bandwidth-delay product, which on loopback is a handful of
 * commands and at 20 ms of round trip is hundreds of header scans.
 *
 * The rule: keep `2 × minRTT / interval` commands in flight, where minRTT is the shortest time any command took
 * from write to complete response (the link's round trip) and interval is the smoothed time between two
 * responses (the server's service time). While the window is too small, responses arrive in bursts a round
 * trip apart, the measured interval is short and the window grows fast, as a slow start; once the server is the
 * bottleneck the interval is the true service time and the window settles.
 */
import { MAX_PIPELINE_WINDOW, MIN_PIPELINE_WINDOW } from './limits.ts';

export class AdaptiveWindow {
  private minRttMs = Number.POSITIVE_INFINITY;
  private intervalMs = Number.NaN;
  private lastCompletionMs = Number.NaN;
  private current: number;

  constructor(
    private readonly min = MIN_PIPELINE_WINDOW,
    private readonly max = MAX_PIPELINE_WINDOW,
  ) {
    this.current = min;
  }

  get size(): number {
    return this.current;
  }

  /** A response completed `latencyMs` after its command was written. */
  completed(latencyMs: number, nowMs: number): void {
    if (latencyMs < this.minRttMs) this.minRttMs = latencyMs;
    if (!Number.isNaN(this.lastCompletionMs)) {
      const gap = nowMs - this.lastCompletionMs;
      this.intervalMs = Number.isNaN(this.intervalMs) ? gap : this.intervalMs * 0.9 + gap * 0.1;
    }
    this.lastCompletionMs = nowMs;
    if (Number.isNaN(this.intervalMs) || !Number.isFinite(this.minRttMs)) return;
    const target = Math.ceil((2 * this.minRttMs) / Math.max(this.intervalMs, 0.001));
    this.current = Math.min(this.max, Math.max(this.min, target, this.current));
  }
}

/**
 * Runs `items` through `send` with at most `window.size` in flight, refilling in batches of at least half a
 * window so that commands go out in few writes. `sequential` forces one at a time (a server without
 * PIPELINING). Resolves when every item's `onDone` has been called, or rejects when `stop()` says so.
 */
export function runWindowed<T>(
  items: readonly T[],
  sequential: boolean,
  send: (batch: readonly T[], sentAtMs: number, onDone: (item: T) => void) => void,
  shouldStop: () => boolean,
): Promise<void> {
  const window = new AdaptiveWindow();
  return new Promise((resolve) => {
    let next = 0;
    let inFlight = 0;
    let finished = 0;
    const pump = (): void => {
      if (shouldStop()) {
        if (inFlight === 0) resolve();
        return;
      }
      const limit = sequential ? 1 : window.size;
      const free = limit - inFlight;
      // Refill in batches: one write for many commands, not one per response.
      if (next < items.length && (free >= Math.ceil(limit / 2) || inFlight === 0)) {
        const batch = items.slice(next, next + free);
        next += batch.length;
        inFlight += batch.length;
        const sentAt = performance.now();
        send(batch, sentAt, () => {
          inFlight--;
          finished++;
          const now = performance.now();
          if (!sequential) window.completed(now - sentAt, now);
          if (finished === items.length) resolve();
          else pump();
        });
      }
      if (finished === items.length) resolve();
    };
    pump();
  });
}
