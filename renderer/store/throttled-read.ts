/**
 * A read that follows a changing store without running again on every change. A sync commits a batch every
 * moment; reading a whole folder's key order (100,000 keys) or a search again after each commit would keep the
 * database busy with reads nobody looks at, and slow the sync down. So a change asks for a read, and reads are
 * spaced: the first change after a quiet spell is read at once, later ones are gathered into one read started no
 * sooner than a gap after the last one, and two reads never run at once. The gap grows with the cost of the read
 * (a few times its duration), so a large folder is read a little less often than a small one.
 *
 * Pure logic over an injectable clock, tested in test/renderer/store/throttled-read.test.ts.
 */

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ThrottleOptions {
  /** The least time between the starts of two reads. */
  readonly minGapMs: number;
  /** The gap is also at least this many times as long as the last read took. */
  readonly gapPerReadTime: number;
}

/** At most about three reads a second, and a read takes at most about a quarter of the time. */
export const DEFAULT_THROTTLE: ThrottleOptions = { minGapMs: 300, gapPerReadTime: 3 };

export interface ReadSink<T> {
  value(value: T): void;
  error(error: unknown): void;
}

/**
 * Runs `read` when asked (`request`), never twice at once, and at most once per gap. `read` gets a function that
 * says whether its result is still wanted (false once stopped), to end a long read early.
 */
export class ThrottledRead<T> {
  private running = false;
  private dirty = false;
  private stopped = false;
  private timer: unknown;
  private lastStart = Number.NEGATIVE_INFINITY;
  private lastDuration = 0;
  private completed = 0;

  constructor(
    private readonly read: (stopped: () => boolean) => Promise<T>,
    private readonly sink: ReadSink<T>,
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /** How many reads have delivered their value. */
  get reads(): number {
    return this.completed;
  }

  get busy(): boolean {
    return this.running;
  }

  /** Something the read depends on changed: read again, now or as soon as the gap allows. */
  request(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private gap(): number {
    return Math.max(this.options.minGapMs, this.options.gapPerReadTime * this.lastDuration);
  }

  private pump(): void {
    if (this.stopped || this.running || this.timer !== undefined || !this.dirty) return;
    const wait = this.lastStart + this.gap() - this.clock.now();
    if (wait > 0) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    this.dirty = false;
    this.running = true;
    const started = this.clock.now();
    this.lastStart = started;
    const done = () => {
      this.running = false;
      this.lastDuration = this.clock.now() - started;
    };
    new Promise<T>((resolve) => resolve(this.read(() => this.stopped))).then(
      (value) => {
        done();
        if (this.stopped) return;
        this.completed += 1;
        this.sink.value(value);
        this.pump();
      },
      (error: unknown) => {
        done();
        if (!this.stopped) this.sink.error(error);
      },
    );
  }
}
