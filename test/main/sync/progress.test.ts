import { describe, expect, it } from 'vitest';
import { accountId, runId } from '../../../app/ids.ts';
import { ProgressReporter, type SyncProgress } from '../../../main/sync/progress.ts';

describe('ProgressReporter', () => {
  it('sends phase changes at once and counters at most once per interval, ending at the full count', () => {
    let now = 0;
    const seen: SyncProgress[] = [];
    const p = new ProgressReporter(accountId('a'), runId('r'), (e) => seen.push(e), 100, () => now);
    p.phase('downloading', 1000, 5_000_000);
    for (let i = 0; i < 1000; i++) {
      now += 1; // a message a millisecond: 1 s in all
      p.advance(1, 5000);
    }
    p.flush();
    const counters = seen.filter((e) => e.phase === 'downloading');
    // One event at the phase change, about ten while running, one at the end: not a thousand.
    expect(counters.length).toBeGreaterThanOrEqual(10);
    expect(counters.length).toBeLessThanOrEqual(13);
    expect(counters.at(-1)).toMatchObject({ done: 1000, total: 1000, bytes: 5_000_000, totalBytes: 5_000_000 });
    for (let i = 1; i < counters.length; i++) {
      expect(counters[i]?.done).toBeGreaterThanOrEqual(counters[i - 1]?.done ?? 0);
    }
  });

  it('a new phase starts its counters from zero', () => {
    const seen: SyncProgress[] = [];
    const p = new ProgressReporter(accountId('a'), runId('r'), (e) => seen.push(e), 100, () => 0);
    p.phase('downloading', 2, 10);
    p.advance(2, 10);
    p.phase('deleting', 3);
    expect(seen.at(-1)).toMatchObject({ phase: 'deleting', done: 0, total: 3, bytes: 0 });
  });
});
