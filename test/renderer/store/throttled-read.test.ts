/**
 * ThrottledRead (renderer/store/throttled-read.ts): a change is read at once after a quiet spell; changes while a
 * read runs, or soon after one, are gathered into one later read; reads never overlap; the gap grows with the
 * read's duration; nothing is delivered after stop. Driven by a fake clock: no test here waits on real time.
 */
import { describe, expect, it } from 'vitest';
import { ThrottledRead, type Clock } from '../../../renderer/store/throttled-read.ts';

/** A clock whose time moves only when told, running due timers in order. */
class FakeClock implements Clock {
  private time = 0;
  private timers: Array<{ at: number; run: () => void; id: number }> = [];
  private nextId = 0;
  now(): number {
    return this.time;
  }
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.run();
      await settle();
    }
    this.time = end;
    await settle();
  }
  get pending(): number {
    return this.timers.length;
  }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A read whose answers the test releases by hand, so it can see what happens while one runs. */
function manualRead(clock: FakeClock) {
  const started: number[] = [];
  const waiting: Array<(v: number) => void> = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const read = () => {
    started.push(clock.now());
    concurrent += 1;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    return new Promise<number>((resolve) => {
      waiting.push((v) => {
        concurrent -= 1;
        resolve(v);
      });
    });
  };
  return {
    read,
    started,
    get maxConcurrent() {
      return maxConcurrent;
    },
    async finish(value: number, afterMs: number) {
      await clock.advance(afterMs);
      const next = waiting.shift();
      if (next === undefined) throw new Error('no read is running');
      next(value);
      await settle();
    },
  };
}

describe('ThrottledRead', () => {
  it('reads the first change at once, and gathers the changes made meanwhile into one later read', async () => {
    const clock = new FakeClock();
    const r = manualRead(clock);
    const values: number[] = [];
    const reader = new ThrottledRead(r.read, { value: (v) => values.push(v), error: (e) => { throw e; } }, { minGapMs: 300, gapPerReadTime: 3 }, clock);
    reader.request();
    await settle();
    expect(r.started).toEqual([0]);
    // Five changes while the read runs: one more read, not five.
    for (let i = 0; i < 5; i++) reader.request();
    await r.finish(1, 50);
    expect(values).toEqual([1]);
    // The next read waits for the gap: max(300 ms, 3 × 50 ms) after the last one started.
    expect(r.started).toEqual([0]);
    await clock.advance(249);
    expect(r.started).toEqual([0]);
    await clock.advance(1);
    expect(r.started).toEqual([0, 300]);
    await r.finish(2, 10);
    expect(values).toEqual([1, 2]);
    expect(r.maxConcurrent).toBe(1);
    // Nothing asked since: nothing more.
    await clock.advance(5000);
    expect(r.started).toEqual([0, 300]);
  });

  it('reads a change after a quiet spell at once', async () => {
    const clock = new FakeClock();
    const r = manualRead(clock);
    const reader = new ThrottledRead(r.read, { value: () => undefined, error: () => undefined }, { minGapMs: 300, gapPerReadTime: 3 }, clock);
    reader.request();
    await settle();
    await r.finish(1, 20);
    await clock.advance(1000);
    reader.request();
    await settle();
    expect(r.started).toEqual([0, 1020]);
  });

  it('spaces slow reads by a multiple of their duration', async () => {
    const clock = new FakeClock();
    const r = manualRead(clock);
    const reader = new ThrottledRead(r.read, { value: () => undefined, error: () => undefined }, { minGapMs: 300, gapPerReadTime: 3 }, clock);
    reader.request();
    await settle();
    reader.request();
    await r.finish(1, 400);
    // 3 × 400 ms after the start at 0.
    await clock.advance(799);
    expect(r.started).toEqual([0]);
    await clock.advance(1);
    expect(r.started).toEqual([0, 1200]);
  });

  it('delivers nothing after stop, and tells a running read it is no longer wanted', async () => {
    const clock = new FakeClock();
    let stoppedSeen: (() => boolean) | undefined;
    const values: number[] = [];
    let release: ((v: number) => void) | undefined;
    const reader = new ThrottledRead(
      (stopped) => {
        stoppedSeen = stopped;
        return new Promise<number>((resolve) => (release = resolve));
      },
      { value: (v) => values.push(v), error: () => undefined },
      { minGapMs: 300, gapPerReadTime: 3 },
      clock,
    );
    reader.request();
    await settle();
    expect(stoppedSeen?.()).toBe(false);
    reader.request();
    reader.stop();
    expect(stoppedSeen?.()).toBe(true);
    release?.(1);
    await clock.advance(10_000);
    expect(values).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('reports a failed read, and reads again on the next change', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const errors: unknown[] = [];
    const values: number[] = [];
    const reader = new ThrottledRead(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('store closed');
        return Promise.resolve(calls);
      },
      { value: (v) => values.push(v), error: (e) => errors.push(e) },
      { minGapMs: 300, gapPerReadTime: 3 },
      clock,
    );
    reader.request();
    await settle();
    expect(errors).toHaveLength(1);
    reader.request();
    await clock.advance(300);
    expect(values).toEqual([2]);
  });
});
