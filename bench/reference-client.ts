/**
 * The yardstick: a minimal pipelined POP3 client, written for speed and nothing else. USER/PASS, UIDL, then
 * `TOP n k` or `RETR n` for every message with a window of commands in flight (1 = strictly sequential), QUIT.
 *
 * It parses with a handful of `Buffer.indexOf` calls: CRLF for status lines, LF "." CRLF for the end of a body
 * (also when it straddles two chunks), and it hands each message on as one unstuffed Buffer, as the engine does,
 * so that both do comparable work. It checks nothing beyond `+`/`-`: no limits, no timeouts, no recovery.
 */
import net from 'node:net';
import tls from 'node:tls';

export type ReferenceOp = { readonly kind: 'top'; readonly lines: number } | { readonly kind: 'retr' };

export interface ReferenceOptions {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS, trusting this CA (PEM) besides the system's. */
  readonly tls?: { readonly ca?: string } | undefined;
  readonly user: string;
  readonly password: string;
  readonly op: ReferenceOp;
  /** Commands in flight during the bulk phase: 1 is strictly sequential; `Infinity` sends them all at once. */
  readonly window: number;
  /** Called for each message, with the body unstuffed; the Buffer may be a view of a socket chunk. */
  readonly onMessage?: (n: number, body: Buffer) => void;
}

export interface ReferenceResult {
  /** Messages listed by UIDL. */
  readonly listed: number;
  /** Messages fetched (responses `+OK`). */
  readonly messages: number;
  /** Body bytes fetched, after dot-unstuffing, CRLF line ends included. */
  readonly bytes: number;
}

const CRLF = Buffer.from('\r\n', 'latin1');
const TERMINATOR = Buffer.from('\n.\r\n', 'latin1');
const LF = Buffer.from('\n', 'latin1');
const LF_DOT = Buffer.from('\n.', 'latin1');
const PLUS = 0x2b;
const DOT = 0x2e;

type OnResponse = (ok: boolean, line: string, body: Buffer | undefined) => void;

/** Splits the byte stream into responses, in the order they were announced with `expect`. */
class ResponseSplitter {
  private readonly multi: boolean[] = [];
  private head = 0;
  private partial: Buffer | undefined;
  private inBody = false;
  private statusLine = '';
  private parts: Buffer[] = [];
  private bodyLength = 0;
  /** The last (up to) 3 bytes before the unread data, for a terminator that straddles two chunks. */
  private tail: Buffer = LF;

  constructor(private readonly onResponse: OnResponse) {}

  expect(multiLine: boolean): void {
    this.multi.push(multiLine);
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.partial !== undefined) {
      buf = Buffer.concat([this.partial, chunk]);
      this.partial = undefined;
    }
    let pos = 0;
    while (pos < buf.length) {
      if (this.inBody) {
        pos = this.body(buf, pos);
        continue;
      }
      const eol = buf.indexOf(CRLF, pos);
      if (eol < 0) {
        this.partial = Buffer.from(buf.subarray(pos));
        return;
      }
      const ok = buf[pos] === PLUS;
      const line = buf.toString('latin1', pos, eol);
      pos = eol + 2;
      const multi = this.multi[this.head];
      if (multi === undefined) throw new Error(`unexpected response: ${line}`);
      this.head += 1;
      if (this.head > 4096) {
        this.multi.splice(0, this.head);
        this.head = 0;
      }
      if (multi && ok) {
        this.inBody = true;
        this.statusLine = line;
        this.parts = [];
        this.bodyLength = 0;
        this.tail = LF;
      } else {
        this.onResponse(ok, line, undefined);
      }
    }
  }

  /** Consumes body bytes from `buf` at `pos`; returns where the next response starts (or the end). */
  private body(buf: Buffer, pos: number): number {
    const data = buf.subarray(pos);
    // A terminator that begins in the bytes already taken: join the tail with the first 3 new bytes.
    const joint = Buffer.concat([this.tail, data.subarray(0, 3)]);
    const straddle = joint.indexOf(TERMINATOR);
    if (straddle >= 0 && straddle < this.tail.length) {
      // The body ends with the LF at `straddle`; bytes after it in the tail were taken too many.
      this.finish(this.bodyLength - this.tail.length + straddle + 1);
      return pos + straddle + TERMINATOR.length - this.tail.length;
    }
    const at = data.indexOf(TERMINATOR);
    if (at >= 0) {
      this.parts.push(data.subarray(0, at + 1));
      this.bodyLength += at + 1;
      this.finish(this.bodyLength);
      return pos + at + TERMINATOR.length;
    }
    this.parts.push(data);
    this.bodyLength += data.length;
    this.tail = data.length >= 3 ? data.subarray(data.length - 3) : Buffer.concat([this.tail, data]).subarray(-3);
    return buf.length;
  }

  private finish(length: number): void {
    const only = this.parts[0];
    const raw = this.parts.length === 1 && only !== undefined ? only.subarray(0, length) : Buffer.concat(this.parts, length);
    this.parts = [];
    this.inBody = false;
    this.onResponse(true, this.statusLine, unstuff(raw));
  }
}

