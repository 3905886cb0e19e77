/**
 * A TCP proxy on 127.0.0.1 that adds latency: every chunk is forwarded `oneWayMs` after it arrived, in each
 * direction, so a round trip through it costs `2 × oneWayMs` more. Order is kept and bandwidth is not
 * throttled: each direction is a FIFO of chunks stamped with their arrival time, drained by one timer that
 * writes everything due in a single batch (a timer per chunk would not keep up with a flood of small chunks).
 *
 * The hooks `onClientChunk` / `onServerChunk` see every chunk before it is queued and may replace it or cut
 * the connection, which is all a fault-injection proxy needs (cut after N bytes, cut at a command boundary).
 * A hook with `oneWayMs: 0` gives a plain pass-through proxy with faults.
 */
import net from 'node:net';

export type ProxyDirection = 'toServer' | 'toClient';

/**
 * How a connection is cut: `close` sends FIN to both peers, `reset` sends RST to both. Either way, what the other
 * direction still had queued is dropped, as bytes in flight are when a link breaks.
 */
export type CutMode = 'close' | 'reset';

export interface ChunkContext {
  /** 1, 2, … in the order the proxy accepted connections. */
  readonly connectionId: number;
  readonly direction: ProxyDirection;
  /** Bytes of this direction already seen by the hook before this chunk (not counting replacements). */
  readonly offset: number;
}

/**
 * What a hook decides for a chunk: nothing (forward as is), a replacement Buffer (may be empty), or a cut,
 * optionally forwarding a part of the chunk first (it travels with the same delay; then the cut happens).
 */
export type ChunkVerdict = undefined | Buffer | { readonly forward?: Buffer; readonly cut: CutMode };

export type ChunkHook = (chunk: Buffer, context: ChunkContext) => ChunkVerdict;

export interface LatencyProxyOptions {
  readonly targetHost: string;
  readonly targetPort: number;
  /** Delay added to every chunk in each direction, in milliseconds (0 forwards at once, still in order). */
  readonly oneWayMs: number;
  /** Bytes from the client, before they are queued towards the server. */
  readonly onClientChunk?: ChunkHook;
  /** Bytes from the server, before they are queued towards the client. */
  readonly onServerChunk?: ChunkHook;
  /**
   * Flow control: when more than this many bytes wait in one direction (queued plus unsent in the socket), the
   * proxy stops reading that direction's source until they drain. Default 64 MiB: far above what 1 Gbit/s
   * keeps in flight in 100 ms, so it never throttles a benchmark, but a stalled reader cannot grow it forever.
   */
  readonly maxBufferedBytes?: number;
}

export interface LatencyProxy {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

interface Entry {
  readonly due: number;
  readonly chunk: Buffer | undefined;
  /** After writing `chunk` (if any), end or reset the connection. */
  readonly cut: CutMode | 'end' | undefined;
}

const DEFAULT_MAX_BUFFERED = 64 * 1024 * 1024;

/** One direction of one connection: source socket → FIFO → destination socket. */
class Lane {
  private readonly queue: Entry[] = [];
  private head = 0;
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private seen = 0;
  private finished = false;
  private pausedForFlow = false;

  constructor(
    private readonly source: net.Socket,
    private readonly dest: net.Socket,
    private readonly direction: ProxyDirection,
    private readonly connectionId: number,
    private readonly delayMs: number,
    private readonly hook: ChunkHook | undefined,
    private readonly maxBuffered: number,
    private readonly onCut: (mode: CutMode) => void,
  ) {
    source.on('data', (chunk: Buffer) => this.arrive(chunk));
    source.on('end', () => this.push(undefined, 'end'));
    dest.on('drain', () => this.checkFlow());
  }

