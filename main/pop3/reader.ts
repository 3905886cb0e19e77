/**
 * The POP3 response reader: a pure, streaming parser over Buffers. It knows nothing of sockets or commands; the
 * connection feeds it chunks as they arrive and queues one `ResponseSink` per command sent, in order, which is
 * all pipelining needs (RFC 2449 §6.6: responses come back in the order of the commands).
 *
 * - Status lines are read as liberally as Outlook reads them: anything starting with `+` is positive, in any case
 *   (V0001); fields may be separated by runs of spaces and tabs (C0004).
 * - A multi-line response ends only at `.` CRLF at the start of a line (C0006); a line starting with `.` followed
 *   by anything else has that dot removed (V0002). Once a body has begun, a line starting with `+OK` or `-ERR`
 *   is data.
 * - Body bytes are handed on as sub-arrays of the chunks that arrived: no per-line strings, no concatenation
 *   across a response, so a 100 MB message streams through in bounded memory.
 */
import { mailError, type MailError } from '../../app/errors.ts';
import type { ReaderLimits } from './limits.ts';

export interface StatusLine {
  /** V0001: any line starting with `+` is positive. */
  readonly ok: boolean;
  /** A SASL continuation (`+ <base64>`), only recognised for sinks of kind `sasl`. */
  readonly continuation: boolean;
  /** The text after the status indicator, with the separating white space removed. */
  readonly text: string;
  /** RFC 2449 §8 extended response code without brackets, upper-cased (`IN-USE`, `SYS/TEMP`), if any. */
  readonly code: string | undefined;
}

export type SinkKind =
  /** One status line only. */
  | 'single'
  /** A status line, then a body terminated by `.` CRLF when the status is positive. */
  | 'multi'
  /** One status line that may be a SASL continuation (`+ ...`). */
  | 'sasl';

export interface ResponseSink {
  readonly kind: SinkKind;
  /** Called once per response with its status line. */
  status(line: StatusLine): void;
  /** Unstuffed body bytes. The Buffer is a view of a socket chunk: copy it if it must outlive the call. */
  data?(chunk: Buffer): void;
  /** The body's terminator was read. */
  end?(): void;
  /** The response cannot complete (connection lost, limit breached, timeout). */
  fail(error: MailError): void;
  /** After this response the reader stops and keeps what follows, unread (STLS: what follows is injection). */
  readonly stopAfter?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const PLUS = 0x2b;
const LF_DOT = Buffer.from('\n.', 'latin1');
const EMPTY = Buffer.alloc(0);

type Mode = 'status' | 'body';

export class ResponseReader {
  private readonly queue: ResponseSink[] = [];
  private head = 0;
  private mode: Mode = 'status';
  /** Status mode: pieces of a line not yet ended. */
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  /** Body mode: whether the next byte starts a line. */
  private atLineStart = true;
  /** Body mode: `.` or `.\r` seen at a line start at the end of the previous chunk. */
  private held: Buffer = EMPTY;
  private bodyBytes = 0;
  private stopped = false;
  private leftover: Buffer = EMPTY;
  private failed: MailError | undefined;

  constructor(
    private readonly limits: ReaderLimits,
    /** Called once when the stream can no longer be trusted; every pending sink has already been failed. */
    private readonly onFatal: (error: MailError) => void,
  ) {}

  /** Queue the sink for the next response, in the order the commands are sent. */
  expect(sink: ResponseSink): void {
    if (this.failed !== undefined) {
      sink.fail(this.failed);
      return;
    }
    this.queue.push(sink);
  }

  /** Responses still awaited. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Whether the reader stopped after a `stopAfter` sink; `takeLeftover` then returns the bytes after it. */
  get isStopped(): boolean {
    return this.stopped;
  }

  takeLeftover(): Buffer {
    const rest = this.leftover;
    this.leftover = EMPTY;
    return rest;
  }

  /** Carry on after a stop (for instance once TLS is up and bytes come from the new layer). */
  resume(): void {
    this.stopped = false;
  }

  push(chunk: Buffer): void {
    if (this.failed !== undefined) return;
    if (this.stopped) {
      this.leftover = this.leftover.length === 0 ? chunk : Buffer.concat([this.leftover, chunk]);
      return;
    }
    let pos = 0;
    if (this.held.length > 0) {
      // A `.` (or `.\r`) at a line start ended the last chunk; decide with the bytes that follow. This copy
      // happens only when a chunk boundary falls just after a line-start dot.
      chunk = Buffer.concat([this.held, chunk]);
      this.held = EMPTY;
    }
    while (pos < chunk.length && !this.isFailed()) {
      if (this.isStopped) {
        this.leftover = chunk.subarray(pos);
        return;
      }
      pos = this.mode === 'status' ? this.readStatus(chunk, pos) : this.readBody(chunk, pos);
    }
  }

  /** The connection ended or was abandoned: fail everything still awaited. */
  close(error: MailError): void {
    if (this.failed !== undefined) return;
    this.failed = error;
    const sinks = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    for (const sink of sinks) sink.fail(error);
  }

  private isFailed(): boolean {
    return this.failed !== undefined;
  }

  private current(): ResponseSink | undefined {
    return this.queue[this.head];
  }

