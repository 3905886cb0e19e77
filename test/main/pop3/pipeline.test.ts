import { describe, expect, it } from 'vitest';
import { MAX_PIPELINE_WINDOW, MIN_PIPELINE_WINDOW } from '../../../main/pop3/limits.ts';
import { AdaptiveWindow } from '../../../main/pop3/pipeline.ts';

/**
 * A simulated link: each command takes `rttMs` to travel there and back, and the server answers one command
 * every `serviceMs`. Commands are sent whenever the window has room. Returns the window after `total` responses.
 */
function simulate(rttMs: number, serviceMs: number, total: number): { window: number; elapsedMs: number } {
  const w = new AdaptiveWindow();
  let now = 0;
  let serverFreeAt = 0;
  const inFlight: Array<{ sentAt: number; doneAt: number }> = [];
  let sent = 0;
  let done = 0;
  while (done < total) {
    while (sent < total && inFlight.length < w.size) {
      const arrives = now + rttMs / 2;
      const start = Math.max(arrives, serverFreeAt);
      serverFreeAt = start + serviceMs;
      inFlight.push({ sentAt: now, doneAt: serverFreeAt + rttMs / 2 });
      sent++;
    }
    const next = inFlight.shift();
    if (next === undefined) break;
    now = Math.max(now, next.doneAt);
    w.completed(now - next.sentAt, now);
    done++;
  }
  return { window: w.size, elapsedMs: now };
}

describe('AdaptiveWindow', () => {
  it('stays small on loopback, where a few commands in flight keep the server busy', () => {
    const { window } = simulate(0.05, 0.03, 10_000);
    expect(window).toBeLessThan(4 * MIN_PIPELINE_WINDOW);
  });

  it('grows to cover the round trip on a far server: 1,000 header scans at 20 ms take a few round trips, not 1,000', () => {
    const far = simulate(20, 0.03, 1000);
    expect(far.window).toBeGreaterThan(500);
    // Strictly sequential would take 1,000 round trips (20 s); a fixed window of 32 would take about 32.
    expect(far.elapsedMs).toBeLessThan(10 * 20);
  });

  it('never leaves its bounds', () => {
    expect(simulate(500, 0.001, 20_000).window).toBeLessThanOrEqual(MAX_PIPELINE_WINDOW);
    expect(simulate(0, 5, 100).window).toBeGreaterThanOrEqual(MIN_PIPELINE_WINDOW);
  });
});
