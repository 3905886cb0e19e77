/**
 * TOP or RETR for many messages in one window (pipeline.ts), delivered in message order to a consumer that may
 * be slow or asynchronous (the store). This is the hot path of every sync: one small object per message and no
 * promise per message unless the consumer returns one.
 */
import { BugError, type MailError } from '../../app/errors.ts';
import type { Command } from './command-line.ts';
import type { Pop3Connection } from './connection.ts';
import { errorFromStatus } from './exchange.ts';
import { runWindowed } from './pipeline.ts';
import type { ResponseSink, StatusLine } from './reader.ts';

export type MessageConsumer = (n: number, body: Buffer) => void | Promise<void>;
export type RefusalConsumer = (n: number, error: MailError) => void | Promise<void>;

/** Bytes of complete responses waiting for a slow consumer before the socket is paused. */
const HIGH_WATER_BYTES = 32 * 1024 * 1024;
const LOW_WATER_BYTES = 8 * 1024 * 1024;

interface Step {
  readonly run: () => void | Promise<void>;
  readonly bytes: number;
}

/** Ordered delivery: synchronous consumers are called at once; an asynchronous one holds back the next call. */
class Delivery {
  private readonly queue: Step[] = [];
  private head = 0;
  private busy = false;
  private waitingBytes = 0;
  private paused = false;
  private idleWaiters: Array<() => void> = [];
  failure: Error | undefined;

  constructor(private readonly connection: Pop3Connection) {}

  push(step: Step): void {
    this.waitingBytes += step.bytes;
    if (!this.paused && this.waitingBytes > HIGH_WATER_BYTES) {
      this.paused = true;
      this.connection.pauseReading();
    }
    if (this.busy || this.head < this.queue.length) this.queue.push(step);
    else this.run(step);
  }

  fail(error: Error): void {
    this.failure ??= error;
  }

  /** Resolves once every pushed step has run. */
  idle(): Promise<void> {
    if (!this.busy && this.head >= this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private run(step: Step): void {
    let result: void | Promise<void> = undefined;
    if (this.failure === undefined) {
      try {
        result = step.run();
      } catch (e) {
        this.fail(asError(e));
      }
    }
    if (result instanceof Promise) {
      this.busy = true;
      result.then(
        () => this.after(step),
        (e: unknown) => {
          this.fail(asError(e));
          this.after(step);
        },
      );
      return;
    }
    this.done(step);
  }

  private after(step: Step): void {
    this.busy = false;
    this.done(step);
    // A step run here may be asynchronous again and set `busy`.
    while (!this.isBusy() && this.head < this.queue.length) {
      const next = this.queue[this.head++] as Step;
      this.run(next);
    }
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    if (!this.isBusy() && this.head >= this.queue.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private isBusy(): boolean {
    return this.busy;
  }

  private done(step: Step): void {
    this.waitingBytes -= step.bytes;
    if (this.paused && this.waitingBytes < LOW_WATER_BYTES) {
      this.paused = false;
      this.connection.resumeReading();
    }
  }

  resumeIfPaused(): void {
    if (this.paused) {
      this.paused = false;
      this.connection.resumeReading();
    }
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new BugError(`consumer threw a non-Error: ${typeof e}`);
}

/** One response of the batch: collects the body's chunks, then hands it on. */
class MessageSink implements ResponseSink {
  readonly kind = 'multi';
  private first: Buffer | undefined;
  private rest: Buffer[] | undefined;

  constructor(
    private readonly job: FetchJob,
    private readonly index: number,
    private readonly onDone: (index: number) => void,
  ) {}

  status(line: StatusLine): void {
    if (line.ok) return;
    this.job.refused(this.index, line);
    this.onDone(this.index);
  }

  data(chunk: Buffer): void {
    if (this.first === undefined) this.first = chunk;
    else (this.rest ??= [this.first]).push(chunk);
  }

  end(): void {
    // A one-chunk body stays a view of the socket's chunk: no copy on the hot path.
    const body = this.rest !== undefined ? Buffer.concat(this.rest) : (this.first ?? Buffer.alloc(0));
    this.job.received(this.index, body);
    this.onDone(this.index);
  }

  fail(error: MailError): void {
    this.job.delivery.fail(error);
    this.onDone(this.index);
  }
}

class FetchJob {
  readonly delivery: Delivery;

  constructor(
    connection: Pop3Connection,
    private readonly numbers: readonly number[],
    readonly commands: readonly Command[],
    private readonly onMessage: MessageConsumer,
    private readonly onRefused: RefusalConsumer | undefined,
  ) {
    this.delivery = new Delivery(connection);
  }

  received(index: number, body: Buffer): void {
    const n = this.numbers[index] as number;
    this.delivery.push({ run: () => this.onMessage(n, body), bytes: body.length });
  }

  refused(index: number, line: StatusLine): void {
    const n = this.numbers[index] as number;
    const error = errorFromStatus(line, this.commands[index], 'command');
    const onRefused = this.onRefused;
    this.delivery.push({
      run:
        onRefused === undefined
          ? () => {
              throw error;
            }
          : () => onRefused(n, error),
      bytes: 0,
    });
  }
}

export async function fetchMany(
  connection: Pop3Connection,
  numbers: readonly number[],
  commands: readonly Command[],
  sequential: boolean,
  onMessage: MessageConsumer,
  onRefused: RefusalConsumer | undefined,
): Promise<void> {
  const job = new FetchJob(connection, numbers, commands, onMessage, onRefused);
  const indexes = numbers.map((_, i) => i);
  await runWindowed(
    indexes,
    sequential,
    (batch, _sentAt, onDone) => {
      connection.sendMany(batch.map((i) => [job.commands[i] as Command, new MessageSink(job, i, onDone)] as const));
    },
    () => job.delivery.failure !== undefined || connection.isClosed,
  );
  await job.delivery.idle();
  job.delivery.resumeIfPaused();
  if (job.delivery.failure !== undefined) throw job.delivery.failure;
}