  private shift(): void {
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private fatal(error: MailError): void {
    this.close(error);
    this.onFatal(error);
  }

  private readStatus(chunk: Buffer, pos: number): number {
    const sink = this.current();
    if (sink === undefined) {
      this.fatal(
        mailError('UNEXPECTED_DATA', 'The server sent data that answers no command.', {
          facts: { bytes: chunk.length - pos },
        }),
      );
      return chunk.length;
    }
    const nl = chunk.indexOf(LF, pos);
    const end = nl === -1 ? chunk.length : nl + 1;
    if (this.lineBytes + (end - pos) > this.limits.maxLineBytes) {
      this.fatal(
        mailError('LINE_TOO_LONG', 'The server sent a status line longer than allowed.', {
          facts: { limit: this.limits.maxLineBytes },
        }),
      );
      return chunk.length;
    }
    if (nl === -1) {
      // C0005: no CRLF yet. Keep the piece; the connection's idle timer ends a server that never sends one.
      this.lineParts.push(chunk.subarray(pos));
      this.lineBytes += chunk.length - pos;
      return chunk.length;
    }
    let line: Buffer;
    if (this.lineParts.length === 0) {
      line = chunk.subarray(pos, nl);
    } else {
      this.lineParts.push(chunk.subarray(pos, nl));
      line = Buffer.concat(this.lineParts);
      this.lineParts = [];
    }
    this.lineBytes = 0;
    const status = parseStatusLine(line, sink.kind === 'sasl');
    sink.status(status);
    if (sink.kind === 'multi' && status.ok) {
      this.mode = 'body';
      this.atLineStart = true;
      this.bodyBytes = 0;
    } else {
      this.shift();
      if (sink.stopAfter === true) this.stopped = true;
    }
    return end;
  }

  private readBody(chunk: Buffer, start: number): number {
    const sink = this.current();
    if (sink === undefined) throw new Error('reader in body mode without a sink');
    let pos = start;
    let segStart = start;
    const len = chunk.length;
    for (;;) {
      if (this.atLineStart) {
        if (pos >= len) break;
        if (chunk[pos] === DOT) {
          if (pos + 1 >= len || (chunk[pos + 1] === CR && pos + 2 >= len)) {
            // Cannot decide yet: keep the dot (and CR) for the next chunk.
            this.emit(sink, chunk, segStart, pos);
            this.held = Buffer.from(chunk.subarray(pos));
            return len;
          }
          if (chunk[pos + 1] === CR && chunk[pos + 2] === LF) {
            // C0006: `.` CRLF at the start of a line ends the response.
            this.emit(sink, chunk, segStart, pos);
            this.countBody(3);
            this.mode = 'status';
            this.atLineStart = true;
            this.shift();
            sink.end?.();
            if (sink.stopAfter === true) this.stopped = true;
            return pos + 3;
          }
          // V0002: a byte-stuffed line; drop the leading dot.
          this.emit(sink, chunk, segStart, pos);
          this.countBody(1);
          pos += 1;
          segStart = pos;
        }
        this.atLineStart = false;
      }
      // Only lines that start with a dot need attention: jump from one `\n.` to the next.
      const hit = chunk.indexOf(LF_DOT, pos);
      if (hit === -1) {
        this.atLineStart = chunk[len - 1] === LF;
        pos = len;
        break;
      }
      pos = hit + 1;
      this.atLineStart = true;
    }
    this.emit(sink, chunk, segStart, pos);
    return pos;
  }

  private countBody(n: number): void {
    this.bodyBytes += n;
    if (this.bodyBytes > this.limits.maxResponseBytes) {
      this.fatal(
        mailError('RESPONSE_TOO_LARGE', 'The server sent a response larger than allowed.', {
          facts: { limit: this.limits.maxResponseBytes },
        }),
      );
    }
  }

  private emit(sink: ResponseSink, chunk: Buffer, from: number, to: number): void {
    if (to <= from || this.isFailed()) return;
    this.countBody(to - from);
    if (this.isFailed()) return;
    sink.data?.(chunk.subarray(from, to));
  }
}

const RESPONSE_CODE = /^\[([^\]\s]*)\]/;

/** Parses one status line (without its line ending) the way Outlook would accept it, and then some. */
export function parseStatusLine(raw: Buffer, sasl: boolean): StatusLine {
  let end = raw.length;
  if (end > 0 && raw[end - 1] === CR) end--;
  const line = raw.toString('utf8', 0, end);
  const ok = raw[0] === PLUS;
  // RFC 5034 §4: a continuation is `+` followed by a space and base64, or a lone `+`; `+OK` ends the exchange.
  const continuation = sasl && ok && !/^\+ok(?:[ \t]|$)/i.test(line);
  let text: string;
  if (continuation) {
    text = line.length > 1 && (line[1] === ' ' || line[1] === '\t') ? line.slice(2) : line.slice(1);
  } else {
    // Skip the indicator (`+OK`, `-ERR`, or whatever the server spelled) and the white space after it (C0004).
    const indicator = /^\S*[ \t]*/.exec(line);
    text = line.slice(indicator === null ? 0 : indicator[0].length);
  }
  const code = continuation ? undefined : RESPONSE_CODE.exec(text)?.[1]?.toUpperCase();
  return { ok, continuation, text, code: code === '' ? undefined : code };
}