  private arrive(chunk: Buffer): void {
    if (this.finished) return;
    const verdict = this.hook?.(chunk, {
      connectionId: this.connectionId,
      direction: this.direction,
      offset: this.seen,
    });
    this.seen += chunk.length;
    if (verdict === undefined) this.push(chunk, undefined);
    else if (Buffer.isBuffer(verdict)) this.push(verdict, undefined);
    else this.push(verdict.forward, verdict.cut);
  }

  private push(chunk: Buffer | undefined, cut: Entry['cut']): void {
    if (this.finished) return;
    if (cut !== undefined) this.finished = true;
    if (chunk?.length === 0) chunk = undefined;
    if (chunk === undefined && cut === undefined) return;
    this.queue.push({ due: performance.now() + this.delayMs, chunk, cut });
    this.queuedBytes += chunk?.length ?? 0;
    this.checkFlow();
    if (this.delayMs <= 0) this.flush();
    else this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    const next = this.queue[this.head];
    if (next === undefined) return;
    // Timers have millisecond granularity and may fire a fraction early: flush() re-arms for what is not due.
    const wait = Math.max(0, Math.ceil(next.due - performance.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** Writes every entry that is due, in one corked batch. */
  private flush(): void {
    const now = performance.now();
    let corked = false;
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head];
      if (entry === undefined || entry.due > now) break;
      this.head += 1;
      if (entry.chunk !== undefined) {
        this.queuedBytes -= entry.chunk.length;
        if (!this.dest.destroyed) {
          if (!corked) {
            this.dest.cork();
            corked = true;
          }
          this.dest.write(entry.chunk);
        }
      }
      if (entry.cut !== undefined) {
        if (corked) this.dest.uncork();
        corked = false;
        if (entry.cut === 'end') {
          if (!this.dest.destroyed) this.dest.end();
        } else {
          this.onCut(entry.cut);
        }
      }
    }
    if (corked) this.dest.uncork();
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.checkFlow();
    this.arm();
  }

  private checkFlow(): void {
    const waiting = this.queuedBytes + this.dest.writableLength;
    if (!this.pausedForFlow && waiting > this.maxBuffered) {
      this.pausedForFlow = true;
      this.source.pause();
    } else if (this.pausedForFlow && waiting <= this.maxBuffered / 2) {
      this.pausedForFlow = false;
      if (!this.source.destroyed) this.source.resume();
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.finished = true;
    this.queue.length = 0;
    this.head = 0;
    this.queuedBytes = 0;
  }
}

export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  if (!(options.oneWayMs >= 0)) throw new RangeError(`oneWayMs must be ≥ 0, got ${options.oneWayMs}`);
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
  const open = new Set<net.Socket>();
  let accepted = 0;

  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    accepted += 1;
    const connectionId = accepted;
    const upstream = net.connect({
      host: options.targetHost,
      port: options.targetPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    open.add(client);
    open.add(upstream);
    const lanes: Lane[] = [];
    let done = false;
    const teardown = (mode: CutMode): void => {
      if (done) return;
      done = true;
      for (const lane of lanes) lane.stop();
      for (const socket of [client, upstream]) {
        if (mode === 'reset') socket.resetAndDestroy();
        else socket.end(() => socket.destroy());
      }
    };
    lanes.push(
      new Lane(client, upstream, 'toServer', connectionId, options.oneWayMs, options.onClientChunk, maxBuffered, teardown),
      new Lane(upstream, client, 'toClient', connectionId, options.oneWayMs, options.onServerChunk, maxBuffered, teardown),
    );
    for (const socket of [client, upstream]) {
      // An error on either side (the target refused, a peer reset) ends both, without the delay: a reset is news
      // the other side would get at once from the kernel too. A clean close (FIN) travels through the lanes, and
      // each socket destroys itself once both of its directions have ended.
      socket.on('error', () => teardown('reset'));
      socket.on('close', () => open.delete(socket));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('latency proxy: no TCP address');

  return {
    host: '127.0.0.1',
    port: address.port,
    get connections() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
        open.clear();
      }),
  };
}