/** Removes the dot that RFC 1939 §3 adds to each line starting with a dot. */
function unstuff(body: Buffer): Buffer {
  let from = body[0] === DOT ? 0 : body.indexOf(LF_DOT);
  if (from < 0) return body;
  const pieces: Buffer[] = [];
  let start = 0;
  while (from >= 0) {
    const dot = body[from] === DOT ? from : from + 1;
    pieces.push(body.subarray(start, dot));
    start = dot + 1;
    from = body.indexOf(LF_DOT, start);
  }
  pieces.push(body.subarray(start));
  return Buffer.concat(pieces);
}

function connect(options: ReferenceOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const done = (socket: net.Socket): void => {
      socket.removeListener('error', reject);
      socket.setNoDelay(true);
      resolve(socket);
    };
    if (options.tls !== undefined) {
      const ca = options.tls.ca === undefined ? undefined : [...tls.rootCertificates, options.tls.ca];
      const socket: tls.TLSSocket = tls.connect({ host: options.host, port: options.port, ca }, () => done(socket));
      socket.once('error', reject);
    } else {
      const socket = net.connect({ host: options.host, port: options.port }, () => done(socket));
      socket.once('error', reject);
    }
  });
}

export async function runReferenceClient(options: ReferenceOptions): Promise<ReferenceResult> {
  const socket = await connect(options);
  let failure: Error | undefined;
  let waiter: { resolve: (v: { line: string; body: Buffer | undefined }) => void; reject: (e: Error) => void } | undefined;
  let bulk: ((ok: boolean, line: string, body: Buffer | undefined) => void) | undefined;

  const splitter = new ResponseSplitter((ok, line, body) => {
    if (bulk !== undefined) {
      bulk(ok, line, body);
      return;
    }
    const w = waiter;
    waiter = undefined;
    if (w === undefined) return;
    if (ok) w.resolve({ line, body });
    else w.reject(new Error(`server said: ${line}`));
  });
  let afterChunk: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    try {
      splitter.push(chunk);
      afterChunk?.();
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  });
  const fail = (error: Error): void => {
    failure ??= error;
    waiter?.reject(error);
    waiter = undefined;
    socket.destroy();
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));

  /** One command (or the greeting), one response: the prelude and QUIT are sequential. */
  const ask = (command: string | undefined, multi: boolean): Promise<{ line: string; body: Buffer | undefined }> =>
    new Promise((resolve, reject) => {
      if (failure !== undefined) {
        reject(failure);
        return;
      }
      waiter = { resolve, reject };
      splitter.expect(multi);
      if (command !== undefined) socket.write(command + '\r\n', 'latin1');
    });

  try {
    await ask(undefined, false);
    await ask(`USER ${options.user}`, false);
    await ask(`PASS ${options.password}`, false);
    const listing = (await ask('UIDL', true)).body ?? Buffer.alloc(0);
    const ns: number[] = [];
    for (const line of listing.toString('latin1').split('\r\n')) {
      const space = line.indexOf(' ');
      if (space > 0) ns.push(Number(line.slice(0, space)));
    }

    const verb = options.op.kind === 'top' ? 'TOP' : 'RETR';
    const suffix = options.op.kind === 'top' ? ` ${options.op.lines}\r\n` : '\r\n';
    const window = Math.max(1, options.window);
    let sent = 0;
    let answered = 0;
    let messages = 0;
    let bytes = 0;
    const onMessage = options.onMessage;
    await new Promise<void>((resolve, reject) => {
      const topUp = (): void => {
        if (answered === ns.length) {
          afterChunk = undefined;
          bulk = undefined;
          resolve();
          return;
        }
        if (sent - answered >= window || sent === ns.length) return;
        let commands = '';
        while (sent - answered < window && sent < ns.length) {
          commands += verb + ' ' + String(ns[sent]) + suffix;
          splitter.expect(true);
          sent += 1;
        }
        socket.write(commands, 'latin1');
      };
      bulk = (ok, line, body) => {
        const n = ns[answered] ?? 0;
        answered += 1;
        if (!ok || body === undefined) {
          reject(new Error(`${verb} ${n}: ${line}`));
          return;
        }
        messages += 1;
        bytes += body.length;
        onMessage?.(n, body);
      };
      afterChunk = topUp;
      waiter = { resolve: () => undefined, reject };
      topUp();
    });
    waiter = undefined;
    await ask('QUIT', false);
    socket.removeAllListeners('close');
    socket.end();
    return { listed: ns.length, messages, bytes };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}
